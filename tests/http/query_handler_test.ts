import assert from "node:assert/strict";
import { Hono } from "hono";
import { handleQuery } from "../../src/http/query_handler.ts";
import { type TestNode, withNode } from "../query/helpers.ts";

function app(n: TestNode): Hono {
  const a = new Hono();
  a.on(
    ["GET", "POST"],
    "/query",
    (c) => handleQuery(c, { executor: n.executor, now: () => 3_600_000_000_000n }),
  );
  return a;
}

const DATA = [
  "cpu,host=a v=1.5,n=3i 0",
  "cpu,host=b v=2,n=4i 500000000",
  "cpu,host=a v=0.25,n=5i 10000000000",
].join("\n");

async function get(n: TestNode, params: Record<string, string>, headers: HeadersInit = {}) {
  const res = await app(n).request("/query?" + new URLSearchParams(params), { headers });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

Deno.test("missing q is a 400 with InfluxDB's text", async () => {
  await withNode(async (n) => {
    const r = await get(n, { db: "db" });
    assert.equal(r.status, 400);
    assert.equal(r.body, '{"error":"missing required parameter \\"q\\""}\n');
  });
});

Deno.test("parse errors are 400 with the position", async () => {
  await withNode(async (n) => {
    const r = await get(n, { db: "db", q: "SELEC v FROM cpu" });
    assert.equal(r.status, 400);
    const body = JSON.parse(r.body);
    assert.match(body.error, /^error parsing query: found SELEC, expected .* at line 1, char 1$/);
  });
});

Deno.test("SELECT returns InfluxDB's JSON with trimmed RFC3339 times", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const r = await get(n, { db: "db", q: "SELECT v, n FROM cpu" });
    assert.equal(r.status, 200);
    assert.equal(r.type, "application/json");
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v","n"],' +
        '"values":[["1970-01-01T00:00:00Z",1.5,3],["1970-01-01T00:00:00.5Z",2,4],' +
        '["1970-01-01T00:00:10Z",0.25,5]]}]}]}\n',
    );
  });
});

Deno.test("epoch=ms writes integer times; GROUP BY tags adds tags", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const r = await get(n, { db: "db", epoch: "ms", q: "SELECT sum(n) FROM cpu GROUP BY host" });
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"series":[' +
        '{"name":"cpu","tags":{"host":"a"},"columns":["time","sum"],"values":[[0,8]]},' +
        '{"name":"cpu","tags":{"host":"b"},"columns":["time","sum"],"values":[[0,4]]}]}]}\n',
    );
  });
});

Deno.test("an unknown database is a statement error, later statements not executed", async () => {
  await withNode(async (n) => {
    const r = await get(n, { db: "x", q: "SELECT v FROM cpu; SHOW DATABASES" });
    assert.equal(r.status, 200);
    // InfluxDB 1.6.7 reports "not executed" under the failed statement's id, and the
    // non-chunked reply keeps only that last result for the id.
    assert.equal(r.body, '{"results":[{"statement_id":0,"error":"not executed"}]}\n');
    const alone = await get(n, { db: "x", q: "SELECT v FROM cpu" });
    assert.equal(alone.body, '{"results":[{"statement_id":0,"error":"database not found: x"}]}\n');
  });
});

Deno.test("CSV when Accept: application/csv", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const r = await get(n, { db: "db", q: "SELECT v FROM cpu GROUP BY host" }, {
      Accept: "application/csv",
    });
    assert.equal(r.type, "text/csv");
    assert.equal(
      r.body,
      "name,tags,time,v\ncpu,host=a,0,1.5\ncpu,host=a,10000000000,0.25\ncpu,host=b,500000000,2\n",
    );
  });
});

Deno.test("chunked output splits series into partial chunks", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const r = await get(n, {
      db: "db",
      epoch: "s",
      chunked: "true",
      chunk_size: "2",
      q: "SELECT v FROM cpu",
    });
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],' +
        '"values":[[0,1.5],[0,2]],"partial":true}],"partial":true}]}\n' +
        '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],' +
        '"values":[[10,0.25]]}]}]}\n',
    );
  });
});

Deno.test("POST form creates a database; GET of a write statement carries the warning", async () => {
  await withNode(async (n) => {
    const res = await app(n).request("/query", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "q=CREATE+DATABASE+mydb",
    });
    assert.equal(await res.text(), '{"results":[{"statement_id":0}]}\n');
    assert.ok(n.meta.database("mydb"));
    const r = await get(n, { q: "CREATE DATABASE other" });
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"messages":[{"level":"warning","text":' +
        "\"deprecated use of 'CREATE DATABASE other' in a read only context, please use a " +
        'POST request instead"}]}]}\n',
    );
  });
});

Deno.test("pretty=true indents with four spaces like MarshalIndent", async () => {
  await withNode(async (n) => {
    const r = await get(n, { q: "SHOW DATABASES", pretty: "true" });
    assert.equal(
      r.body,
      `{
    "results": [
        {
            "statement_id": 0,
            "series": [
                {
                    "name": "databases",
                    "columns": [
                        "name"
                    ],
                    "values": [
                        [
                            "db"
                        ]
                    ]
                }
            ]
        }
    ]
}
`,
    );
  });
});

Deno.test("bind parameters from the params form value", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const r = await get(n, {
      db: "db",
      epoch: "ns",
      q: "SELECT v FROM cpu WHERE host = $h AND n > $min",
      params: JSON.stringify({ h: "a", min: 3 }),
    });
    assert.equal(
      r.body,
      '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","v"],' +
        '"values":[[10000000000,0.25]]}]}]}\n',
    );
  });
});

Deno.test("async=true answers 204 and still runs the statements", async () => {
  await withNode(async (n) => {
    const res = await app(n).request("/query?async=true", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "q=CREATE+DATABASE+later",
    });
    assert.equal(res.status, 204);
    for (let i = 0; i < 50 && !n.meta.database("later"); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(n.meta.database("later"));
  });
});

Deno.test("tz() shows times with the zone's offset; CSV errors are CSV", async () => {
  await withNode(async (n) => {
    await n.write("cpu v=1 1577836800000000000");
    const r = await get(n, {
      db: "db",
      q: "SELECT count(v) FROM cpu WHERE time >= '2020-01-01T00:00:00Z' AND time < '2020-01-02T00:00:00Z' " +
        "GROUP BY time(1d) tz('Europe/Paris')",
    });
    assert.deepEqual(JSON.parse(r.body).results[0].series[0].values, [
      ["2020-01-01T00:00:00+01:00", 1],
      ["2020-01-02T00:00:00+01:00", 0],
    ]);
    const bad = await get(n, { q: "SELEC" }, { Accept: "application/csv" });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /^error\n"?error parsing query/);
  });
});
