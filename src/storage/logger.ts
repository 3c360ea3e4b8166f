/** The narrow logger the storage engine reports problems through (the server injects one). */
export interface StorageLogger {
  /** Something went wrong but the shard keeps working (e.g. a corrupt WAL record skipped). */
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Routine events worth a line (e.g. WAL replayed, compaction finished). */
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything, for callers that do not care. */
export const silentLogger: StorageLogger = {
  warn() {},
  info() {},
};
