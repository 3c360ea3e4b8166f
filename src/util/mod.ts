/** Chronoraft's version string, reported by `version`, `/ping` and `/v1/health`. */
export const VERSION = "0.1.0";
/** A short build identifier sent in `X-Influxdb-Build`, like InfluxDB's "OSS". */
export const BUILD = "chronoraft";

export * from "./logger.ts";
export * from "./units.ts";
export * from "./address.ts";
export * from "./assert_never.ts";
export * from "./random.ts";
export * from "./column_cursor.ts";
