import { type Config, ConfigError, embeddedDefault, parseConfig } from "../config/mod.ts";
import { createServer, type Server, StartupError } from "../server/mod.ts";
import { createLogger, type Logger } from "../util/mod.ts";
import { parseFlags } from "./args.ts";
import { SERVE_HELP } from "./help.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK } from "./io.ts";

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5000;

/** Reads and validates the config named by -c, or returns the embedded default. */
export async function loadConfig(path: string | undefined): Promise<Config> {
  if (path === undefined) return embeddedDefault();
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : String(e);
    throw new ConfigError(path, "-c", `cannot read the config file: ${why}`, "check the path");
  }
  return parseConfig(path, text);
}

/** Resolves when the process receives SIGINT or SIGTERM. */
function waitForSignal(): Promise<Deno.Signal> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const handlers = signals.map((sig) => {
      const h = () => {
        signals.forEach((s, i) => Deno.removeSignalListener(s, handlers[i]));
        resolve(sig);
      };
      Deno.addSignalListener(sig, h);
      return h;
    });
  });
}

/** `chronoraft serve`: runs a node until SIGINT/SIGTERM, then shuts down cleanly. */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags("serve", args, {
    config: { type: "string", short: "c" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(SERVE_HELP);
    return EXIT_OK;
  }
  let config: Config;
  try {
    config = await loadConfig(values.config);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`chronoraft: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    throw e;
  }
  const logger: Logger = createLogger({
    level: config.logLevel,
    write: (line) => io.stderr(line + "\n"),
    now: () => new Date(),
  });
  let server: Server;
  try {
    server = await createServer(config, logger);
  } catch (e) {
    if (e instanceof StartupError || e instanceof ConfigError) {
      io.stderr(`chronoraft: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    throw e;
  }
  const signal = await waitForSignal();
  logger.info("shutting down", { signal });
  const deadline = setTimeout(() => {
    logger.error("shutdown took longer than 5s; exiting anyway");
    Deno.exit(EXIT_FAILURE);
  }, SHUTDOWN_DEADLINE_MS);
  await server.close();
  clearTimeout(deadline);
  return EXIT_OK;
}
