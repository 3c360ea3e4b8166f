/** The builder the line protocol parser (and `batchOf`) fills a PointBatch with. */

import type { FieldType, FieldValue } from "./point.ts";
import type { PointBatch, SeriesRef } from "./point_batch.ts";

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
