/**
 * Timestamp precision of a write. `"n"` and `"ns"` are nanoseconds; `"u"` and `"µ"` are
 * microseconds (influxdb 1.6 itself only knows `"u"`; `"µ"` is accepted here as InfluxQL does).
 */
export type Precision = "ns" | "n" | "u" | "µ" | "ms" | "s" | "m" | "h";

const MULTIPLIERS: Readonly<Record<Precision, bigint>> = {
  ns: 1n,
  n: 1n,
  u: 1_000n,
  "µ": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Nanoseconds per unit of `precision` (InfluxDB's `GetPrecisionMultiplier`). */
export function precisionMultiplier(precision: Precision): bigint {
  return MULTIPLIERS[precision];
}

/**
 * The precision named by a `/write?precision=` parameter; a missing or empty one means
 * nanoseconds. Returns undefined for anything else, so the caller can answer
 * `invalid precision "x" (use n, u, ms, s, m or h)` as InfluxDB does.
 */
export function precisionFromParam(param: string | null | undefined): Precision | undefined {
  if (param === null || param === undefined || param === "") return "ns";
  return Object.hasOwn(MULTIPLIERS, param) ? param as Precision : undefined;
}
