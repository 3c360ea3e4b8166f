export { runCli } from "./run.ts";
export { processIo } from "./io.ts";
