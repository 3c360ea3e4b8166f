import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  exprTimeRange,
  formatExpr,
  parseExpr,
  parseTimeString,
  TimeRangeError,
} from "../../src/influxql/mod.ts";

const NOW = 1_700_000_000_000_000_000n; // 2023-11-14T22:13:20Z
const H = 3_600_000_000_000n;
const T2000 = 946_684_800_000_000_000n; // 2000-01-01T00:00:00Z

type Row = [where: string, min: bigint | null, max: bigint | null, rest: string | null];

const CASES: Row[] = [
  ["time > '2000-01-01T00:00:00Z'", T2000 + 1n, null, null],
  ["time >= '2000-01-01T00:00:00Z'", T2000, null, null],
  ["time < '2000-01-01T00:00:00Z'", null, T2000 - 1n, null],
  ["time <= '2000-01-01T00:00:00Z'", null, T2000, null],
  ["time = '2000-01-01T00:00:00Z'", T2000, T2000, null],
  ["time >= '2000-01-01'", T2000, null, null],
  ["time >= '2000-01-01 00:00:00.5'", T2000 + 500_000_000n, null, null],
  ["time >= '2000-01-01T01:00:00+01:00'", T2000, null, null],
  ["time >= '2000-01-01T00:00:00.000000001Z'", T2000 + 1n, null, null],
  ["'2000-01-01T00:00:00Z' < time", T2000 + 1n, null, null],
  ["'2000-01-01T00:00:00Z' >= time", null, T2000, null],
  ["time >= now() - 1h AND time < now()", NOW - H, NOW - 1n, null],
  ["time > now() - 1h - 30m", NOW - H - H / 2n + 1n, null, null],
  ["time < now() + 1d", null, NOW + 24n * H - 1n, null],
  ["time >= '2000-01-01T00:00:00Z' + 1h", T2000 + H, null, null],
  ["time > 1000000000s", 1_000_000_000_000_000_000n + 1n, null, null],
  ["time >= 946684800000ms", T2000, null, null],
  ["time > 100", 101n, null, null],
  ["time > 1.5", 2n, null, null],
  ["TIME >= 0", 0n, null, null],
  ["host = 'a' AND time > 0", 1n, null, "host = 'a'"],
  ["time > 0 AND host = 'a' AND time < 10", 1n, 9n, "host = 'a'"],
  ["(time > 0 AND time < 5)", 1n, 4n, null],
  ["time > 5 AND time > 3 AND time < 10 AND time < 8", 6n, 7n, null],
  ["host =~ /a.*/", null, null, "host =~ /a.*/"],
  ["v > 1 + 2", null, null, "v > 3"],
  // From influxql's TestConditionExpr.
  [
    "host = 'server01' AND (region = 'uswest' AND time >= now() - 10m)",
    NOW - 600_000_000_000n,
    null,
    "host = 'server01' AND (region = 'uswest')",
  ],
  [
    "(host = 'server01' AND region = 'uswest') AND time >= now() - 10m",
    NOW - 600_000_000_000n,
    null,
    "(host = 'server01' AND region = 'uswest')",
  ],
  ["time >= 10s", 10_000_000_000n, null, null],
  ["time >= 10000000000.0", 10_000_000_000n, null, null],
  ["time > now()", NOW + 1n, null, null],
  // Time terms ORed only with each other are intersected (InfluxDB's long-standing behaviour).
  ["time >= 10 OR time < 5", 10n, 4n, null],
  ["a = 1 OR b = 2", null, null, "a = 1 OR b = 2"],
  // InfluxDB 1.6 intersects time ranges even under OR.
  ["time > 0 OR host = 'a'", 1n, null, "host = 'a'"],
  ["true", null, null, "true"],
];

Deno.test("exprTimeRange: bounds, inclusivity, now() arithmetic, remaining condition", () => {
  for (const [where, min, max, rest] of CASES) {
    const got = exprTimeRange(parseExpr(where), NOW);
    assertEquals(
      [got.range.min, got.range.max, got.condition === null ? null : formatExpr(got.condition)],
      [min, max, rest],
      where,
    );
  }
});

Deno.test("exprTimeRange: no condition is unbounded", () => {
  assertEquals(exprTimeRange(null, NOW), { condition: null, range: { min: null, max: null } });
});

Deno.test("exprTimeRange: zone-less times are read in tz()", () => {
  const got = exprTimeRange(parseExpr("time >= '2000-01-01 00:00:00'"), NOW, "America/New_York");
  assertEquals(got.range.min, T2000 + 5n * H);
  const z = exprTimeRange(parseExpr("time >= '2000-01-01T00:00:00Z'"), NOW, "America/New_York");
  assertEquals(z.range.min, T2000);
});

Deno.test("exprTimeRange: InfluxDB's errors", () => {
  const cases: [string, string][] = [
    ["time > 'abc'", "invalid operation: time and *influxql.StringLiteral are not compatible"],
    ["time > '2000-13-01'", "invalid timestamp string"],
    ["time > true", "invalid operation: time and *influxql.BooleanLiteral are not compatible"],
    ["time > host", "invalid operation: time and *influxql.VarRef are not compatible"],
    ["time != 0", "invalid time comparison operator: !="],
    ["time > '2262-04-12T00:00:00Z'", "time 2262-04-12T00:00:00Z overflows time literal"],
    ["time > '1677-09-21T00:00:00Z'", "time 1677-09-21T00:00:00Z underflows time literal"],
    ["value + 1", "invalid operator: +"],
    ["value", "invalid condition expression: value"],
    ["4", "invalid condition expression: 4"],
    ["time >= 'today'", "invalid operation: time and *influxql.StringLiteral are not compatible"],
    ["value AND host = 'server01'", "invalid condition expression: value"],
    ["host = 'server01' OR (value)", "invalid condition expression: value"],
    ["time > '2262-04-11 23:47:17'", "time 2262-04-11T23:47:17Z overflows time literal"],
    ["time > '1677-09-20 19:12:43'", "time 1677-09-20T19:12:43Z underflows time literal"],
  ];
  for (const [where, message] of cases) {
    throws(() => exprTimeRange(parseExpr(where), NOW), (e: unknown) => {
      assertEquals(e instanceof TimeRangeError ? e.message : e, message, where);
      return true;
    });
  }
});

Deno.test("parseTimeString: accepted forms and rejects", () => {
  assertEquals(parseTimeString("2000-01-01"), T2000);
  assertEquals(parseTimeString("2000-01-01T00:00:00Z"), T2000);
  assertEquals(parseTimeString("2000-01-01T00:00:00.123456789Z"), T2000 + 123_456_789n);
  assertEquals(parseTimeString("1969-12-31T23:59:59Z"), -1_000_000_000n);
  assertEquals(parseTimeString("2000-02-30"), null);
  assertEquals(parseTimeString("2000-01-01T00:00:00"), null);
  assertEquals(parseTimeString("yesterday"), null);
});
