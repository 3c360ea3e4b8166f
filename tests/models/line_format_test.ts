import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  formatFloat,
  formatPoint,
  formatPoints,
  LineFormatError,
  makePoint,
  parsePoints,
  type Point,
} from "../../src/models/mod.ts";
import { prng, randomPoint } from "./random_points.ts";

const enc = new TextEncoder();

function reparse(text: string): Point[] {
  const r = parsePoints(enc.encode(text), { precision: "ns", now: 0n });
  assertEquals(r.errors, [], text);
  return r.points;
}

Deno.test("formatPoint writes InfluxDB's text for each field type", () => {
  const p = makePoint("cpu load", [["region", "us west"], ["host", "a,b"]], [
    { key: "f", type: "float", value: 2 },
    { key: "i", type: "integer", value: -2n },
    { key: "u", type: "unsigned", value: 18446744073709551615n },
    { key: "b", type: "boolean", value: true },
    { key: 's k"=,', type: "string", value: 'say "hi" \\o/' },
  ], 1_500_000_000_000_000_000n);
  assertEquals(
    formatPoint(p),
    "cpu\\ load,host=a\\,b,region=us\\ west f=2,i=-2i,u=18446744073709551615u,b=true," +
      's\\ k\\"\\=\\,="say \\"hi\\" \\\\o/" 1500000000000000000',
  );
  assertEquals(formatPoint(p, "s"), formatPoint(p).replace(/ \d+$/, " 1500000000"));
  assertEquals(reparse(formatPoint(p)), [p]);
});

Deno.test("formatPoint keeps a parsed point's key exactly as it was written", () => {
  const [p] = reparse("m\\=x,b=2,a=1 v=1 5");
  assertEquals(p.key, "m\\=x,a=1,b=2");
  assertEquals(formatPoint(p), "m\\=x,a=1,b=2 v=1 5");
});

Deno.test("formatPoint refuses what line protocol cannot carry", () => {
  const bad = (key: string, value: number) =>
    makePoint("m", [], [{ key, type: "float", value }], 0n);
  throws(() => formatPoint(bad("v", NaN)), LineFormatError);
  throws(() => formatPoint(bad("v", Infinity)), LineFormatError);
  throws(() => formatPoint(bad("", 1)), LineFormatError);
  throws(() => formatPoint(bad("a\\", 1)), LineFormatError);
  throws(() => formatPoint(bad("a\\,b", 1)), LineFormatError);
});

Deno.test("formatFloat matches Go's FormatFloat(v, 'f', -1, 64)", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [-0, "-0"],
    [1.5, "1.5"],
    [-2, "-2"],
    [1e21, "1000000000000000000000"],
    [1.25e22, "12500000000000000000000"],
    [1e-7, "0.0000001"],
    [-1.5e-10, "-0.00000000015"],
    [123456.789, "123456.789"],
  ];
  for (const [v, s] of cases) assertEquals(formatFloat(v), s, String(v));
  assertEquals(Number(formatFloat(5e-324)), 5e-324);
  assertEquals(Number(formatFloat(1.7976931348623157e308)), 1.7976931348623157e308);
});

Deno.test("round trip: random points (escapes, unicode, every type) parse back equal", () => {
  const rnd = prng(20260522);
  const points: Point[] = [];
  for (let i = 0; i < 2000; i++) points.push(randomPoint(rnd));
  for (const p of points) assertEquals(reparse(formatPoint(p)), [p], formatPoint(p));
  // As one body, too: line boundaries survive newlines inside string values. A few points
  // cannot share a body (see formatPoints); formatPoints refuses them rather than corrupt.
  const shareable = points.filter((p) => {
    try {
      formatPoints([p, p]);
      return true;
    } catch (err) {
      if (!(err instanceof LineFormatError)) throw err;
      const both = parsePoints(enc.encode(formatPoint(p) + "\n" + formatPoint(p)), {
        precision: "ns",
        now: 0n,
      });
      assertEquals(both.points.length + both.errors.length, 1, "InfluxDB would merge them too");
      return false;
    }
  });
  assertEquals(shareable.length > points.length * 0.9, true);
  assertEquals(reparse(formatPoints(shareable)), shareable);
});
