/** Log levels in increasing verbosity. */
export type LogLevel = "error" | "warn" | "info" | "debug";

const LEVEL_RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Key/value context attached to a log line. */
export type LogFields = Record<string, string | number | bigint | boolean | null | undefined>;

/** A structured, leveled logger. Components receive one; they never write to stderr directly. */
export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ service: "raft" }`). */
  with(fields: LogFields): Logger;
}

/** Where log lines go and how time is read; injected so tests stay deterministic. */
export interface LoggerOptions {
  level: LogLevel;
  write: (line: string) => void;
  now: () => Date;
}

function formatValue(v: string | number | bigint | boolean | null): string {
  const s = String(v);
  return /[\s"=]/.test(s) || s === "" ? JSON.stringify(s) : s;
}

/** Creates a logger writing one `time level msg key=value…` line per call. */
export function createLogger(opts: LoggerOptions, base: LogFields = {}): Logger {
  const max = LEVEL_RANK[opts.level];
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] > max) return;
    let line = `${opts.now().toISOString()} ${level.padEnd(5)} ${msg}`;
    for (const [k, v] of Object.entries({ ...base, ...fields })) {
      if (v !== undefined) line += ` ${k}=${formatValue(v)}`;
    }
    opts.write(line);
  };
  return {
    error: (m, f) => emit("error", m, f),
    warn: (m, f) => emit("warn", m, f),
    info: (m, f) => emit("info", m, f),
    debug: (m, f) => emit("debug", m, f),
    with: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const nullLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  with: () => nullLogger,
};
