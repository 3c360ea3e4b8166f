/** Transformations over a time-ordered sequence: derivative, difference, moving_average, ... */
import type { FieldValue } from "../models/point.ts";
import type { Value } from "./deps.ts";

/** One point of a sequence; null values are skipped by every transformation. */
export interface SeqPoint {
  readonly time: bigint;
  readonly value: Value;
}

/** The names handled here. */
export const TRANSFORMS = new Set([
  "derivative",
  "non_negative_derivative",
  "difference",
  "non_negative_difference",
  "moving_average",
  "cumulative_sum",
  "elapsed",
]);

const wrap = (v: bigint) => BigInt.asIntN(64, v);

function sub(a: FieldValue, b: FieldValue): FieldValue {
  return typeof a === "bigint" && typeof b === "bigint" ? wrap(a - b) : Number(a) - Number(b);
}

/**
 * Applies transformation `name` to `seq` (ascending, or descending when `descending`).
 * `unit` is derivative's/elapsed's unit in ns, `n` moving_average's window.
 */
export function transform(
  name: string,
  seq: readonly SeqPoint[],
  unit: bigint,
  n: number,
  descending: boolean,
): SeqPoint[] {
  const pts = seq.filter((p) =>
    p.value !== null && typeof p.value !== "string" &&
    typeof p.value !== "boolean"
  );
  const out: SeqPoint[] = [];
  switch (name) {
    case "derivative":
    case "non_negative_derivative": {
      for (let i = 1; i < pts.length; i++) {
        const a = pts[i - 1];
        const b = pts[i];
        if (a.time === b.time) continue;
        let dt = Number(b.time - a.time) / Number(unit);
        if (descending) dt = -dt;
        const v = (Number(b.value) - Number(a.value)) / dt;
        if (name === "non_negative_derivative" && v < 0) continue;
        out.push({ time: b.time, value: v });
      }
      return out;
    }
    case "difference":
    case "non_negative_difference": {
      for (let i = 1; i < pts.length; i++) {
        const v = sub(pts[i].value as FieldValue, pts[i - 1].value as FieldValue);
        if (name === "non_negative_difference" && Number(v) < 0) continue;
        out.push({ time: pts[i].time, value: v });
      }
      return out;
    }
    case "moving_average": {
      let sum = 0;
      for (let i = 0; i < pts.length; i++) {
        sum += Number(pts[i].value);
        if (i >= n) sum -= Number(pts[i - n].value);
        if (i >= n - 1) out.push({ time: pts[i].time, value: sum / n });
      }
      return out;
    }
    case "cumulative_sum": {
      let acc: FieldValue | null = null;
      for (const p of pts) {
        const v = p.value as FieldValue;
        acc = acc === null
          ? v
          : typeof acc === "bigint" && typeof v === "bigint"
          ? wrap(acc + v)
          : Number(acc) + Number(v);
        out.push({ time: p.time, value: acc });
      }
      return out;
    }
    case "elapsed": {
      // elapsed works on any type, so it walks the unfiltered (non-null) sequence.
      const all = seq.filter((p) => p.value !== null);
      for (let i = 1; i < all.length; i++) {
        out.push({ time: all[i].time, value: (all[i].time - all[i - 1].time) / unit });
      }
      return out;
    }
    default:
      throw new Error(`unsupported call: ${name}`);
  }
}
