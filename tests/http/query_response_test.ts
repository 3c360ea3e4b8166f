import assert from "node:assert/strict";
import { chunkResult } from "../../src/query/mod.ts";
import {
  encodeCsv,
  encodeJson,
  formatTime,
  goJsonFloat,
  goJsonString,
  timeFormat,
} from "../../src/http/query_response.ts";

Deno.test("strings are escaped as Go's encoding/json does (HTML-safe)", () => {
  assert.equal(goJsonString("plain"), '"plain"');
  assert.equal(goJsonString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goJsonString("<a&b>"), '"\\u003ca\\u0026b\\u003e"');
  assert.equal(goJsonString("x\ny\tz\u0001\b"), '"x\\ny\\tz\\u0001\\u0008"');
  assert.equal(goJsonString("\u2028"), '"\\u2028"');
});

Deno.test("floats are formatted as Go's encoding/json does", () => {
  assert.equal(goJsonFloat(1), "1");
  assert.equal(goJsonFloat(0.5), "0.5");
  assert.equal(goJsonFloat(1e21), "1e+21");
  assert.equal(goJsonFloat(1.5e-7), "1.5e-7");
  assert.equal(goJsonFloat(123456789.125), "123456789.125");
  assert.equal(goJsonFloat(-0), "-0");
});

Deno.test("times: trimmed RFC3339, epochs truncate, tz() zones carry their offset", () => {
  assert.equal(formatTime(0n), "1970-01-01T00:00:00Z");
  assert.equal(formatTime(1_500_000_000n), "1970-01-01T00:00:01.5Z");
  assert.equal(formatTime(1_577_833_200_000_000_000n, "Europe/Paris"), "2020-01-01T00:00:00+01:00");
  const body = encodeJson(
    {
      results: [{
        statementId: 0,
        series: [{ name: "m", columns: ["time", "v"], values: [[1_999_999_999n, 1n]] }],
      }],
    },
    false,
    timeFormat("s"),
  );
  assert.equal(
    body,
    '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1]]}]}]}\n',
  );
});

Deno.test("empty values and results are omitted like Go's omitempty", () => {
  assert.equal(
    encodeJson(
      {
        results: [{
          statementId: 0,
          series: [{ name: "databases", columns: ["name"], values: [] }],
        }],
      },
      false,
      timeFormat(""),
    ),
    '{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"]}]}]}\n',
  );
  assert.equal(encodeJson({ error: "boom" }, false, timeFormat("")), '{"error":"boom"}\n');
});

Deno.test("CSV quotes as encoding/csv does and separates statements with a blank line", () => {
  const csv = encodeCsv([
    {
      statementId: 0,
      series: [{
        name: "m",
        tags: { h: "a b" },
        columns: ["time", "s"],
        values: [[1n, 'x,"y"'], [2n, null]],
      }],
    },
    { statementId: 1, series: [{ name: "databases", columns: ["name"], values: [["db"]] }] },
  ], timeFormat(""));
  assert.equal(
    csv,
    'name,tags,time,s\nm,h=a\\ b,1,"x,""y"""\nm,h=a\\ b,2,\n\nname,tags,name\ndatabases,,db\n',
  );
});

Deno.test("chunked non-SELECT results: SHOW TAG VALUES per measurement, others whole", () => {
  const show = chunkResult({
    statementId: 0,
    series: [
      { name: "cpu", columns: ["key", "value"], values: [["h", "a"], ["h", "b"], ["h", "c"]] },
      { name: "mem", columns: ["key", "value"], values: [["h", "a"]] },
    ],
  }, 2);
  // One result per measurement, never cut by chunk_size and not marked partial (InfluxDB 1.6).
  assert.deepEqual(
    show.map((p) => [p.partial, p.series?.map((s) => [s.name, s.values.length])]),
    [[undefined, [["cpu", 3]]], [undefined, [["mem", 1]]]],
  );
  const databases = {
    statementId: 1,
    series: [{ name: "databases", columns: ["name"], values: [["a"], ["b"], ["c"]] }],
  };
  assert.deepEqual(chunkResult(databases, 1), [databases]);
});
