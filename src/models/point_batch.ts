/**
 * Points in columns. The write path handles tens of thousands of points per request; as
 * objects each would cost a dozen allocations (point, field array, fields, boxed values),
 * as columns a batch is a few typed arrays that cross a worker boundary without copying and
 * let storage resolve each distinct series and field key once per batch instead of per point.
 */

import type { Field, FieldType, FieldValue, Point, Tag } from "./point.ts";

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

/**
 * Builds a PointBatch: add a point's fields, then `commitPoint` (or `rollbackPoint` to drop
 * them). Columns grow as needed; `finish` returns views trimmed to what was written.
 */
export class PointBatchBuilder {
  private n = 0;
  private slots = 0;
  private pointStart = 0;
  private readonly seriesList: SeriesRef[] = [];
  private readonly seriesIndex = new Map<SeriesRef, number>();
  private readonly keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private seriesOf: Int32Array;
  private times: BigInt64Array;
  private fieldStart: Int32Array;
  private keyOf: Int32Array;
  private types: Uint8Array;
  private numbers: Float64Array;
  private places: Int8Array;
  private integers: BigInt64Array | null = null;
  private strings: (string | undefined)[] | null = null;

  constructor(points = 64, fields = points * 4) {
    const p = Math.max(16, points);
    const f = Math.max(16, fields);
    this.seriesOf = new Int32Array(p);
    this.times = new BigInt64Array(p);
    this.fieldStart = new Int32Array(p + 1);
    this.keyOf = new Int32Array(f);
    this.types = new Uint8Array(f);
    this.numbers = new Float64Array(f);
    this.places = new Int8Array(f);
  }

  /** Points committed so far. */
  get length(): number {
    return this.n;
  }

  /** The batch index of a series object (added on first sight, by identity). */
  addSeries(s: SeriesRef): number {
    let i = this.seriesIndex.get(s);
    if (i === undefined) {
      i = this.seriesList.length;
      this.seriesList.push(s);
      this.seriesIndex.set(s, i);
    }
    return i;
  }

  /** The batch index of a field key. */
  fieldKeyIndex(key: string): number {
    let i = this.keyIndex.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.keyIndex.set(key, i);
    }
    return i;
  }

  /** Adds a float field to the current point (`places`: see PointBatch.places). */
  addFloat(key: number, v: number, places = -1): void {
    const f = this.slot(key, 0);
    this.numbers[f] = v;
    this.places[f] = places;
  }

  /** Adds a boolean field to the current point. */
  addBoolean(key: number, v: boolean): void {
    const f = this.slot(key, 3);
    this.numbers[f] = v ? 1 : 0;
  }

  /** Adds an integer (code 1) or unsigned (code 2) field to the current point. */
  addInteger(key: number, code: 1 | 2, v: bigint): void {
    const f = this.slot(key, code);
    let ints = this.integers;
    if (ints === null || ints.length < this.keyOf.length) {
      const next = new BigInt64Array(this.keyOf.length);
      if (ints !== null) next.set(ints);
      this.integers = ints = next;
    }
    ints[f] = code === 2 ? BigInt.asIntN(64, v) : v;
  }

  /** Adds a string field to the current point. */
  addString(key: number, v: string): void {
    const f = this.slot(key, 4);
    (this.strings ??= [])[f] = v;
  }

  /** Adds a field of any type to the current point. */
  addField(key: number, type: FieldType, value: FieldValue): void {
    switch (type) {
      case "float":
        return this.addFloat(key, value as number);
      case "integer":
        return this.addInteger(key, 1, value as bigint);
      case "unsigned":
        return this.addInteger(key, 2, value as bigint);
      case "boolean":
        return this.addBoolean(key, value as boolean);
      case "string":
        return this.addString(key, value as string);
    }
  }

  /** Fields added since the last commit or rollback. */
  get pendingFields(): number {
    return this.slots - this.pointStart;
  }

  /** Ends the current point: its fields (last value wins on a repeated key) at `time`. */
  commitPoint(series: number, time: bigint): void {
    this.dedupeFields();
    const n = this.n;
    if (n === this.seriesOf.length) this.growPoints();
    this.seriesOf[n] = series;
    this.times[n] = time;
    this.n = n + 1;
    this.fieldStart[n + 1] = this.slots;
    this.pointStart = this.slots;
  }

  /** Drops the fields added since the last commit. */
  rollbackPoint(): void {
    this.slots = this.pointStart;
  }

  /** The batch; the builder must not be used afterwards. */
  finish(): PointBatch {
    this.rollbackPoint();
    const n = this.n;
    const m = this.slots;
    return {
      length: n,
      series: this.seriesList,
      seriesOf: this.seriesOf.subarray(0, n),
      times: this.times.subarray(0, n),
      fieldStart: this.fieldStart.subarray(0, n + 1),
      fieldKeys: this.keys,
      fieldKeyOf: this.keyOf.subarray(0, m),
      fieldTypes: this.types.subarray(0, m),
      numbers: this.numbers.subarray(0, m),
      places: this.places.subarray(0, m),
      integers: this.integers === null ? null : this.integers.subarray(0, m),
      strings: this.strings,
    };
  }

  private slot(key: number, code: number): number {
    const f = this.slots;
    if (f === this.keyOf.length) this.growFields();
    this.keyOf[f] = key;
    this.types[f] = code;
    this.slots = f + 1;
    return f;
  }

  /** InfluxDB keeps the first position and the last value of a repeated field key. */
  private dedupeFields(): void {
    const s = this.pointStart;
    const e = this.slots;
    const keyOf = this.keyOf;
    let dup = false;
    for (let a = s + 1; a < e && !dup; a++) {
      for (let b = s; b < a; b++) {
        if (keyOf[a] === keyOf[b]) {
          dup = true;
          break;
        }
      }
    }
    if (!dup) return;
    let w = s;
    for (let a = s; a < e; a++) {
      let seen = -1;
      for (let b = s; b < w; b++) {
        if (keyOf[b] === keyOf[a]) {
          seen = b;
          break;
        }
      }
      this.moveSlot(a, seen < 0 ? w++ : seen);
    }
    this.slots = w;
  }

  private moveSlot(from: number, to: number): void {
    if (from === to) return;
    this.keyOf[to] = this.keyOf[from];
    this.types[to] = this.types[from];
    this.numbers[to] = this.numbers[from];
    this.places[to] = this.places[from];
    if (this.integers !== null) this.integers[to] = this.integers[from];
    if (this.strings !== null) this.strings[to] = this.strings[from];
  }

  private growPoints(): void {
    const cap = this.seriesOf.length * 2;
    this.seriesOf = grown(this.seriesOf, new Int32Array(cap));
    this.times = grown(this.times, new BigInt64Array(cap));
    this.fieldStart = grown(this.fieldStart, new Int32Array(cap + 1));
  }

  private growFields(): void {
    const cap = this.keyOf.length * 2;
    this.keyOf = grown(this.keyOf, new Int32Array(cap));
    this.types = grown(this.types, new Uint8Array(cap));
    this.numbers = grown(this.numbers, new Float64Array(cap));
    this.places = grown(this.places, new Int8Array(cap));
    if (this.integers !== null) this.integers = grown(this.integers, new BigInt64Array(cap));
  }
}

function grown<T extends { set(a: T): void }>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** `a`'s points followed by `b`'s, with series and field keys shared by key. */
export function concatBatches(a: PointBatch, b: PointBatch): PointBatch {
  const n = a.length + b.length;
  const m = a.fieldKeyOf.length + b.fieldKeyOf.length;
  const series = [...a.series];
  const seriesAt = new Map<string, number>();
  a.series.forEach((s, i) => seriesAt.set(s.key, i));
  const seriesMap = b.series.map((s) => {
    let i = seriesAt.get(s.key);
    if (i === undefined) {
      i = series.length;
      series.push(s);
      seriesAt.set(s.key, i);
    }
    return i;
  });
  const fieldKeys = [...a.fieldKeys];
  const keyAt = new Map<string, number>();
  a.fieldKeys.forEach((k, i) => keyAt.set(k, i));
  const keyMap = b.fieldKeys.map((k) => {
    let i = keyAt.get(k);
    if (i === undefined) {
      i = fieldKeys.length;
      fieldKeys.push(k);
      keyAt.set(k, i);
    }
    return i;
  });
  const seriesOf = new Int32Array(n);
  seriesOf.set(a.seriesOf);
  for (let i = 0; i < b.length; i++) seriesOf[a.length + i] = seriesMap[b.seriesOf[i]];
  const times = new BigInt64Array(n);
  times.set(a.times);
  times.set(b.times, a.length);
  const fieldStart = new Int32Array(n + 1);
  fieldStart.set(a.fieldStart);
  const base = a.fieldKeyOf.length;
  for (let i = 1; i <= b.length; i++) fieldStart[a.length + i] = base + b.fieldStart[i];
  const fieldKeyOf = new Int32Array(m);
  fieldKeyOf.set(a.fieldKeyOf);
  for (let f = 0; f < b.fieldKeyOf.length; f++) fieldKeyOf[base + f] = keyMap[b.fieldKeyOf[f]];
  const joined = <T extends Uint8Array | Int8Array | Float64Array>(x: T, y: T, out: T): T => {
    out.set(x);
    out.set(y, base);
    return out;
  };
  let integers: BigInt64Array | null = null;
  if (a.integers !== null || b.integers !== null) {
    integers = new BigInt64Array(m);
    if (a.integers !== null) integers.set(a.integers);
    if (b.integers !== null) integers.set(b.integers, base);
  }
  let strings: (string | undefined)[] | null = null;
  if (a.strings !== null || b.strings !== null) {
    strings = new Array(m);
    a.strings?.forEach((s, f) => strings![f] = s);
    b.strings?.forEach((s, f) => strings![base + f] = s);
  }
  return {
    length: n,
    series,
    seriesOf,
    times,
    fieldStart,
    fieldKeys,
    fieldKeyOf,
    fieldTypes: joined(a.fieldTypes, b.fieldTypes, new Uint8Array(m)),
    numbers: joined(a.numbers, b.numbers, new Float64Array(m)),
    places: joined(a.places, b.places, new Int8Array(m)),
    integers,
    strings,
  };
}

/**
 * Frees the memory behind `a` now, when `a` owns its whole ArrayBuffer, instead of when the
 * garbage collector next runs (which, for buffers handed between threads, can be late: large
 * bodies and batches pile up). `a` and every view of its buffer are empty afterwards.
 */
export function releaseBytes(a: ArrayBufferView): void {
  const buf = a.buffer;
  if (!(buf instanceof ArrayBuffer) || buf.detached || buf.byteLength === 0) return;
  if (a.byteOffset !== 0 || a.byteLength !== buf.byteLength) return;
  buf.transfer(0);
}

/** `releaseBytes` for every column of a batch nobody will read again. */
export function releaseBatch(b: PointBatch): void {
  for (
    const a of [
      b.seriesOf,
      b.times,
      b.fieldStart,
      b.fieldKeyOf,
      b.fieldTypes,
      b.numbers,
      b.places,
      b.integers,
    ]
  ) {
    if (a === null) continue;
    const buf = a.buffer;
    if (buf instanceof ArrayBuffer && !buf.detached && buf.byteLength > 0) buf.transfer(0);
  }
}
