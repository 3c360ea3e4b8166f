import assert from "node:assert/strict";
import { parseStatement, type SelectStatement } from "../../src/influxql/mod.ts";
import type { FieldType } from "../../src/models/point.ts";
import { callTypeError } from "../../src/query/validate_types.ts";
import { withNode } from "./helpers.ts";

const TYPES: Record<string, FieldType> = {
  f: "float",
  i: "integer",
  s: "string",
  b: "boolean",
};

function typeError(q: string): string | null {
  const s = parseStatement(q) as SelectStatement;
  return callTypeError(s.fields.map((f) => f.expr), (name) => TYPES[name]);
}

Deno.test("callTypeError: InfluxDB 1.6.7's iterator type errors", () => {
  const cases: [string, string | null][] = [
    ["SELECT mean(s) FROM t", "unsupported mean iterator type: *query.stringInterruptIterator"],
    ["SELECT sum(b) FROM t", "unsupported sum iterator type: *query.booleanInterruptIterator"],
    ["SELECT max(s) FROM t", "unsupported max iterator type: *query.stringInterruptIterator"],
    ["SELECT max(b), min(b) FROM t", null],
    [
      "SELECT non_negative_derivative(b) FROM t",
      "unsupported derivative iterator type: *query.booleanInterruptIterator",
    ],
    [
      "SELECT cumulative_sum(s) FROM t",
      "unsupported cumulative sum iterator type: *query.stringInterruptIterator",
    ],
    [
      "SELECT moving_average(s, 2) FROM t",
      "unsupported moving average iterator type: *query.stringInterruptIterator",
    ],
    ["SELECT top(b, 1) FROM t", "unsupported top iterator type: *query.booleanInterruptIterator"],
    // The first failing call in field order; nested aggregates are checked too.
    [
      "SELECT count(s), mean(s) FROM t",
      "unsupported mean iterator type: *query.stringInterruptIterator",
    ],
    [
      "SELECT derivative(mean(s)) FROM t GROUP BY time(1d)",
      "unsupported mean iterator type: *query.stringInterruptIterator",
    ],
    // Functions that read any type, unknown fields, tags and mismatched casts raise nothing.
    [
      "SELECT count(s), first(b), last(s), mode(s), distinct(b), sample(s, 2), elapsed(b) FROM t",
      null,
    ],
    ["SELECT mean(nope), mean(f), sum(i) FROM t", null],
    ["SELECT mean(s::float), mean(f::string), mean(s::tag) FROM t", null],
    [
      "SELECT mean(s::string) FROM t",
      "unsupported mean iterator type: *query.stringInterruptIterator",
    ],
    ["SELECT mean(i::float) FROM t", null],
  ];
  for (const [q, text] of cases) assert.equal(typeError(q), text, q);
});

const EVENTS = [
  'events,type=a message="hi",ok=true,code=200i 1000000000',
  'events,type=b message="yo",ok=false,code=500i 2000000000',
].join("\n");

Deno.test("executor: type errors only where a shard in range holds the field", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const [mean] = await n.query("SELECT mean(message) FROM events");
    assert.equal(mean.error, "unsupported mean iterator type: *query.stringInterruptIterator");
    assert.equal(mean.series, undefined);
    const [chunked] = await n.query("SELECT mean(message) FROM events", { chunkSize: 10 });
    assert.equal(chunked.error, "unsupported mean iterator type: *query.stringInterruptIterator");
    // No shard overlaps the range, so nothing is read and nothing fails.
    const [later] = await n.query(
      "SELECT mean(message) FROM events WHERE time > '1970-03-01T00:00:00Z'",
    );
    assert.deepEqual(later, { statementId: 0 });
    const [count] = await n.query("SELECT count(message) FROM events");
    assert.deepEqual(count.series?.[0].values, [[0n, 2n]]);
  });
});

Deno.test("executor: an outer function over a subquery's string field fails too", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const error = "unsupported mean iterator type: *query.stringInterruptIterator";
    const [plain] = await n.query("SELECT mean(message) FROM (SELECT message FROM events)");
    assert.equal(plain.error, error);
    const [aliased] = await n.query("SELECT mean(m) FROM (SELECT message AS m FROM events)");
    assert.equal(aliased.error, error);
    const [num] = await n.query("SELECT mean(code) FROM (SELECT * FROM events)");
    assert.equal(num.error, undefined, num.error);
  });
});

Deno.test("executor: after a failure the rest are 'not executed' under its id", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const r = await n.query(
      "SELECT count(code) FROM events; SELECT mean(message) FROM events; SELECT max(code) FROM events; SHOW DATABASES",
    );
    assert.deepEqual(r.map((x) => [x.statementId, x.error]), [
      [0, undefined],
      [1, "unsupported mean iterator type: *query.stringInterruptIterator"],
      [1, "not executed"],
      [1, "not executed"],
    ]);
  });
});

Deno.test("executor: database errors come before compile errors", async () => {
  await withNode(async (n) => {
    const [r] = await n.query("SELECT * FROM nope.autogen.cpu fill(none)");
    assert.equal(r.error, "database not found: nope");
    const [c] = await n.query("SELECT * FROM cpu fill(none)");
    assert.equal(c.error, "fill(none) must be used with a function");
  });
});

Deno.test("executor: GROUP BY time(0s) is one bucket at the lower bound", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const [r] = await n.query(
      "SELECT count(code) FROM events WHERE time >= 500000000 GROUP BY time(0s)",
    );
    assert.equal(r.error, undefined, r.error);
    assert.deepEqual(r.series?.[0].values, [[500_000_000n, 2n]]);
  });
});

Deno.test("executor: OR with a time condition intersects, as InfluxDB 1.6 does", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const [r] = await n.query("SELECT code FROM events WHERE time > 1500000000 OR type = 'a'");
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.series, undefined);
    const [both] = await n.query("SELECT code FROM events WHERE time > 0 OR type = 'b'");
    assert.deepEqual(both.series?.[0].values, [[2_000_000_000n, 500n]]);
  });
});

Deno.test("executor: DELETE on a database with no shard accepts any condition", async () => {
  await withNode(async (n) => {
    const [ok] = await n.query("DELETE FROM m WHERE water_level > 1");
    assert.deepEqual(ok, { statementId: 0 });
    const [bad] = await n.query("DELETE FROM m WHERE time > 'abc'");
    assert.equal(
      bad.error,
      "invalid operation: time and *influxql.StringLiteral are not compatible",
    );
    await n.write(EVENTS);
    const [fields] = await n.query("DELETE FROM events WHERE code > 1");
    assert.equal(fields.error, "fields not supported in WHERE clause during deletion");
  });
});
