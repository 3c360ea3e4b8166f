import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  type ExprVisitor,
  formatDuration,
  goDurationString,
  type Node,
  parseDuration,
  parseExpr,
  parseStatement,
  quoteIdent,
  rewriteExpr,
  visitExpr,
  walk,
} from "../../src/influxql/mod.ts";

Deno.test("walk: visits every node of a statement, subqueries included", () => {
  const s = parseStatement(
    "SELECT max(v) FROM (SELECT mean(value) AS v FROM cpu WHERE host = 'a' GROUP BY time(1m)) " +
      "WHERE time > now() - 1h",
  );
  const kinds: string[] = [];
  walk(s, (n: Node) => void kinds.push(n.kind));
  assertEquals(kinds.filter((k) => k === "Call").length, 4); // max, mean, time, now
  assertEquals(kinds.filter((k) => k === "SelectStatement").length, 2);
  assertEquals(kinds.includes("SubQuery"), true);
});

Deno.test("visitExpr: one handler per kind", () => {
  const depth: ExprVisitor<number> = {
    BinaryExpr: (e) => 1 + Math.max(visitExpr(e.lhs, depth), visitExpr(e.rhs, depth)),
    ParenExpr: (e) => visitExpr(e.expr, depth),
    Call: (e) => 1 + Math.max(0, ...e.args.map((a) => visitExpr(a, depth))),
    VarRef: () => 1,
    Wildcard: () => 1,
    Distinct: () => 1,
    NumberLiteral: () => 1,
    IntegerLiteral: () => 1,
    UnsignedLiteral: () => 1,
    StringLiteral: () => 1,
    BooleanLiteral: () => 1,
    DurationLiteral: () => 1,
    TimeLiteral: () => 1,
    RegexLiteral: () => 1,
    NilLiteral: () => 1,
    ListLiteral: () => 1,
  };
  assertEquals(visitExpr(parseExpr("(a + b) * f(c, g(d))"), depth), 4);
});

Deno.test("rewriteExpr: rebuilds without touching the original", () => {
  const e = parseExpr("a + b * a");
  const r = rewriteExpr(
    e,
    (n) => (n.kind === "VarRef" && n.name === "a" ? { ...n, name: "z" } : n),
  );
  assertEquals(JSON.stringify(r).includes('"a"'), false);
  assertEquals(JSON.stringify(e).includes('"a"'), true);
});

Deno.test("durations: parse, InfluxQL format and Go format", () => {
  const ok = (s: string) => {
    const d = parseDuration(s);
    if (!d.ok) throw new Error(d.error);
    return d.ns;
  };
  assertEquals(ok("1h30m"), 5_400_000_000_000n);
  assertEquals(ok("-5s"), -5_000_000_000n);
  assertEquals(ok("1d1ns"), 86_400_000_000_001n);
  assertEquals(parseDuration("1x"), { ok: false, error: "invalid duration" });
  assertEquals(parseDuration("1"), { ok: false, error: "invalid duration" });
  assertEquals(parseDuration("1n"), { ok: false, error: "invalid duration" });
  assertEquals(formatDuration(0n), "0s");
  assertEquals(formatDuration(7n * 86_400_000_000_000n), "1w");
  assertEquals(formatDuration(1_500n), "1500ns");
  assertEquals(goDurationString(0n), "0s");
  assertEquals(goDurationString(168n * 3_600_000_000_000n), "168h0m0s");
  assertEquals(goDurationString(1_500_000_000n), "1.5s");
  assertEquals(goDurationString(90_000_000_000n), "1m30s");
  assertEquals(goDurationString(10_000_000n), "10ms");
  assertEquals(goDurationString(1_500n), "1.5µs");
});

Deno.test("quoteIdent: InfluxDB's quoting rules", () => {
  assertEquals(quoteIdent("cpu"), "cpu");
  assertEquals(quoteIdent("select"), '"select"');
  assertEquals(quoteIdent("a b"), '"a b"');
  assertEquals(quoteIdent(""), '""');
  assertEquals(quoteIdent("db", "", "cpu"), '"db"..cpu');
  assertEquals(quoteIdent("db", "rp", "cpu"), '"db"."rp".cpu');
  assertEquals(quoteIdent('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
});
