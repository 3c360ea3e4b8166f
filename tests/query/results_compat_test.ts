/** SELECT results that must match InfluxDB 1.6.7 (the differences the compat harness found). */
import assert from "node:assert/strict";
import { parseQuery } from "../../src/influxql/mod.ts";
import type { FieldValue } from "../../src/models/point.ts";
import { StatementExecutor, type StatementResult } from "../../src/query/mod.ts";
import { chunkResult } from "../../src/query/chunk.ts";
import { goHeapMerge, goSort } from "../../src/query/select_go_sort.ts";
import { FakeMeta, FakeShard, FakeShards } from "./fakes.ts";

const S = 1_000_000_000n;
const s = (n: number) => BigInt(n) * S;

type Row = [string, Record<string, string>, Record<string, FieldValue>, bigint];

function executor(rows: readonly Row[], shardOf: (t: bigint) => number = () => 1) {
  const shardsById = new Map<number, FakeShard>();
  for (const [m, tags, fields, t] of rows) {
    const id = shardOf(t);
    let sh = shardsById.get(id);
    if (sh === undefined) shardsById.set(id, sh = new FakeShard(2));
    sh.add(m, tags, fields, t);
  }
  const groups = [...shardsById.keys()].sort().map((id) => ({
    id,
    start: s((id - 1) * 1000),
    end: s(id * 1000),
    shards: [{ id, owners: [1] }],
  }));
  const meta = new FakeMeta().addDatabase("db", groups);
  const exec = new StatementExecutor({ meta, shards: new FakeShards(shardsById) });
  const run = async (q: string, chunkSize = 0): Promise<StatementResult[]> => {
    const out: StatementResult[] = [];
    const opts = { database: "db", retentionPolicy: "", now: s(3000), chunkSize };
    for await (const r of exec.execute(parseQuery(q), opts)) out.push(r);
    return out;
  };
  const series = async (q: string) => {
    const [r] = await run(q);
    assert.equal(r.error, undefined, r.error);
    return (r.series ?? []).map((x) => ({ tags: x.tags, columns: x.columns, values: x.values }));
  };
  return { run, series };
}

Deno.test("::integer truncates floats toward zero and ::float widens integers", async () => {
  const f = executor([
    ["m", {}, { v: 4.7, i: 3n }, s(1)],
    ["m", {}, { v: -2.5, i: -1n }, s(2)],
  ]);
  const [r] = await f.series("SELECT v::integer, i::float FROM m");
  assert.deepEqual(r.values, [[s(1), 4n, 3], [s(2), -2n, -1]]);
});

Deno.test("a row whose expression misses one operand is kept with null", async () => {
  const f = executor([
    ["m", {}, { a: 1, b: 2 }, s(1)],
    ["m", {}, { a: 5 }, s(2)],
    ["m", {}, { c: 7 }, s(3)],
  ]);
  const [r] = await f.series("SELECT a + b FROM m");
  assert.deepEqual(r.values, [[s(1), 3], [s(2), null]]);
});

Deno.test("max(*) and min(*) include boolean fields; mean(*) does not", async () => {
  const f = executor([
    ["m", {}, { v: 1, ok: false }, s(1)],
    ["m", {}, { v: 3, ok: true }, s(2)],
  ]);
  assert.deepEqual((await f.series("SELECT max(*) FROM m"))[0].columns, [
    "time",
    "max_ok",
    "max_v",
  ]);
  assert.deepEqual((await f.series("SELECT mean(*) FROM m"))[0].columns, ["time", "mean_v"]);
});

Deno.test("percentile(x, 0) returns no series", async () => {
  const f = executor([["m", {}, { v: 1 }, s(1)], ["m", {}, { v: 2 }, s(2)]]);
  assert.deepEqual(await f.series("SELECT percentile(v, 0) FROM m"), []);
});

Deno.test("sample() returns its points in time order across series", async () => {
  const f = executor([
    ["m", { t: "b" }, { v: 1 }, s(1)],
    ["m", { t: "a" }, { v: 2 }, s(2)],
    ["m", {}, { v: 3 }, s(3)],
  ]);
  const [r] = await f.series("SELECT sample(v, 10) FROM m");
  assert.deepEqual(r.values, [[s(1), 1], [s(2), 2], [s(3), 3]]);
});

Deno.test("ORDER BY time DESC reverses the series order and fill(previous) follows it", async () => {
  const f = executor([
    ["m", { h: "a" }, { v: 1 }, s(0)],
    ["m", { h: "b" }, { v: 2 }, s(0)],
    ["m", { h: "b" }, { v: 5 }, s(20)],
  ]);
  const got = await f.series(
    "SELECT max(v) FROM m WHERE time >= 0s AND time < 30s GROUP BY time(10s), h " +
      "fill(previous) ORDER BY time DESC",
  );
  assert.deepEqual(got.map((x) => x.tags), [{ h: "b" }, { h: "a" }]);
  // Windows 20s, 10s, 0s: the empty 10s window takes the value shown before it (20s).
  assert.deepEqual(got[0].values, [[s(20), 5], [s(10), 5], [s(0), 2]]);
});

Deno.test("integer fill(linear) is computed in float64 and truncated, as Go does", async () => {
  const f = executor([
    ["m", {}, { v: 3n }, s(0)],
    ["m", {}, { v: 0n }, s(30)],
  ]);
  const [r] = await f.series(
    "SELECT max(v) FROM m WHERE time >= 0s AND time < 40s GROUP BY time(10s) fill(linear)",
  );
  // 3 + (-3/30s)*10s = 2.0000000000000004 in float64 → 2; 3 + (-0.1)*20 = 1.
  assert.deepEqual(r.values, [[s(0), 3n], [s(10), 2n], [s(20), 1n], [s(30), 0n]]);
});

Deno.test("integral() carries the interpolated edge point into the next window", async () => {
  const f = executor([
    ["m", {}, { v: 0 }, s(0)],
    ["m", {}, { v: 20 }, s(20)],
    ["m", {}, { v: 20 }, s(25)],
  ]);
  const [r] = await f.series(
    "SELECT integral(v) FROM m WHERE time >= 0s AND time < 30s GROUP BY time(10s)",
  );
  // Window 0: 0 → 10 at its edge, area 50. The next point (20s) opens window 20, which
  // takes the area from the edge point (10s, 10) to it (150) plus 20s..25s (100). Window 10
  // gets nothing and, as integral() is never filled in InfluxDB, has no row.
  assert.deepEqual(r.values, [[s(0), 50], [s(20), 250]]);
});

Deno.test("SOFFSET without SLIMIT returns no series (InfluxDB 1.6 quirk)", async () => {
  const f = executor([["m", { h: "a" }, { v: 1 }, s(1)], ["m", { h: "b" }, { v: 2 }, s(1)]]);
  assert.deepEqual(await f.series("SELECT mean(v) FROM m GROUP BY h SOFFSET 1"), []);
  const got = await f.series("SELECT mean(v) FROM m GROUP BY h SLIMIT 1 SOFFSET 1");
  assert.deepEqual(got.map((x) => x.tags), [{ h: "b" }]);
});

Deno.test("chunked SELECT never puts two series in one chunk", async () => {
  const f = executor([
    ["m", { h: "a" }, { v: 1 }, s(1)],
    ["m", { h: "a" }, { v: 2 }, s(2)],
    ["m", { h: "a" }, { v: 3 }, s(3)],
    ["m", { h: "b" }, { v: 4 }, s(1)],
  ]);
  const out = await f.run("SELECT v FROM m GROUP BY h", 2);
  assert.deepEqual(
    out.map((r) => [r.partial ?? false, r.series?.map((x) => [x.tags?.h, x.values.length])]),
    [[true, [["a", 2]]], [true, [["a", 1]]], [false, [["b", 1]]]],
  );
});

Deno.test("chunked SHOW TAG VALUES sends one whole result per measurement", () => {
  const series = ["cpu", "mem"].map((name) => ({
    name,
    columns: ["key", "value"],
    values: [["host", "a"], ["host", "b"], ["host", "c"]],
  }));
  const parts = chunkResult({ statementId: 0, series }, 2);
  assert.deepEqual(
    parts.map((p) => [p.partial, p.series?.map((x) => [x.name, x.values.length, x.partial])]),
    [[undefined, [["cpu", 3, undefined]]], [undefined, [["mem", 3, undefined]]]],
  );
});

Deno.test("equal times from two series come out in InfluxDB's heap order", async () => {
  const f = executor([
    ["m", { h: "a" }, { v: 1 }, s(0)],
    ["m", { h: "a" }, { v: 2 }, s(5)],
    ["m", { h: "b" }, { v: 4 }, s(5)],
  ]);
  const [r] = await f.series("SELECT v, h FROM m");
  // Go's heap pops a at 0s and pushes a@5s below b@5s, so b comes first at 5s.
  assert.deepEqual(r.values, [[s(0), 1, "a"], [s(5), 4, "b"], [s(5), 2, "a"]]);
});

Deno.test("mode() breaks ties as InfluxDB's ModeReduceSlice does", async () => {
  const f = executor([
    ["m", {}, { v: 71n }, s(1)],
    ["m", {}, { v: 61n }, s(2)],
    ["m", {}, { v: 71n }, s(3)],
    ["m", {}, { v: 61n }, s(4)],
  ]);
  // Both occur twice; 71's run starts (1s) before 61's last point (4s) is beaten: 71 wins.
  const [r] = await f.series("SELECT mode(v) FROM m");
  assert.deepEqual(r.values, [[0n, 71n]]);
});

Deno.test("goSort sorts like Go's pdqsort, on short and long inputs", () => {
  for (const n of [0, 1, 5, 13, 60, 500]) {
    const xs = Array.from({ length: n }, (_, i) => (i * 7919) % 97);
    goSort({
      less: (i, j) => xs[i] < xs[j],
      swap: (i, j) => ([xs[i], xs[j]] = [xs[j], xs[i]]),
    }, n);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
  }
});

Deno.test("goHeapMerge merges runs by time with Go heap tie order", () => {
  const ts = [0, 5, 0, 5];
  assert.deepEqual(goHeapMerge([[0, 1], [2, 3]], (a, b) => ts[a] < ts[b]), [0, 2, 1, 3]);
  const us = [0, 5, 5];
  assert.deepEqual(goHeapMerge([[0, 1], [2]], (a, b) => us[a] < us[b]), [0, 2, 1]);
});

Deno.test("a cast to a type the field does not have reads nothing", async () => {
  const f = executor([["m", {}, { v: 1.5, s: "x" }, s(1)]]);
  assert.deepEqual(await f.series("SELECT v::string FROM m"), []);
  const [r] = await f.series("SELECT v::string, s FROM m");
  assert.deepEqual(r.values, [[s(1), null, "x"]]);
});

Deno.test("percentile() picks among equal values as Go's sort over the merged input does", async () => {
  // Both series hold 5 at different times; InfluxDB's sorted merge feeds a, b, a, b, then Go's
  // sort decides which 5 sits at the rank.
  const f = executor([
    ["m", { h: "a" }, { v: 5 }, s(1)],
    ["m", { h: "b" }, { v: 5 }, s(2)],
    ["m", { h: "a" }, { v: 1 }, s(3)],
    ["m", { h: "b" }, { v: 9 }, s(4)],
  ]);
  const [r] = await f.series("SELECT percentile(v, 50) FROM m");
  assert.deepEqual(r.values, [[s(1), 5]]);
});

Deno.test("integral() merges equal times of several series in heap order across windows", async () => {
  // a and b both have a point on the 10s edge. InfluxDB's heap yields b's first (a's was
  // pushed below it): window 0 interpolates toward b's 20 (area 100); a's 10 then replaces
  // it at the same time, and window 10 integrates 10 → 20 over 5s (75).
  const f = executor([
    ["m", { h: "a" }, { v: 0 }, s(0)],
    ["m", { h: "a" }, { v: 10 }, s(10)],
    ["m", { h: "b" }, { v: 20 }, s(10)],
    ["m", { h: "b" }, { v: 20 }, s(15)],
  ]);
  const [r] = await f.series(
    "SELECT integral(v) FROM m WHERE time >= 0s AND time < 20s GROUP BY time(10s)",
  );
  assert.deepEqual(r.values, [[s(0), 100], [s(10), 75]]);
});
