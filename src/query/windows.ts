/** GROUP BY time windows as InfluxDB aligns them: floor((t - offset) / interval), in a zone. */
import { zoneOffsetSeconds } from "./zone.ts";

/** How a statement's time axis is bucketed; `interval` 0 means one window for everything. */
export interface Windowing {
  readonly interval: bigint;
  readonly offset: bigint;
  /** IANA zone from tz(), or null for UTC. */
  readonly location: string | null;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

const NS_PER_S = 1_000_000_000n;

/** The start of the window holding `t` (for interval 0: the caller's range start). */
export function windowStart(w: Windowing, t: bigint): bigint {
  let off = w.offset;
  if (w.location !== null) {
    // Zone offset at t shifts the bucket edges to local midnight/hour, as InfluxDB does.
    off -= BigInt(zoneOffsetSeconds(w.location, t - w.offset)) * NS_PER_S;
  }
  let m = off % w.interval;
  if (m < 0n) m += w.interval;
  return floorDiv(t - m, w.interval) * w.interval + m;
}

/** The first time after the window starting at `start`. */
export function windowEnd(w: Windowing, start: bigint): bigint {
  if (w.location === null) return start + w.interval;
  // Across a DST change the next local edge moves; find it from the next window's start.
  const next = windowStart(w, start + w.interval);
  return next > start ? next : start + w.interval;
}

/** All window starts from the window of `min` to the window of `max`, ascending. */
export function windowStarts(w: Windowing, min: bigint, max: bigint, limit: number): bigint[] {
  const out: bigint[] = [];
  for (let s = windowStart(w, min); s <= max && out.length < limit; s = windowEnd(w, s)) {
    out.push(s);
  }
  return out;
}
