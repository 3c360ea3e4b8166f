/** Time-zone offsets for tz(): the offset of an IANA zone at an instant, cached per hour. */

const formatters = new Map<string, Intl.DateTimeFormat>();
const cache = new Map<string, number>();

/** True when `tz` names a zone the runtime knows. */
export function isValidZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The UTC offset in seconds of zone `tz` at instant `ns`. */
export function zoneOffsetSeconds(tz: string, ns: bigint): number {
  const ms = Number(ns / 1_000_000n);
  const key = `${tz}@${Math.floor(ms / 900_000)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const p: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(new Date(ms))) {
    p[part.type] = Number(part.value);
  }
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const off = Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, off);
  return off;
}
