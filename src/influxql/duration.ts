/** InfluxQL durations: parsing `1h30m`, `10ms`, `1u`/`1µ`, `1w`, and formatting them back. */

/** Nanoseconds per unit. */
export const NS = {
  ns: 1n,
  u: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
} as const;

const MAX_I64 = (1n << 63n) - 1n;
const MIN_I64 = -(1n << 63n);

/** Wraps to a signed 64-bit value, as Go's time.Duration arithmetic does. */
export function wrapI64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** The result of parsing a duration: nanoseconds, or InfluxDB's error text. */
export type DurationResult = { ok: true; ns: bigint } | { ok: false; error: string };

/** Parses an InfluxQL duration literal such as `1h30m` (InfluxDB's ParseDuration). */
export function parseDuration(s: string): DurationResult {
  const bad: DurationResult = { ok: false, error: "invalid duration" };
  const a = Array.from(s);
  if (s.length < 2) return bad;
  let i = 0;
  let neg = false;
  if (a[0] === "-") {
    neg = true;
    i++;
  }
  let d = 0n;
  let measure = 0n;
  let unit = "";
  while (i < a.length) {
    const start = i;
    while (i < a.length && a[i] >= "0" && a[i] <= "9") i++;
    if (i >= a.length || i === start) return bad;
    const n = BigInt(a.slice(start, i).join(""));
    if (n > MAX_I64) return bad;
    measure = n;
    unit = a[i];
    const two = a[i + 1] === "s";
    let mult: bigint;
    switch (a[i]) {
      case "n":
        if (!two) return bad;
        unit = "ns";
        mult = NS.ns;
        i++;
        break;
      case "u":
      case "µ":
        mult = NS.u;
        break;
      case "m":
        if (two) {
          unit = "ms";
          mult = NS.ms;
          i++;
        } else {
          mult = NS.m;
        }
        break;
      case "s":
        mult = NS.s;
        break;
      case "h":
        mult = NS.h;
        break;
      case "d":
        mult = NS.d;
        break;
      case "w":
        mult = NS.w;
        break;
      default:
        return bad;
    }
    d = wrapI64(d + wrapI64(n * mult));
    i++;
  }
  if (d < 0n && !neg) {
    return {
      ok: false,
      error: `overflowed duration ${measure}${unit}: choose a smaller duration or INF`,
    };
  }
  return { ok: true, ns: neg ? wrapI64(-d) : d };
}

/** Formats nanoseconds as InfluxQL writes a duration literal (largest exact unit). */
export function formatDuration(d: bigint): string {
  if (d === 0n) return "0s";
  for (const u of ["w", "d", "h", "m", "s", "ms"] as const) {
    if (d % NS[u] === 0n) return `${d / NS[u]}${u}`;
  }
  if (d % NS.u === 0n) return `${d / NS.u}u`;
  return `${d}ns`;
}

/** Formats nanoseconds as Go's time.Duration.String() does (`1h0m0s`, `1.5s`, `10ms`). */
export { formatDuration as goDurationString } from "../util/units.ts";

export { MAX_I64, MIN_I64 };
