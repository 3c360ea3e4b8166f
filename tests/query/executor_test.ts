import assert from "node:assert/strict";
import { parseQuery } from "../../src/influxql/mod.ts";
import type { Point } from "../../src/models/point.ts";
import { StatementExecutor, type StatementResult } from "../../src/query/mod.ts";
import { FakeMeta, FakeShard, FakeShards } from "./fakes.ts";

const S = 1_000_000_000n;
const s = (n: number) => BigInt(n) * S;

function fixture() {
  const shard = new FakeShard(2)
    .add("cpu", { host: "a" }, { v: 1, i: 1n }, 0n)
    .add("cpu", { host: "a" }, { v: 3, i: 3n }, s(10))
    .add("cpu", { host: "a" }, { v: 2, i: 2n }, s(20))
    .add("cpu", { host: "a" }, { v: 8, i: 8n }, s(40))
    .add("cpu", { host: "b" }, { v: 10, i: 10n }, 0n)
    .add("cpu", { host: "b" }, { v: 20, i: 20n }, s(10))
    .add("mem", { host: "a" }, { free: 5n }, 0n);
  const meta = new FakeMeta().addDatabase("db", [
    { id: 1, start: 0n, end: s(3600), shards: [{ id: 1, owners: [1] }] },
  ]);
  const shards = new FakeShards(new Map([[1, shard]]));
  const written: Point[] = [];
  const exec = new StatementExecutor({
    meta,
    shards,
    random: () => 0,
    writePoints: (_db, _rp, pts) => {
      written.push(...pts);
      return Promise.resolve();
    },
  });
  const run = async (q: string): Promise<StatementResult[]> => {
    const out: StatementResult[] = [];
    for await (
      const r of exec.execute(parseQuery(q), { database: "db", retentionPolicy: "", now: s(3000) })
    ) out.push(r);
    return out;
  };
  const values = async (q: string) => {
    const [r] = await run(q);
    assert.equal(r.error, undefined, r.error);
    return r.series?.map((x) => x.values) ?? [];
  };
  return { meta, shard, shards, written, run, values };
}

Deno.test("a lone selector keeps its point's time; several aggregates use the range start", async () => {
  const f = fixture();
  assert.deepEqual(await f.values("SELECT max(v) FROM cpu"), [[[s(10), 20]]]);
  assert.deepEqual(await f.values("SELECT max(v), min(v) FROM cpu"), [[[0n, 20, 1]]]);
  assert.deepEqual(await f.values("SELECT max(v), min(v) FROM cpu WHERE time >= 5s"), [[[
    s(5),
    20,
    2,
  ]]]);
  assert.deepEqual(await f.values("SELECT percentile(v, 50) FROM cpu"), [[[s(10), 3]]]);
});

Deno.test("GROUP BY time puts selectors at the window start", async () => {
  const f = fixture();
  assert.deepEqual(
    await f.values("SELECT max(v) FROM cpu WHERE time >= 0 AND time < 30s GROUP BY time(10s)"),
    [[[0n, 10], [s(10), 20], [s(20), 2]]],
  );
});

Deno.test("fill options", async () => {
  const f = fixture();
  const q = (fill: string) =>
    `SELECT mean(v) FROM cpu WHERE host = 'a' AND time >= 0 AND time < 50s GROUP BY time(10s) ${fill}`;
  const base = [[0n, 1], [s(10), 3], [s(20), 2]];
  assert.deepEqual(await f.values(q("")), [[...base, [s(30), null], [s(40), 8]]]);
  assert.deepEqual(await f.values(q("fill(none)")), [[...base, [s(40), 8]]]);
  assert.deepEqual(await f.values(q("fill(0)")), [[...base, [s(30), 0n], [s(40), 8]]]);
  assert.deepEqual(await f.values(q("fill(previous)")), [[...base, [s(30), 2], [s(40), 8]]]);
  assert.deepEqual(await f.values(q("fill(linear)")), [[...base, [s(30), 5], [s(40), 8]]]);
});

Deno.test("integer and float results follow InfluxDB's types", async () => {
  const f = fixture();
  assert.deepEqual(
    await f.values("SELECT sum(i), count(i), mean(i), spread(i), median(i), mode(i) FROM cpu"),
    [[[0n, 44n, 6n, 44 / 6, 19n, 5.5, 1n]]],
  );
  assert.deepEqual(await f.values("SELECT i / 2, i + 1 FROM cpu WHERE host = 'b'"), [[
    [0n, 5, 11n],
    [s(10), 10, 21n],
  ]]);
});

Deno.test("transformations over raw points", async () => {
  const f = fixture();
  const a = (call: string) => f.values(`SELECT ${call} FROM cpu WHERE host = 'a'`);
  assert.deepEqual(await a("derivative(v)"), [[[s(10), 0.2], [s(20), -0.1], [s(40), 0.3]]]);
  assert.deepEqual(await a("derivative(v, 10s)"), [[[s(10), 2], [s(20), -1], [s(40), 3]]]);
  assert.deepEqual(await a("non_negative_derivative(v, 10s)"), [[[s(10), 2], [s(40), 3]]]);
  assert.deepEqual(await a("difference(i)"), [[[s(10), 2n], [s(20), -1n], [s(40), 6n]]]);
  assert.deepEqual(await a("cumulative_sum(v)"), [[[0n, 1], [s(10), 4], [s(20), 6], [s(40), 14]]]);
  assert.deepEqual(await a("moving_average(v, 2)"), [[[s(10), 2], [s(20), 2.5], [s(40), 5]]]);
  assert.deepEqual(await a("elapsed(v, 1s)"), [[[s(10), 10n], [s(20), 10n], [s(40), 20n]]]);
});

Deno.test("derivative of an aggregate reaches one window before the range", async () => {
  const f = fixture();
  assert.deepEqual(
    await f.values(
      "SELECT derivative(mean(v)) FROM cpu WHERE host = 'a' AND time >= 10s AND time < 50s GROUP BY time(10s)",
    ),
    [[[s(10), 2], [s(20), -1], [s(40), 3]]],
  );
});

Deno.test("top, bottom and distinct", async () => {
  const f = fixture();
  assert.deepEqual(await f.values("SELECT top(v, 2) FROM cpu"), [[[0n, 10], [s(10), 20]]]);
  assert.deepEqual(await f.values("SELECT bottom(v, 2) FROM cpu"), [[[0n, 1], [s(20), 2]]]);
  assert.deepEqual(await f.values("SELECT distinct(i) FROM cpu WHERE host = 'a'"), [[
    [0n, 1n],
    [0n, 3n],
    [0n, 2n],
    [0n, 8n],
  ]]);
});

Deno.test("field conditions, ORDER BY DESC, LIMIT and SLIMIT", async () => {
  const f = fixture();
  assert.deepEqual(await f.values("SELECT v FROM cpu WHERE v > 2"), [[
    [0n, 10],
    [s(10), 3],
    [s(10), 20],
    [s(40), 8],
  ]]);
  assert.deepEqual(
    await f.values("SELECT v FROM cpu WHERE host = 'a' ORDER BY time DESC LIMIT 2"),
    [[[s(40), 8], [s(20), 2]]],
  );
  const [r] = await f.run("SELECT mean(v) FROM cpu GROUP BY host SLIMIT 1");
  assert.deepEqual(r.series, [{
    name: "cpu",
    tags: { host: "a" },
    columns: ["time", "mean"],
    values: [[0n, 3.5]],
  }]);
});

Deno.test("wildcards, regex sources and column names", async () => {
  const f = fixture();
  const [star] = await f.run("SELECT * FROM cpu WHERE host = 'b'");
  assert.deepEqual(star.series?.[0].columns, ["time", "host", "i", "v"]);
  assert.deepEqual(star.series?.[0].values[0], [0n, "b", 10n, 10]);
  const [all] = await f.run("SELECT count(*) FROM /./");
  // Like InfluxDB, `*` expands once over every source: each series has all the columns.
  assert.deepEqual(all.series?.map((x) => [x.name, x.columns, x.values]), [
    ["cpu", ["time", "count_free", "count_i", "count_v"], [[0n, null, 6n, 6n]]],
    ["mem", ["time", "count_free", "count_i", "count_v"], [[0n, 1n, null, null]]],
  ]);
  const [names] = await f.run("SELECT mean(v), mean(i), mean(v) + mean(i) FROM cpu");
  assert.deepEqual(names.series?.[0].columns, ["time", "mean", "mean_1", "mean_mean"]);
  const [grouped] = await f.run("SELECT last(v) FROM cpu GROUP BY *");
  assert.deepEqual(grouped.series?.map((x) => [x.tags, x.values]), [
    [{ host: "a" }, [[s(40), 8]]],
    [{ host: "b" }, [[s(10), 20]]],
  ]);
});

Deno.test("statement errors use InfluxDB's text", async () => {
  const f = fixture();
  const [a] = await f.run("SELECT v FROM nope.autogen.cpu");
  assert.equal(a.error, "database not found: nope");
  const [b] = await f.run("SELECT v FROM cpu GROUP BY time(1m)");
  assert.equal(b.error, "GROUP BY requires at least one aggregate function");
  const [c] = await f.run("SELECT mean(v), v FROM cpu");
  assert.equal(c.error, "mixing aggregate and non-aggregate queries is not supported");
  const errors: [string, string][] = [
    [
      "SELECT percentile(v) FROM cpu",
      "invalid number of arguments for percentile, expected 2, got 1",
    ],
    ["SELECT top(v) FROM cpu", "invalid number of arguments for top, expected at least 2, got 1"],
    [
      "SELECT derivative(v) FROM cpu WHERE time >= 0 GROUP BY time(10s)",
      "aggregate function required inside the call to derivative",
    ],
    [
      "SELECT top(v, 1), mean(v) FROM cpu",
      "selector function top() cannot be combined with other functions",
    ],
    ["SELECT nope(v) FROM cpu", "undefined function nope()"],
  ];
  for (const [q, text] of errors) assert.equal((await f.run(q))[0].error, text, q);
  const [d] = await f.run("SELECT v FROM autogen2.cpu");
  assert.equal(d.error, "retention policy not found: autogen2");
});

Deno.test("every opened shard is released", async () => {
  const f = fixture();
  await f.run("SELECT mean(v) FROM cpu GROUP BY host; SHOW MEASUREMENTS; SELECT * FROM /./");
  assert.ok(f.shards.opened > 0);
  assert.equal(f.shards.released, f.shards.opened);
});

Deno.test("SELECT INTO writes the result rows and reports the count", async () => {
  const f = fixture();
  const [r] = await f.run("SELECT mean(v) INTO cpu_mean FROM cpu GROUP BY host");
  assert.deepEqual(r.series, [{
    name: "result",
    columns: ["time", "written"],
    values: [[0n, 2n]],
  }]);
  assert.deepEqual(
    f.written.map((p) => [p.key, p.fields.map((x) => [x.key, x.value]), p.time]),
    [["cpu_mean,host=a", [["mean", 3.5]], 0n], ["cpu_mean,host=b", [["mean", 15]], 0n]],
  );
});

Deno.test("a lone selector carries the other selected fields of its point", async () => {
  const f = fixture();
  assert.deepEqual(await f.values("SELECT max(v), host, i FROM cpu"), [[[s(10), 20, "b", 20n]]]);
  assert.deepEqual(
    await f.values(
      "SELECT last(v), host FROM cpu WHERE time >= 0 AND time < 20s GROUP BY time(10s)",
    ),
    [[[0n, 10, "b"], [s(10), 20, "b"]]],
  );
});

Deno.test("subqueries feed their series to the outer statement", async () => {
  const f = fixture();
  assert.deepEqual(
    await f.values("SELECT max(mean) FROM (SELECT mean(v) FROM cpu GROUP BY host)"),
    [[[0n, 15]]],
  );
  assert.deepEqual(
    await f.values("SELECT mean(v) FROM (SELECT v, host FROM cpu) WHERE host = 'b'"),
    [[[0n, 15]]],
  );
  const [r] = await f.run(
    "SELECT sum(m) FROM (SELECT max(v) AS m FROM cpu WHERE time < 15s GROUP BY time(10s), host) GROUP BY host",
  );
  assert.deepEqual(r.series?.map((x) => [x.tags, x.values]), [
    [{ host: "a" }, [[0n, 4]]],
    [{ host: "b" }, [[0n, 30]]],
  ]);
});

Deno.test("count(distinct()) counts unique values", async () => {
  const f = fixture();
  f.shard.add("cpu", { host: "a" }, { v: 3 }, s(50));
  assert.deepEqual(await f.values("SELECT count(distinct(v)) FROM cpu"), [[[0n, 6n]]]);
});

Deno.test("cumulative_sum of an aggregate starts at the range start", async () => {
  const f = fixture();
  assert.deepEqual(
    await f.values(
      "SELECT cumulative_sum(mean(v)) FROM cpu WHERE host = 'a' AND time >= 10s AND time < 50s GROUP BY time(10s)",
    ),
    [[[s(10), 3], [s(20), 5], [s(40), 13]]],
  );
});

Deno.test("top() with a tag argument picks the best point per tag value", async () => {
  const f = fixture();
  const [r] = await f.run("SELECT top(v, host, 2) FROM cpu");
  assert.deepEqual(r.series?.[0].columns, ["time", "top", "host"]);
  assert.deepEqual(r.series?.[0].values, [[s(10), 20, "b"], [s(40), 8, "a"]]);
  assert.deepEqual(await f.values("SELECT bottom(v, host, 1) FROM cpu"), [[[0n, 1, "a"]]]);
});

Deno.test("integral: trapezoids, and areas split at window edges as InfluxDB does", async () => {
  const f = fixture();
  assert.deepEqual(await f.values("SELECT integral(v) FROM cpu WHERE host = 'a'"), [[[0n, 145]]]);
  assert.deepEqual(
    await f.values(
      "SELECT integral(v) FROM cpu WHERE host = 'a' AND time >= 0 AND time < 50s GROUP BY time(10s)",
    ),
    // InfluxDB never fills integral(): windows without points have no row.
    [[[0n, 20], [s(10), 25], [s(20), 35]]],
  );
});

Deno.test("chunked execution streams raw series in pieces marked partial", async () => {
  const f = fixture();
  const exec = new StatementExecutor({ meta: f.meta, shards: f.shards });
  const run = async (q: string, chunkSize: number) => {
    const out: StatementResult[] = [];
    const opts = { database: "db", retentionPolicy: "", now: s(3000), chunkSize };
    for await (const r of exec.execute(parseQuery(q), opts)) out.push(r);
    return out.map((r) => [
      r.partial ?? false,
      r.series?.map((x) => [x.tags?.host, x.values.length, x.partial ?? false]),
    ]);
  };
  // As InfluxDB 1.6: a chunk never holds two series.
  assert.deepEqual(await run("SELECT v FROM cpu GROUP BY host", 3), [
    [true, [["a", 3, true]]],
    [true, [["a", 1, false]]],
    [false, [["b", 2, false]]],
  ]);
  assert.deepEqual(await run("SELECT v FROM cpu GROUP BY host LIMIT 2", 3), [
    [true, [["a", 2, false]]],
    [false, [["b", 2, false]]],
  ]);
  assert.deepEqual(await run("SELECT v FROM cpu GROUP BY host SLIMIT 1 SOFFSET 1", 10), [
    [false, [["b", 2, false]]],
  ]);
  assert.deepEqual(await run("SELECT mean(v) FROM cpu GROUP BY host; SHOW DATABASES", 1), [
    [true, [["a", 1, false]]],
    [false, [["b", 1, false]]],
    [false, [[undefined, 1, false]]],
  ]);
  assert.equal(f.shards.released, f.shards.opened);
});
