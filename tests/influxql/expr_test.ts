import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  type Expr,
  formatExpr,
  measurement,
  parseExpr,
  parseStatement,
  selectStatement,
} from "../../src/influxql/mod.ts";

const int = (v: bigint): Expr => ({ kind: "IntegerLiteral", value: v });
const num = (v: number): Expr => ({ kind: "NumberLiteral", value: v });
const ref = (name: string): Expr => ({ kind: "VarRef", name, type: "" });
const bin = (
  op: "+" | "-" | "*" | "/" | "%" | "AND" | "OR" | "=" | ">",
  lhs: Expr,
  rhs: Expr,
): Expr => ({
  kind: "BinaryExpr",
  op,
  lhs,
  rhs,
});

// Ported from influxql's TestParser_ParseExpr: literals keep integer vs float, durations are ns.
const CASES: [string, Expr][] = [
  ["100.0", num(100)],
  ["100", int(100n)],
  ["9223372036854775808", { kind: "UnsignedLiteral", value: 9223372036854775808n }],
  ["-9223372036854775808", int(-9223372036854775808n)],
  ["-100.0", num(-100)],
  ["-100", int(-100n)],
  ["100.", num(100)],
  [".23", num(0.23)],
  ["-.23", num(-0.23)],
  ["1s", { kind: "DurationLiteral", value: 1_000_000_000n }],
  ["-1s", { kind: "DurationLiteral", value: -1_000_000_000n }],
  ["1h30m", { kind: "DurationLiteral", value: 5_400_000_000_000n }],
  ["10ms", { kind: "DurationLiteral", value: 10_000_000n }],
  ["1u", { kind: "DurationLiteral", value: 1_000n }],
  ["1µ", { kind: "DurationLiteral", value: 1_000n }],
  ["1w", { kind: "DurationLiteral", value: 604_800_000_000_000n }],
  ["5ns", { kind: "DurationLiteral", value: 5n }],
  ["'foo bar'", { kind: "StringLiteral", value: "foo bar" }],
  ["true", { kind: "BooleanLiteral", value: true }],
  ["false", { kind: "BooleanLiteral", value: false }],
  ["my_ident", ref("my_ident")],
  ['"my.ident"::tag', { kind: "VarRef", name: "my.ident", type: "tag" }],
  ["a.b", ref("a.b")],
  ["1 + 2", bin("+", int(1n), int(2n))],
  ["1 * 2 + 3", bin("+", bin("*", int(1n), int(2n)), int(3n))],
  ["1 + 2 * 3", bin("+", int(1n), bin("*", int(2n), int(3n)))],
  ["1 / 2 + 3", bin("+", bin("/", int(1n), int(2n)), int(3n))],
  ["1 + 2 % 3", bin("+", int(1n), bin("%", int(2n), int(3n)))],
  ["1 - 2 - 3", bin("-", bin("-", int(1n), int(2n)), int(3n))],
  ["(1 + 2) * 3", bin("*", { kind: "ParenExpr", expr: bin("+", int(1n), int(2n)) }, int(3n))],
  [
    "a = 1 AND b > 2 OR c = 3",
    bin(
      "OR",
      bin("AND", bin("=", ref("a"), int(1n)), bin(">", ref("b"), int(2n))),
      bin("=", ref("c"), int(3n)),
    ),
  ],
  ["-value", bin("*", int(-1n), ref("value"))],
  ["+value", bin("*", int(1n), ref("value"))],
  ["MEAN(value)", { kind: "Call", name: "mean", args: [ref("value")] }],
  ["now()", { kind: "Call", name: "now", args: [] }],
  ["count(/f.*/)", {
    kind: "Call",
    name: "count",
    args: [{ kind: "RegexLiteral", pattern: "f.*" }],
  }],
  ["host =~ /a\\/b/", {
    kind: "BinaryExpr",
    op: "=~",
    lhs: ref("host"),
    rhs: { kind: "RegexLiteral", pattern: "a/b" },
  }],
  ["*", { kind: "Wildcard", type: "" }],
];

Deno.test("parseExpr: literals, precedence, calls and regexes", () => {
  for (const [q, want] of CASES) assertEquals(parseExpr(q), want, q);
});

Deno.test("parseExpr: errors", () => {
  throws(() => parseExpr("-9223372036854775809"), {
    message: "constant -9223372036854775809 underflows int64",
  });
  throws(() => parseExpr("-+1"), {
    message: "found +, expected identifier, number, duration, ( at line 1, char 2",
  });
  throws(() => parseExpr("(1 + 2"), { message: "found EOF, expected ) at line 1, char 7" });
  throws(() => parseExpr("host =~ 'x'"), {
    message: "found x, expected regex at line 1, char 8",
  });
});

Deno.test("formatExpr: InfluxDB's rendering of each literal", () => {
  const cases: [string, string][] = [
    ["1.5", "1.500"],
    ["0.0625", "0.062"], // Go rounds exact ties half to even
    ["0.1875", "0.188"],
    ["123.4575", "123.457"],
    ["100", "100"],
    ["1h30m", "90m"],
    ["1440m", "1d"],
    ["10080m", "1w"],
    ["1500ms", "1500ms"],
    ["2000u", "2ms"],
    ["1001u", "1001u"],
    ["'it''s'", "'it'"],
    ["'a\\'b\\\\c'", "'a\\'b\\\\c'"],
    ['"select"', '"select"'],
    ['"a b"', '"a b"'],
    ["_x1", "_x1"],
    ["a::field", "a::field"],
    ["*::tag", "*::tag"],
    ["x =~ /a\\/b/", "x =~ /a\\/b/"],
    ["distinct(x)", "distinct(x)"],
  ];
  for (const [q, want] of cases) assertEquals(formatExpr(parseExpr(q)), want, q);
});

Deno.test("parseStatement: SELECT AST in full", () => {
  assertEquals(
    parseStatement(
      "SELECT mean(value) AS m INTO db.rp.:MEASUREMENT FROM cpu, /^m/ WHERE host = 'a' " +
        "GROUP BY time(1m, 30s), host fill(0) ORDER BY time DESC LIMIT 5 SLIMIT 2 tz('UTC')",
    ),
    selectStatement({
      fields: [{
        kind: "Field",
        expr: { kind: "Call", name: "mean", args: [ref("value")] },
        alias: "m",
      }],
      target: {
        kind: "Target",
        measurement: measurement({ database: "db", retentionPolicy: "rp", isTarget: true }),
      },
      sources: [
        measurement({ name: "cpu" }),
        measurement({ regex: { kind: "RegexLiteral", pattern: "^m" } }),
      ],
      condition: bin("=", ref("host"), { kind: "StringLiteral", value: "a" }),
      dimensions: [
        {
          kind: "Dimension",
          expr: {
            kind: "Call",
            name: "time",
            args: [{ kind: "DurationLiteral", value: 60_000_000_000n }, {
              kind: "DurationLiteral",
              value: 30_000_000_000n,
            }],
          },
        },
        { kind: "Dimension", expr: ref("host") },
      ],
      fill: "number",
      fillValue: 0n,
      sortFields: [{ kind: "SortField", name: "time", ascending: false }],
      limit: 5,
      slimit: 2,
      location: "UTC",
      isRawQuery: false,
    }),
  );
});

Deno.test("parseStatement: sources with db, rp and regex segments", () => {
  const s = parseStatement('SELECT * FROM "db"."rp"."cpu", db..mem, rp./d.*/, db.rp./n/');
  if (s.kind !== "SelectStatement") throw new Error(s.kind);
  assertEquals(s.sources, [
    measurement({ database: "db", retentionPolicy: "rp", name: "cpu" }),
    measurement({ database: "db", retentionPolicy: "", name: "mem" }),
    measurement({ retentionPolicy: "rp", regex: { kind: "RegexLiteral", pattern: "d.*" } }),
    measurement({
      database: "db",
      retentionPolicy: "rp",
      regex: { kind: "RegexLiteral", pattern: "n" },
    }),
  ]);
  assertEquals(s.isRawQuery, true);
});
