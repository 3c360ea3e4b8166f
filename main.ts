/** The chronoraft binary: `serve`, `config`, `ctl …`, `version`. */
import { processIo, runCli } from "./src/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, processIo));
}
