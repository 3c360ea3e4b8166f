import assert from "node:assert/strict";
import type { Tag } from "../../src/models/point.ts";
import { tagPredicate as p } from "../../src/storage/predicate.ts";
import { SeriesIndex } from "../../src/storage/series_index.ts";

function index(): SeriesIndex {
  const idx = new SeriesIndex();
  const add = (m: string, tags: Tag[]) =>
    idx.createSeries(m, m + tags.map(([k, v]) => `,${k}=${v}`).join(""), tags);
  add("cpu", [["host", "a"], ["region", "us"]]); // 1
  add("cpu", [["host", "b"], ["region", "eu"]]); // 2
  add("cpu", [["host", "c"]]); // 3 (no region)
  add("cpu", []); // 4 (no tags)
  add("mem", [["host", "a"]]); // 5
  return idx;
}

Deno.test("series index: = and != including the empty value for a missing tag", () => {
  const idx = index();
  assert.deepEqual(idx.match("cpu", p.eq("host", "a")), [1]);
  assert.deepEqual(idx.match("cpu", p.neq("host", "a")), [2, 3, 4]);
  assert.deepEqual(idx.match("cpu", p.eq("region", "")), [3, 4]);
  assert.deepEqual(idx.match("cpu", p.neq("region", "")), [1, 2]);
  assert.deepEqual(idx.match("cpu", p.eq("nope", "x")), []);
  assert.deepEqual(idx.match("cpu", p.neq("nope", "x")), [1, 2, 3, 4]);
  assert.deepEqual(idx.match("disk", p.all()), []);
});

Deno.test("series index: =~ and !~, where a missing tag matches as the empty string", () => {
  const idx = index();
  assert.deepEqual(idx.match("cpu", p.match("host", /^[ab]$/)), [1, 2]);
  assert.deepEqual(idx.match("cpu", p.nmatch("host", /^[ab]$/)), [3, 4]);
  assert.deepEqual(idx.match("cpu", p.match("region", /.*/)), [1, 2, 3, 4]);
  assert.deepEqual(idx.match("cpu", p.match("region", /.+/)), [1, 2]);
  assert.deepEqual(idx.match("cpu", p.nmatch("region", /u/)), [3, 4]);
  // A global regex must not carry state between tests.
  assert.deepEqual(idx.match("cpu", p.match("host", /a/g)), [1]);
  assert.deepEqual(idx.match("cpu", p.match("host", /a/g)), [1]);
});

Deno.test("series index: AND / OR combine", () => {
  const idx = index();
  assert.deepEqual(idx.match("cpu", p.or(p.eq("host", "a"), p.eq("region", "eu"))), [1, 2]);
  assert.deepEqual(idx.match("cpu", p.and(p.eq("host", "a"), p.eq("region", "eu"))), []);
  assert.deepEqual(
    idx.match("cpu", p.and(p.neq("host", "b"), p.or(p.eq("region", "us"), p.eq("region", "")))),
    [1, 3, 4],
  );
});

Deno.test("series index: SHOW listings and removal", () => {
  const idx = index();
  assert.deepEqual(idx.measurements(), ["cpu", "mem"]);
  assert.deepEqual(idx.tagKeys("cpu"), ["host", "region"]);
  assert.deepEqual(idx.tagKeys("cpu", p.eq("host", "c")), ["host"]);
  assert.deepEqual(idx.tagValues("cpu", "host"), ["a", "b", "c"]);
  assert.deepEqual(idx.tagValues("cpu", "host", p.eq("region", "eu")), ["b"]);
  assert.deepEqual(idx.matchSeries("cpu", p.all()).map((s) => s.key), [
    "cpu",
    "cpu,host=a,region=us",
    "cpu,host=b,region=eu",
    "cpu,host=c",
  ]);
  idx.removeSeries(5);
  assert.deepEqual(idx.measurements(), ["cpu"]);
  idx.removeSeries(2);
  assert.deepEqual(idx.tagValues("cpu", "region"), ["us"]);
  assert.equal(idx.seriesByKey("cpu,host=b,region=eu"), undefined);
});

Deno.test("series index: field types are fixed per measurement", () => {
  const idx = new SeriesIndex();
  const a = idx.resolveField("cpu", "x", "float");
  assert.ok(!(a instanceof Error) && a.created);
  const b = idx.resolveField("cpu", "x", "float");
  assert.ok(!(b instanceof Error) && !b.created);
  const c = idx.resolveField("cpu", "x", "integer");
  assert.ok(c instanceof Error);
  assert.equal(
    c.message,
    'field type conflict: input field "x" on measurement "cpu" is type integer, already exists as type float',
  );
  // Another measurement may use another type.
  assert.ok(!(idx.resolveField("mem", "x", "integer") instanceof Error));
  assert.deepEqual(idx.fieldKeys("cpu").map((f) => [f.key, f.type]), [["x", "float"]]);
});

Deno.test("series index: tag values stay sorted and current as series come and go", () => {
  const idx = index();
  assert.deepEqual(idx.tagValues("cpu", "host"), ["a", "b", "c"]);
  idx.createSeries("cpu", "cpu,host=0", [["host", "0"]]); // 6: a new value
  assert.deepEqual(idx.tagValues("cpu", "host"), ["0", "a", "b", "c"]);
  idx.createSeries("cpu", "cpu,host=a,x=1", [["host", "a"], ["x", "1"]]); // 7: a known value
  assert.deepEqual(idx.tagValues("cpu", "host"), ["0", "a", "b", "c"]);
  idx.removeSeries(2); // the only series with host=b
  assert.deepEqual(idx.tagValues("cpu", "host"), ["0", "a", "c"]);
  idx.removeSeries(1); // host=a lives on in series 7
  assert.deepEqual(idx.tagValues("cpu", "host"), ["0", "a", "c"]);
  assert.deepEqual(idx.tagValues("cpu", "region"), []);
});
