/** Time strings in queries: RFC3339, `2006-01-02 15:04:05.999999` and `2006-01-02`. */

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** True when a string literal looks like a time (`YYYY-MM-DD...`), as InfluxDB decides it. */
export function isTimeString(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{4}-\d{2}-\d{2}.+/.test(s);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SPACE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses a time string to nanoseconds since the epoch. Strings without a zone are read in
 * `tz` (an IANA name; UTC when absent). Returns null when the text is not a valid time.
 */
export function parseTimeString(s: string, tz?: string | null): bigint | null {
  let m = DATE.exec(s);
  let parts: string[];
  let frac = "";
  let zone: string | null = null;
  if (m) {
    parts = [m[1], m[2], m[3], "00", "00", "00"];
  } else if ((m = SPACE.exec(s) ?? RFC3339.exec(s))) {
    parts = m.slice(1, 7);
    frac = m[7] ?? "";
    zone = m[8] ?? null;
  } else {
    return null;
  }
  if (frac.length > 10) return null;
  const [y, mo, d, h, mi, sec] = parts.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  const check = new Date(ms);
  if (check.getUTCDate() !== d || check.getUTCFullYear() !== y) return null;
  let ns = BigInt(ms) * NS_PER_MS;
  if (frac) ns += BigInt(frac.slice(1).padEnd(9, "0"));
  if (zone !== null && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1n : 1n;
    const off = BigInt(Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
    ns -= sign * off * NS_PER_S;
  } else if (zone === null && tz && tz !== "UTC") {
    // Local wall time: subtract the zone's offset at that instant (one correction pass).
    const guess = ns - BigInt(zoneOffsetSeconds(tz, ns)) * NS_PER_S;
    ns -= BigInt(zoneOffsetSeconds(tz, guess)) * NS_PER_S;
  }
  return ns;
}

/** The UTC offset in seconds of IANA zone `tz` at instant `ns`. */
export function zoneOffsetSeconds(tz: string, ns: bigint): number {
  const ms = Number(floorDiv(ns, NS_PER_MS));
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/** The "YYYY-MM-DDT" of the day formatted last: results are mostly runs of times in one day. */
let dayCache = { day: NaN, prefix: "" };

/** Formats nanoseconds as Go's RFC3339Nano in UTC (`2000-01-01T00:00:00.5Z`). */
export function formatRFC3339Nano(ns: bigint): string {
  const sec = floorDiv(ns, NS_PER_S);
  const frac = ns - sec * NS_PER_S;
  const s = Number(sec);
  const day = Math.floor(s / 86_400);
  if (day !== dayCache.day) {
    // Years 0-9999 print as "YYYY-MM-DDT…"; others carry a sign and six digits.
    const iso = new Date(day * 86_400_000).toISOString();
    dayCache = { day, prefix: iso.slice(0, iso.indexOf("T") + 1) };
  }
  const t = s - day * 86_400;
  const hms = two(Math.floor(t / 3600)) + ":" + two(Math.floor(t / 60) % 60) + ":" + two(t % 60);
  return dayCache.prefix + hms + (frac === 0n ? "Z" : fraction(Number(frac)) + "Z");
}

function two(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** ".5" for 500000000 ns: nine digits with trailing zeros trimmed. */
function fraction(ns: number): string {
  let digits = 9;
  while (ns % 10 === 0) {
    ns /= 10;
    digits--;
  }
  return "." + String(ns).padStart(digits, "0");
}
