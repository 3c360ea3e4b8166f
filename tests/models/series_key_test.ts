import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  compareUtf8,
  escapeFieldKey,
  escapeMeasurement,
  escapeStringField,
  escapeTag,
  makePoint,
  parsePoints,
  parseSeriesKey,
  precisionFromParam,
  seriesKey,
  timeKeyViolation,
  unescapeFieldKey,
  unescapeMeasurement,
  unescapeStringField,
  unescapeTag,
} from "../../src/models/mod.ts";
import { prng, randomPoint } from "./random_points.ts";

Deno.test("escape helpers follow InfluxDB's escape sets", () => {
  assertEquals(escapeMeasurement('c p,u="x"'), 'c\\ p\\,u="x"');
  assertEquals(escapeTag('a b,c=d"'), 'a\\ b\\,c\\=d"');
  assertEquals(escapeFieldKey('a b,c=d"'), 'a\\ b\\,c\\=d\\"');
  assertEquals(escapeStringField('say "\\hi"'), 'say \\"\\\\hi\\"');
  assertEquals(unescapeMeasurement('a\\ b\\,c\\=d\\"e\\x'), 'a b,c=d"e\\x');
  assertEquals(unescapeTag('a\\ b\\,c\\=d\\"e'), 'a b,c=d\\"e');
  assertEquals(unescapeFieldKey('a\\ b\\,c\\=d\\"e'), 'a b,c=d"e');
  assertEquals(unescapeStringField('\\\\\\"x\\y'), '\\"x\\y');
});

Deno.test("seriesKey sorts by escaped key bytes, escapes, and drops empty values", () => {
  assertEquals(
    seriesKey("cpu load", [["region", "us west"], ["host", "a,b"], ["empty", ""]]),
    "cpu\\ load,host=a\\,b,region=us\\ west",
  );
  // InfluxDB's tags.HashKey sorts by unescaped key ("A FOO" first); its parser sorts the raw
  // bytes ("A\\ FOO" after "APPLE"). seriesKey follows the parser, so that a point formatted
  // and parsed again keeps its key.
  const tags: [string, string][] = [["A FOO", "bar"], ["APPLE", "orange"], ["host", "serverA"]];
  assertEquals(seriesKey("m", tags), "m,APPLE=orange,A\\ FOO=bar,host=serverA");
  const line = "m,A\\ FOO=bar,APPLE=orange,host=serverA v=1";
  const parsed = parsePoints(new TextEncoder().encode(line), { precision: "ns", now: 0n });
  assertEquals(parsed.points[0].key, seriesKey("m", tags));
});

Deno.test("seriesKey agrees with the key the parser builds for the same point", () => {
  const rnd = prng(99);
  const enc = new TextEncoder();
  for (let i = 0; i < 500; i++) {
    const p = randomPoint(rnd);
    assertEquals(seriesKey(p.measurement, p.tags), p.key);
    const line = p.key + " v=1";
    const [q] = parsePoints(enc.encode(line), { precision: "ns", now: 0n }).points;
    assertEquals(q.key, p.key);
    assertEquals(parseSeriesKey(p.key), { measurement: p.measurement, tags: [...p.tags] });
  }
});

Deno.test("parseSeriesKey splits on unescaped commas and equals", () => {
  assertEquals(parseSeriesKey("cpu"), { measurement: "cpu", tags: [] });
  assertEquals(parseSeriesKey("c\\,pu,a\\=b=c\\ d,e=f\\,g"), {
    measurement: "c,pu",
    tags: [["a=b", "c d"], ["e", "f,g"]],
  });
});

Deno.test("compareUtf8 orders like UTF-8 bytes, astral characters last", () => {
  const words = ["b", "a", "\uffff", "😀", "é", "A", "ab", ""];
  const bytes = (s: string) => [...new TextEncoder().encode(s)];
  const byBytes = [...words].sort((x, y) => {
    const a = bytes(x);
    const b = bytes(y);
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  assertEquals([...words].sort(compareUtf8), byBytes);
});

Deno.test("timeKeyViolation gives the shard's reason for a time tag or only time fields", () => {
  const f = (key: string) => ({ key, type: "float" as const, value: 1 });
  assertEquals(timeKeyViolation(makePoint("m", [], [f("v")], 0n)), undefined);
  assertEquals(timeKeyViolation(makePoint("m", [], [f("time"), f("v")], 0n)), undefined);
  assertEquals(
    timeKeyViolation(makePoint("mymeas", [], [f("time")], 0n)),
    'invalid field name: input field "time" on measurement "mymeas" is invalid',
  );
  assertEquals(
    timeKeyViolation(makePoint("mymeas", [["time", "1"]], [f("v")], 0n)),
    'invalid tag key: input tag "time" on measurement "mymeas" is invalid',
  );
});

Deno.test("precisionFromParam accepts InfluxDB's /write precisions", () => {
  assertEquals(precisionFromParam(null), "ns");
  assertEquals(precisionFromParam(""), "ns");
  for (const p of ["n", "ns", "u", "µ", "ms", "s", "m", "h"]) {
    assertEquals(precisionFromParam(p), p);
  }
  assertEquals(precisionFromParam("us"), undefined);
  assertEquals(precisionFromParam("x"), undefined);
});
