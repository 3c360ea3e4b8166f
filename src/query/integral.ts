/**
 * integral() across GROUP BY time windows, streamed like InfluxDB 1.6's IntegralReducer:
 * the area up to a window's end is interpolated into that window, the next window starts
 * from that interpolated edge point, and windows whose only
 * point sits on their start are dropped.
 */
import type { Windowing } from "./windows.ts";
import { windowEnd, windowStart } from "./windows.ts";

/** Integral per window start for points sorted by time; `unit` is the integral's unit. */
export function windowedIntegral(
  ts: readonly bigint[],
  vs: readonly number[],
  w: Windowing,
  unit: bigint,
): Map<bigint, number> {
  const out = new Map<bigint, number>();
  if (ts.length === 0) return out;
  const u = Number(unit);
  let prevT = ts[0];
  let prevV = vs[0];
  let start = windowStart(w, prevT);
  let end = windowEnd(w, start);
  let sum = 0;
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i];
    const v = vs[i];
    if (t === prevT) {
      prevV = v;
      continue;
    }
    if (t >= end) {
      if (prevT !== end) {
        const atEnd = prevV + (v - prevV) * (Number(end - prevT) / Number(t - prevT));
        sum += 0.5 * (atEnd + prevV) * (Number(end - prevT) / u);
        // The next window's first trapezium starts from the interpolated edge point.
        prevT = end;
        prevV = atEnd;
      }
      out.set(start, sum);
      start = windowStart(w, t);
      end = windowEnd(w, start);
      sum = 0;
    }
    sum += 0.5 * (v + prevV) * (Number(t - prevT) / u);
    prevT = t;
    prevV = v;
  }
  if (prevT !== start) out.set(start, sum);
  return out;
}
