import type { CliIo } from "./io.ts";

/** What every `ctl` subcommand receives. */
export interface CtlContext {
  /** The admin API address of the meta node to talk to. */
  readonly meta: string;
  readonly json: boolean;
  readonly io: CliIo;
}

/** One `ctl` subcommand. */
export interface CtlCommand {
  readonly name: string;
  readonly summary: string;
  run(args: string[], ctx: CtlContext): Promise<number>;
}
