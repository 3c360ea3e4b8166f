/** Operations on whole point batches: joining two, and freeing one's memory early. */

import type { PointBatch } from "./point_batch.ts";

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

/** The distinct ArrayBuffers behind a batch's columns (what a worker transfers). */
export function batchBuffers(b: PointBatch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const columns = [
    b.seriesOf,
    b.times,
    b.fieldStart,
    b.fieldKeyOf,
    b.fieldTypes,
    b.numbers,
    b.places,
    b.integers,
  ];
  for (const a of columns) if (a !== null && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}

/** `releaseBytes` for every column of a batch nobody will read again. */
export function releaseBatch(b: PointBatch): void {
  for (const buf of batchBuffers(b)) if (!buf.detached && buf.byteLength > 0) buf.transfer(0);
}
