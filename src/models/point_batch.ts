/**
 * Points in columns. The write path handles tens of thousands of points per request; as
 * objects each would cost a dozen allocations (point, field array, fields, boxed values),
 * as columns a batch is a few typed arrays that cross a worker boundary without copying and
 * let storage resolve each distinct series and field key once per batch instead of per point.
 */

import type { Field, FieldType, FieldValue, Point, Tag } from "./point.ts";
import { PointBatchBuilder } from "./point_batch_builder.ts";

/** Field types by their one-byte code (the same codes storage uses on disk). */
export const FIELD_TYPE_NAMES: readonly FieldType[] = [
  "float",
  "integer",
  "unsigned",
  "boolean",
  "string",
];
/** The code of each field type. */
export const FIELD_TYPE_CODES: Readonly<Record<FieldType, number>> = {
  float: 0,
  integer: 1,
  unsigned: 2,
  boolean: 3,
  string: 4,
};

/** The series part of a point; points of one series share one. */
export interface SeriesRef {
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly key: string;
}

/**
 * A batch of points as columns. Point `i` belongs to `series[seriesOf[i]]` at `times[i]`; its
 * fields are the slots `fieldStart[i] ≤ f < fieldStart[i + 1]`, each with a key
 * (`fieldKeys[fieldKeyOf[f]]`), a type code (`fieldTypes[f]`, see FIELD_TYPE_NAMES) and a value
 * in the column its type uses: `numbers` (float; boolean as 1/0), `integers` (integer;
 * unsigned as its two's complement) or `strings`. A point's field keys are distinct.
 */
export interface PointBatch {
  readonly length: number;
  readonly series: readonly SeriesRef[];
  readonly seriesOf: Int32Array;
  readonly times: BigInt64Array;
  readonly fieldStart: Int32Array;
  readonly fieldKeys: readonly string[];
  readonly fieldKeyOf: Int32Array;
  readonly fieldTypes: Uint8Array;
  readonly numbers: Float64Array;
  /**
   * Per float slot: k when the value is exactly m / 10^k for an integer |m| < 10^15 (as the
   * parser read it), else -1 (unknown). Lets storage encode it as an integer without a search.
   */
  readonly places: Int8Array;
  /** Null when the batch has no integer or unsigned field. */
  readonly integers: BigInt64Array | null;
  /** Null when the batch has no string field; sparse otherwise. */
  readonly strings: readonly (string | undefined)[] | null;
}

/** The value of field slot `f` as the `Point` model holds it. */
export function fieldValue(b: PointBatch, f: number): FieldValue {
  switch (b.fieldTypes[f]) {
    case 0:
      return b.numbers[f];
    case 1:
      return b.integers![f];
    case 2:
      return BigInt.asUintN(64, b.integers![f]);
    case 3:
      return b.numbers[f] !== 0;
    default:
      return b.strings![f]!;
  }
}

/** Point `i` of a batch as an object (for callers that want the `Point` model). */
export function pointAt(b: PointBatch, i: number): Point {
  const s = b.series[b.seriesOf[i]];
  const fields: Field[] = [];
  for (let f = b.fieldStart[i]; f < b.fieldStart[i + 1]; f++) {
    fields.push({
      key: b.fieldKeys[b.fieldKeyOf[f]],
      type: FIELD_TYPE_NAMES[b.fieldTypes[f]],
      value: fieldValue(b, f),
    });
  }
  return { measurement: s.measurement, tags: s.tags, key: s.key, fields, time: b.times[i] };
}

/** A batch's times as 32-bit words: point i is `lo[2i]` (unsigned) and `hi[2i + 1]` (signed). */
export interface TimeWords {
  readonly lo: Uint32Array;
  readonly hi: Int32Array;
}

/** Views of a batch's times as 32-bit words (reading a BigInt64Array element allocates). */
export function timeWords(b: PointBatch): TimeWords {
  const t = b.times;
  return {
    lo: new Uint32Array(t.buffer, t.byteOffset, t.length * 2),
    hi: new Int32Array(t.buffer, t.byteOffset, t.length * 2),
  };
}

/** Every point of a batch as objects, in batch order. */
export function pointsOf(b: PointBatch): Point[] {
  const out: Point[] = new Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = pointAt(b, i);
  return out;
}

/** A batch holding `points` (duplicate field keys of a point: the last value wins). */
export function batchOf(points: readonly Point[]): PointBatch {
  const w = new PointBatchBuilder(points.length);
  const series = new Map<string, number>();
  for (const p of points) {
    let s = series.get(p.key);
    if (s === undefined) {
      s = w.addSeries({ measurement: p.measurement, tags: p.tags, key: p.key });
      series.set(p.key, s);
    }
    for (const f of p.fields) w.addField(w.fieldKeyIndex(f.key), f.type, f.value);
    w.commitPoint(s, p.time);
  }
  return w.finish();
}

export { PointBatchBuilder };
