/** Durations and sizes written as InfluxDB writes them: "168h", "1h30m", "500ms", "10GB". */

const NS_PER: Record<string, bigint> = {
  ns: 1n,
  u: 1_000n,
  "µ": 1_000n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

/** Parses a Go-style duration ("1h30m", "500ms", "0") into nanoseconds, or null if malformed. */
export function parseDuration(text: string): bigint | null {
  const s = text.trim();
  if (s === "0") return 0n;
  const re = /(\d+)(ns|us|µs|u|µ|ms|s|m|h|d|w)/gy;
  let total = 0n;
  let pos = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const unit = m[2] === "µs" ? "us" : m[2];
    total += BigInt(m[1]) * NS_PER[unit];
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : null;
}

/** Formats nanoseconds as InfluxDB does ("168h0m0s", "1h0m0s", "0s"). */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let rest = neg ? -ns : ns;
  if (rest < NS_PER.s) {
    const [unit, div] = rest < NS_PER.u
      ? ["ns", 1n]
      : rest < NS_PER.ms
      ? ["µs", NS_PER.u]
      : ["ms", NS_PER.ms];
    return `${neg ? "-" : ""}${trimFraction(rest, div)}${unit}`;
  }
  const h = rest / NS_PER.h;
  rest %= NS_PER.h;
  const m = rest / NS_PER.m;
  rest %= NS_PER.m;
  const secs = trimFraction(rest, NS_PER.s);
  const out = h > 0n ? `${h}h${m}m${secs}s` : m > 0n ? `${m}m${secs}s` : `${secs}s`;
  return (neg ? "-" : "") + out;
}

function trimFraction(v: bigint, div: bigint): string {
  const whole = v / div;
  const frac = v % div;
  if (frac === 0n) return String(whole);
  const digits = String(div).length - 1;
  return `${whole}.${String(frac).padStart(digits, "0").replace(/0+$/, "")}`;
}

const SIZE_MULT: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Parses a size ("25MB", "10g", "1024") into bytes (1024-based, like InfluxDB), or null. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (m === null) return null;
  const mult = SIZE_MULT[m[2].toLowerCase()];
  return mult === undefined ? null : Number(m[1]) * mult;
}
