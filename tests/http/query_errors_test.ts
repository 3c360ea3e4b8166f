import assert from "node:assert/strict";
import { Hono } from "hono";
import { handleQuery } from "../../src/http/query_handler.ts";
import { mergeResults } from "../../src/http/query_response.ts";
import { type TestNode, withNode } from "../query/helpers.ts";

function app(n: TestNode): Hono {
  const a = new Hono();
  a.get("/query", (c) => handleQuery(c, { executor: n.executor, now: () => 3_600_000_000_000n }));
  return a;
}

async function get(n: TestNode, params: Record<string, string>, headers: HeadersInit = {}) {
  const res = await app(n).request("/query?" + new URLSearchParams(params), { headers });
  return { status: res.status, body: await res.text() };
}

const EVENTS = [
  'events,type=a message="hi",code=200i 1000000000',
  'events,type=b message="yo",code=500i 2000000000',
].join("\n");

const MEAN_ERROR = "unsupported mean iterator type: *query.stringInterruptIterator";

// The bodies below are what InfluxDB 1.6.7 answers for the same requests.
Deno.test("a failed statement then 'not executed': non-chunked keeps the last", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const r = await get(n, {
      db: "db",
      q: "SELECT count(code) FROM events; SELECT mean(message) FROM events; SELECT max(code) FROM events",
    });
    assert.equal(r.status, 200);
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"series":[{"name":"events","columns":["time","count"],' +
        '"values":[["1970-01-01T00:00:00Z",2]]}]},{"statement_id":1,"error":"not executed"}]}\n',
    );
    const last = await get(n, { db: "db", q: "SELECT mean(message) FROM events" });
    assert.equal(last.body, `{"results":[{"statement_id":0,"error":"${MEAN_ERROR}"}]}\n`);
  });
});

Deno.test("chunked: the error, then one 'not executed' per statement left, same id", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const r = await get(n, {
      db: "db",
      chunked: "true",
      q: "SELECT mean(message) FROM events; SHOW DATABASES; SHOW DATABASES",
    });
    assert.equal(
      r.body,
      `{"results":[{"statement_id":0,"error":"${MEAN_ERROR}"}]}\n` +
        '{"results":[{"statement_id":0,"error":"not executed"}]}\n' +
        '{"results":[{"statement_id":0,"error":"not executed"}]}\n',
    );
  });
});

Deno.test("CSV: a statement error is 200 with an empty body", async () => {
  await withNode(async (n) => {
    await n.write(EVENTS);
    const r = await get(n, { db: "db", q: "SELECT mean(message) FROM events" }, {
      Accept: "application/csv",
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, "");
  });
});

Deno.test("a function call in WHERE is a statement error (Grafana's case)", async () => {
  await withNode(async (n) => {
    const r = await get(n, {
      db: "db",
      epoch: "ms",
      q: "SELECT mean(v) FROM m WHERE mean(v) > 1 GROUP BY time(10s)",
    });
    assert.equal(r.status, 200);
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"error":"invalid function call in condition: mean(v)"}]}\n',
    );
  });
});

Deno.test("mergeResults: appends rows of the same series and keeps other results apart", () => {
  const merged = mergeResults([
    { statementId: 0, series: [{ name: "a", columns: ["time"], values: [[1n]] }], partial: true },
    {
      statementId: 0,
      series: [
        { name: "a", columns: ["time"], values: [[2n]] },
        { name: "b", columns: ["time"], values: [[3n]] },
      ],
    },
    { statementId: 1, messages: [{ level: "warning", text: "w" }] },
  ]);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0].series?.map((s) => [s.name, s.values]), [
    ["a", [[1n], [2n]]],
    ["b", [[3n]]],
  ]);
  assert.equal(merged[0].partial, false);
  assert.deepEqual(merged[1].messages, [{ level: "warning", text: "w" }]);
});
