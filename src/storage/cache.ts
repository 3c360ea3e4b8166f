/**
 * The in-memory cache of values not yet compacted into blocks, per (series, field). Values
 * are appended in arrival order; a column is sorted and de-duplicated (the last write of a
 * timestamp wins) only when someone reads it.
 */

import type { Field, FieldType, FieldValue } from "../models/point.ts";
import {
  FIELD_TYPE_NAMES,
  fieldValue,
  type PointBatch,
  type TimeWords,
} from "../models/point_batch.ts";
import {
  type Column,
  makeColumn,
  newValues,
  rangeColumn,
  type ValueArray,
  withoutRange,
} from "./column.ts";
import { timeOrder } from "./time_order.ts";

const ENTRY_OVERHEAD = 160;

/** Bytes one value of `type` costs in the cache, time included (strings add their length). */
function valueBytes(type: FieldType): number {
  return type === "boolean" ? 9 : type === "string" ? 24 : 16;
}

/** The cached values of one (series, field). */
export class CacheEntry {
  private times: BigInt64Array;
  /** `times` as 32-bit words (low, high per value): stores without bigint conversions. */
  private words: Uint32Array;
  private values: ValueArray;
  private n = 0;
  private sorted = true;
  /** The last appended time as signed high and unsigned low words. */
  private lastHi = 0;
  private lastLo = 0;
  /** Estimated bytes held. */
  bytes = ENTRY_OVERHEAD;

  constructor(
    readonly seriesId: number,
    readonly fieldId: number,
    readonly type: FieldType,
    capacity = 64,
  ) {
    this.times = new BigInt64Array(capacity);
    this.words = new Uint32Array(this.times.buffer);
    this.values = newValues(type, capacity);
  }

  /** Number of values held (before de-duplication). */
  get length(): number {
    return this.n;
  }

  /** Appends a value; an equal or earlier time marks the entry for sorting on read. */
  append(time: bigint, value: FieldValue): void {
    const n = this.slot(Number(BigInt.asIntN(32, time >> 32n)), Number(BigInt.asUintN(32, time)));
    // One store site per array type keeps each one monomorphic (this is the hottest loop).
    switch (this.type) {
      case "float":
        (this.values as Float64Array)[n] = value as number;
        this.bytes += 16;
        break;
      case "integer":
        (this.values as BigInt64Array)[n] = value as bigint;
        this.bytes += 16;
        break;
      case "unsigned":
        (this.values as BigUint64Array)[n] = value as bigint;
        this.bytes += 16;
        break;
      case "boolean":
        (this.values as boolean[])[n] = value as boolean;
        this.bytes += 9;
        break;
      case "string":
        (this.values as string[])[n] = value as string;
        this.bytes += 24 + (value as string).length;
        break;
    }
  }

  /**
   * `append` for a float entry, without boxing the value; the time is given as its signed
   * high and unsigned low 32-bit words (one conversion per point, not per value).
   */
  appendFloat(hi: number, lo: number, value: number): void {
    // The slot first: it may grow (replace) the values array.
    const n = this.slot(hi, lo);
    (this.values as Float64Array)[n] = value;
    this.bytes += 16;
  }

  /** Stores the time in the next slot and returns the slot for its value. */
  private slot(hi: number, lo: number): number {
    const n = this.n;
    if (n === this.times.length) this.grow();
    if (n > 0 && (hi < this.lastHi || (hi === this.lastHi && lo <= this.lastLo))) {
      this.sorted = false;
    }
    this.lastHi = hi;
    this.lastLo = lo;
    this.words[2 * n] = lo;
    this.words[2 * n + 1] = hi;
    this.n = n + 1;
    return n;
  }

  private setLast(time: bigint): void {
    this.lastHi = Number(BigInt.asIntN(32, time >> 32n));
    this.lastLo = Number(BigInt.asUintN(32, time));
  }

  /** The values sorted by time, last write winning; the entry keeps the compacted form. */
  column(): Column {
    if (!this.sorted) this.sortDedupe();
    const v = this.values;
    const values = Array.isArray(v) ? v.slice(0, this.n) : v.subarray(0, this.n);
    return makeColumn(this.type, this.times.subarray(0, this.n), values as ValueArray);
  }

  /** The sorted values with `min ≤ time ≤ max`. */
  range(min: bigint, max: bigint): Column {
    return rangeColumn(this.column(), min, max);
  }

  /** Drops the values with `min ≤ time ≤ max`; returns how many remain. */
  deleteRange(min: bigint, max: bigint): number {
    const kept = withoutRange(this.column(), min, max);
    this.times = kept.times.slice();
    this.values = Array.isArray(kept.values) ? kept.values.slice() : kept.values.slice();
    this.n = kept.times.length;
    this.words = new Uint32Array(this.times.buffer);
    if (this.n > 0) this.setLast(this.times[this.n - 1]);
    this.bytes = ENTRY_OVERHEAD + this.n * valueBytes(this.type);
    if (this.n === 0) this.grow();
    return this.n;
  }

  private grow(): void {
    const cap = Math.max(16, this.times.length * 2);
    const times = new BigInt64Array(cap);
    times.set(this.times.subarray(0, this.n));
    this.times = times;
    this.words = new Uint32Array(times.buffer);
    const old = this.values;
    if (Array.isArray(old)) {
      old.length = cap;
    } else {
      const next = newValues(this.type, cap) as Float64Array;
      next.set((old as Float64Array).subarray(0, this.n));
      this.values = next;
    }
  }

  private sortDedupe(): void {
    const n = this.n;
    // Ties keep arrival order, so the last write of a timestamp ends up last and wins.
    const order = timeOrder(this.times, n);
    // Times are moved as 32-bit word pairs: reading a BigInt64Array element allocates.
    const w = new Uint32Array(this.times.buffer, this.times.byteOffset, n * 2);
    const times = new BigInt64Array(Math.max(16, n));
    const out = new Uint32Array(times.buffer);
    const src = this.values as FieldValue[];
    const values = newValues(this.type, Math.max(16, n)) as FieldValue[];
    let k = 0;
    for (let i = 0; i < n; i++) {
      const j = order[i];
      if (i + 1 < n) {
        const q = order[i + 1];
        if (w[2 * q] === w[2 * j] && w[2 * q + 1] === w[2 * j + 1]) continue;
      }
      out[2 * k] = w[2 * j];
      out[2 * k + 1] = w[2 * j + 1];
      values[k++] = src[j];
    }
    this.times = times;
    this.words = out;
    this.values = values as unknown as ValueArray;
    this.n = k;
    this.sorted = true;
    if (k > 0) this.setLast(times[k - 1]);
  }
}

/** All cached entries of a shard, keyed by series then field. */
export class Cache {
  private readonly series = new Map<number, Map<number, CacheEntry>>();
  private bytesTotal = 0;
  private valuesTotal = 0;
  private entryCount = 0;
  /** Per series, the entries of its last point's field list (see `row`). */
  private readonly rows = new Map<number, { fids: Int32Array; entries: CacheEntry[] }>();

  /**
   * `capacityHint`: values a new entry makes room for up front (typically what entries held
   * in the previous cache), sparing the copies of growing from small.
   */
  constructor(private readonly capacityHint = 64) {}

  /** Average values per entry, a good capacity hint for the next cache. */
  get averageEntryLength(): number {
    return this.entryCount === 0 ? 0 : this.valuesTotal / this.entryCount;
  }

  /** Estimated bytes held by all entries. */
  get bytes(): number {
    return this.bytesTotal;
  }

  /** Number of values appended (duplicates counted). */
  get values(): number {
    return this.valuesTotal;
  }

  /** True when nothing is cached. */
  get empty(): boolean {
    return this.series.size === 0;
  }

  /** Appends one value. */
  append(sid: number, fid: number, type: FieldType, time: bigint, value: FieldValue): void {
    const e = this.entry(this.fieldsOf(sid), sid, fid, type);
    const before = e.bytes;
    e.append(time, value);
    this.bytesTotal += e.bytes - before;
    this.valuesTotal++;
  }

  /** Appends the fields of one point (`fids[offset + j]` is the id of `fields[j]`). */
  appendPoint(
    sid: number,
    time: bigint,
    fields: readonly Field[],
    fids: readonly number[],
    offset: number,
  ): void {
    const map = this.fieldsOf(sid);
    let added = 0;
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      const e = this.entry(map, sid, fids[offset + j], f.type);
      const before = e.bytes;
      e.append(time, f.value);
      added += e.bytes - before;
    }
    this.bytesTotal += added;
    this.valuesTotal += fields.length;
  }

  /**
   * Appends field slots [fs, fe) of batch point `i` (`fids[offset + j]` is slot fs + j's
   * id); `words` are the batch's `timeWords`.
   */
  appendBatchPoint(
    sid: number,
    i: number,
    batch: PointBatch,
    words: TimeWords,
    fs: number,
    fe: number,
    fids: readonly number[],
    offset: number,
  ): void {
    const entries = this.row(sid, batch, fs, fe, fids, offset);
    const lo = words.lo[2 * i];
    const hi = words.hi[2 * i + 1];
    let added = 0;
    for (let f = fs, j = 0; f < fe; f++, j++) {
      const e = entries[j];
      const before = e.bytes;
      if (batch.fieldTypes[f] === 0) e.appendFloat(hi, lo, batch.numbers[f]);
      else e.append(batch.times[i], fieldValue(batch, f));
      added += e.bytes - before;
    }
    this.bytesTotal += added;
    this.valuesTotal += fe - fs;
  }

  /**
   * The entries of a point's fields. A series' points usually repeat one field list, so the
   * last list per series is remembered: one lookup per point instead of one per value.
   */
  private row(
    sid: number,
    batch: PointBatch,
    fs: number,
    fe: number,
    fids: readonly number[],
    offset: number,
  ): CacheEntry[] {
    const n = fe - fs;
    const last = this.rows.get(sid);
    if (last !== undefined && last.fids.length === n) {
      let same = true;
      for (let j = 0; j < n && same; j++) same = last.fids[j] === fids[offset + j];
      if (same) return last.entries;
    }
    const map = this.fieldsOf(sid);
    const entries: CacheEntry[] = new Array(n);
    const ids = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      ids[j] = fids[offset + j];
      entries[j] = this.entry(map, sid, ids[j], FIELD_TYPE_NAMES[batch.fieldTypes[fs + j]]);
    }
    this.rows.set(sid, { fids: ids, entries });
    return entries;
  }

  private fieldsOf(sid: number): Map<number, CacheEntry> {
    let fields = this.series.get(sid);
    if (fields === undefined) {
      fields = new Map();
      this.series.set(sid, fields);
    }
    return fields;
  }

  private entry(
    fields: Map<number, CacheEntry>,
    sid: number,
    fid: number,
    type: FieldType,
  ): CacheEntry {
    let e = fields.get(fid);
    if (e === undefined) {
      // Strings and booleans live in plain arrays, which pre-sizing does not help.
      const cap = type === "string" || type === "boolean" ? 64 : this.capacityHint;
      e = new CacheEntry(sid, fid, type, cap);
      fields.set(fid, e);
      this.entryCount++;
      this.bytesTotal += e.bytes;
    }
    return e;
  }

  /** The entry of (series, field), if any. */
  get(sid: number, fid: number): CacheEntry | undefined {
    return this.series.get(sid)?.get(fid);
  }

  /** Every entry, in no particular order. */
  *entries(): IterableIterator<CacheEntry> {
    for (const fields of this.series.values()) yield* fields.values();
  }

  /** Drops a series' values in `[min, max]` (all of them when no range is given). */
  deleteSeries(sid: number, min?: bigint, max?: bigint): void {
    const fields = this.series.get(sid);
    if (fields === undefined) return;
    this.rows.delete(sid);
    for (const [fid, e] of fields) {
      const before = e.bytes;
      const left = min === undefined || max === undefined ? 0 : e.deleteRange(min, max);
      if (left === 0) {
        fields.delete(fid);
        this.entryCount--;
        this.bytesTotal -= before;
      } else {
        this.bytesTotal += e.bytes - before;
      }
    }
    if (fields.size === 0) this.series.delete(sid);
  }
}
