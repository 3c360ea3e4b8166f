import assert from "node:assert/strict";
import { Cache, CacheEntry } from "../../src/storage/cache.ts";
import { type Column, makeColumn, mergeColumns, withoutRange } from "../../src/storage/column.ts";

const rows = (c: Column) => Array.from(c.times, (t, i) => [t, c.values[i]]);

Deno.test("cache entry: out-of-order and repeated times sort, the last write of a time wins", () => {
  const e = new CacheEntry(1, 1, "string");
  for (
    const [t, v] of [[5n, "a"], [3n, "b"], [5n, "c"], [1n, "d"], [3n, "e"], [9n, "f"]] as const
  ) {
    e.append(t, v);
  }
  assert.deepEqual(rows(e.column()), [[1n, "d"], [3n, "e"], [5n, "c"], [9n, "f"]]);
  assert.deepEqual(rows(e.range(2n, 5n)), [[3n, "e"], [5n, "c"]]);
  e.append(3n, "g");
  assert.deepEqual(rows(e.column()), [[1n, "d"], [3n, "g"], [5n, "c"], [9n, "f"]]);
  assert.equal(e.deleteRange(2n, 5n), 2);
  assert.deepEqual(rows(e.column()), [[1n, "d"], [9n, "f"]]);
});

Deno.test("cache entry: grows past its first buffer and keeps earlier views intact", () => {
  const e = new CacheEntry(1, 1, "float");
  for (let i = 0; i < 100; i++) e.append(BigInt(i), i);
  const view = e.column();
  for (let i = 100; i < 1000; i++) e.append(BigInt(i), i);
  assert.equal(view.times.length, 100);
  assert.equal(view.values[99], 99);
  assert.equal(e.column().times.length, 1000);
});

Deno.test("cache: size estimate grows with values and shrinks with deletes", () => {
  const c = new Cache();
  assert.equal(c.empty, true);
  c.append(1, 1, "integer", 1n, 5n);
  const one = c.bytes;
  for (let i = 2; i < 100; i++) c.append(1, 1, "integer", BigInt(i), 5n);
  assert.ok(c.bytes > one);
  c.deleteSeries(1);
  assert.equal(c.empty, true);
  assert.equal(c.bytes, 0);
});

Deno.test("columns: merge lets the newer side win on equal times; range removal", () => {
  const a = makeColumn("float", new BigInt64Array([1n, 3n, 5n]), new Float64Array([1, 3, 5]));
  const b = makeColumn("float", new BigInt64Array([2n, 3n, 6n]), new Float64Array([20, 30, 60]));
  assert.deepEqual(rows(mergeColumns(a, b)), [[1n, 1], [2n, 20], [3n, 30], [5n, 5], [6n, 60]]);
  assert.deepEqual(rows(mergeColumns(b, a)), [[1n, 1], [2n, 20], [3n, 3], [5n, 5], [6n, 60]]);
  assert.deepEqual(rows(withoutRange(a, 2n, 4n)), [[1n, 1], [5n, 5]]);
  assert.deepEqual(rows(withoutRange(a, 0n, 9223372036854775807n)), []);
});
