import { renderDefaultConfig } from "../config/mod.ts";
import { VERSION } from "../util/mod.ts";
import { parseFlags } from "./args.ts";
import { ctlCommand } from "./ctl.ts";
import { CONFIG_HELP, MAIN_HELP, VERSION_HELP } from "./help.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError } from "./io.ts";
import { serveCommand } from "./serve.ts";

type Command = (args: string[], io: CliIo) => Promise<number>;

function simple(name: string, help: string, run: (io: CliIo) => void): Command {
  return (args, io) => {
    const { values } = parseFlags(name, args, { help: { type: "boolean", short: "h" } });
    if (values.help) io.stdout(help);
    else run(io);
    return Promise.resolve(EXIT_OK);
  };
}

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  config: simple("config", CONFIG_HELP, (io) => io.stdout(renderDefaultConfig())),
  ctl: ctlCommand,
  version: simple("version", VERSION_HELP, (io) => io.stdout(`chronoraft ${VERSION}\n`)),
};

/** Runs the binary's command line and returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.stdout(MAIN_HELP);
      return EXIT_OK;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}; expected one of ${
          Object.keys(COMMANDS).join(", ")
        } (see chronoraft --help)`,
      );
    }
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`chronoraft: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
