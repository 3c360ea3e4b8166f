import { CtlError } from "./admin_client.ts";
import { parseFlags } from "./args.ts";
import { CLUSTER_COMMANDS } from "./ctl_commands.ts";
import type { CtlCommand } from "./ctl_types.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, UsageError } from "./io.ts";

/** The registered subcommands, in help order. */
export const CTL_COMMANDS: readonly CtlCommand[] = [...CLUSTER_COMMANDS];

function ctlHelp(): string {
  const width = Math.max(8, ...CTL_COMMANDS.map((c) => c.name.length)) + 2;
  const lines = CTL_COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return `Usage: chronoraft ctl [--meta HOST:PORT] [--json] <command> [args]

Administers a cluster through a meta node's admin API (any member; followers forward).

Flags:
  --meta HOST:PORT   admin API of a meta node (default localhost:8091)
  --json             print machine-readable JSON instead of tables
  -h, --help         show this help

Commands:
${lines.length ? lines.join("\n") : "  (none yet)"}
`;
}

/** `chronoraft ctl`: dispatches to a registered subcommand. */
export async function ctlCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags("ctl", args, {
    meta: { type: "string", default: "localhost:8091" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, true);
  const [name, ...rest] = positionals;
  if (values.help || name === undefined || name === "help") {
    io.stdout(ctlHelp());
    return EXIT_OK;
  }
  const cmd = CTL_COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const known = CTL_COMMANDS.map((c) => c.name).join(", ") || "none yet";
    throw new UsageError(`ctl: unknown command ${JSON.stringify(name)}; expected one of ${known}`);
  }
  const ctx = { meta: values.meta ?? "localhost:8091", json: values.json ?? false, io };
  try {
    return await cmd.run(rest, ctx);
  } catch (e) {
    if (!(e instanceof CtlError)) throw e;
    io.stderr(`chronoraft ctl ${name}: ${e.message}\n`);
    return EXIT_FAILURE;
  }
}
