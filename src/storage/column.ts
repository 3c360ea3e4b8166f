/**
 * A column of one (series, field): times in ascending order with one value each. Its shape
 * is the codecs' `BlockValues` plus `times`, so decoded blocks are columns as they are.
 */

import type { FieldType, FieldValue } from "../models/point.ts";

/** The values of a column, typed by field type. */
export type ColumnValues =
  | { readonly type: "float"; readonly values: Float64Array }
  | { readonly type: "integer"; readonly values: BigInt64Array }
  | { readonly type: "unsigned"; readonly values: BigUint64Array }
  | { readonly type: "boolean"; readonly values: boolean[] }
  | { readonly type: "string"; readonly values: string[] };

/** Times (ascending, unique) and values of one (series, field). */
export type Column = { readonly times: BigInt64Array } & ColumnValues;

/** A growable value array of one type. */
export type ValueArray = Float64Array | BigInt64Array | BigUint64Array | boolean[] | string[];

/** A new value array of `type` with room for `n` values. */
export function newValues(type: FieldType, n: number): ValueArray {
  switch (type) {
    case "float":
      return new Float64Array(n);
    case "integer":
      return new BigInt64Array(n);
    case "unsigned":
      return new BigUint64Array(n);
    case "boolean":
      return new Array<boolean>(n);
    case "string":
      return new Array<string>(n);
  }
}

/** Builds a column from parts (no copy); the caller guarantees the types match. */
export function makeColumn(type: FieldType, times: BigInt64Array, values: ValueArray): Column {
  return { type, times, values } as Column;
}

/** An empty column of `type`. */
export function emptyColumn(type: FieldType): Column {
  return makeColumn(type, new BigInt64Array(0), newValues(type, 0));
}

/** The value at `i` of any column. */
export function valueAt(c: Column, i: number): FieldValue {
  return c.values[i];
}

/** Rows `[start, end)` of a column (views for typed arrays, copies for plain arrays). */
export function sliceColumn(c: Column, start: number, end: number): Column {
  if (start === 0 && end === c.times.length) return c;
  const v = c.values;
  const values = Array.isArray(v) ? v.slice(start, end) : v.subarray(start, end);
  return makeColumn(c.type, c.times.subarray(start, end), values);
}

/** First index whose time is ≥ `t` (binary search). */
export function lowerBound(times: BigInt64Array, t: bigint): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows with `min ≤ time ≤ max`. */
export function rangeColumn(c: Column, min: bigint, max: bigint): Column {
  const n = c.times.length;
  if (n === 0 || (c.times[0] >= min && c.times[n - 1] <= max)) return c;
  const start = lowerBound(c.times, min);
  const end = max >= 9223372036854775807n ? n : lowerBound(c.times, max + 1n);
  return sliceColumn(c, start, end);
}

/** The rows outside `[min, max]` (what a DELETE keeps). */
export function withoutRange(c: Column, min: bigint, max: bigint): Column {
  const start = lowerBound(c.times, min);
  const end = max >= 9223372036854775807n ? c.times.length : lowerBound(c.times, max + 1n);
  if (start >= end) return c;
  return concatColumns(c.type, [sliceColumn(c, 0, start), sliceColumn(c, end, c.times.length)]);
}

/** Concatenates time-ordered, non-overlapping columns of one type. */
export function concatColumns(type: FieldType, parts: readonly Column[]): Column {
  const nonEmpty = parts.filter((p) => p.times.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0];
  let n = 0;
  for (const p of nonEmpty) n += p.times.length;
  const times = new BigInt64Array(n);
  const values = newValues(type, n);
  let off = 0;
  for (const p of nonEmpty) {
    times.set(p.times, off);
    copyValues(values, p.values, off);
    off += p.times.length;
  }
  return makeColumn(type, times, values);
}

function copyValues(dst: ValueArray, src: ValueArray, off: number): void {
  if (Array.isArray(dst)) {
    const s = src as (boolean | string)[];
    for (let i = 0; i < s.length; i++) dst[off + i] = s[i];
  } else {
    (dst as Float64Array).set(src as Float64Array, off);
  }
}

/**
 * Merges two time-ordered columns of one type; on equal times `newer` wins (last write
 * wins). Either side may be empty.
 */
export function mergeColumns(older: Column, newer: Column): Column {
  const a = older.times;
  const b = newer.times;
  if (a.length === 0) return newer;
  if (b.length === 0) return older;
  if (a[a.length - 1] < b[0]) return concatColumns(older.type, [older, newer]);
  if (b[b.length - 1] < a[0]) return concatColumns(older.type, [newer, older]);
  const times = new BigInt64Array(a.length + b.length);
  const values = newValues(older.type, a.length + b.length) as (FieldValue)[];
  const av = older.values as ArrayLike<FieldValue>;
  const bv = newer.values as ArrayLike<FieldValue>;
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const ta = a[i];
    const tb = b[j];
    if (ta < tb) {
      times[k] = ta;
      values[k++] = av[i++];
    } else if (tb < ta) {
      times[k] = tb;
      values[k++] = bv[j++];
    } else {
      times[k] = tb;
      values[k++] = bv[j++];
      i++;
    }
  }
  while (i < a.length) {
    times[k] = a[i];
    values[k++] = av[i++];
  }
  while (j < b.length) {
    times[k] = b[j];
    values[k++] = bv[j++];
  }
  return sliceColumn(makeColumn(older.type, times, values as ValueArray), 0, k);
}
