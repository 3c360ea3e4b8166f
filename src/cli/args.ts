import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The parsed flags: a string or boolean per declared option, when given. */
export interface ParsedFlags<T extends Options> {
  values: { [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean };
  positionals: string[];
}

/** Describes the flags a command accepts, for error messages. */
function expected(options: Options): string {
  return Object.entries(options)
    .map(([name, o]) =>
      `${o.short ? `-${o.short}/` : ""}--${name}${o.type === "string" ? " VALUE" : ""}`
    )
    .join(", ");
}

/**
 * Parses `args` strictly; an unknown flag or a missing value becomes a one-line UsageError
 * saying what the command expected.
 */
export function parseFlags<T extends Options>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
): ParsedFlags<T> {
  try {
    const r = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: r.values as ParsedFlags<T>["values"], positionals: r.positionals };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    const problem = unknown
      ? `unknown flag ${unknown[1]}`
      : positional
      ? `unexpected argument ${JSON.stringify(positional[1])}`
      : msg.split(".")[0];
    throw new UsageError(`${command}: ${problem}; expected ${expected(options) || "no flags"}`);
  }
}
