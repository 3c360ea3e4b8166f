import { ok } from "node:assert/strict";
import { formatStatement, ParseError, parseQuery } from "../../src/influxql/mod.ts";
import { mulberry32 } from "../../src/util/random.ts";

const rng = mulberry32;

const SEEDS = [
  "SELECT mean(value) FROM cpu WHERE time > now() - 1h GROUP BY time(1m), host fill(0)",
  "SELECT * INTO db.rp.:MEASUREMENT FROM (SELECT max(v) FROM /m/) LIMIT 1 tz('UTC')",
  "SHOW TAG VALUES ON db FROM cpu WITH KEY IN (a, b) WHERE x =~ /y\\/z/ LIMIT 2",
  "CREATE CONTINUOUS QUERY cq ON db RESAMPLE EVERY 1m FOR 1h BEGIN SELECT count(v) INTO m " +
  "FROM n GROUP BY time(5m) END",
  "CREATE DATABASE d WITH DURATION 1d REPLICATION 1 SHARD DURATION 1h NAME r; DROP SHARD 1",
  "GRANT ALL ON db TO u; SET PASSWORD FOR u = 'p'; DELETE FROM m WHERE t = 'x'",
];
const PIECES = [
  " ",
  "'",
  '"',
  "/",
  "\\",
  "(",
  ")",
  ",",
  ";",
  ".",
  "..",
  ":",
  "::",
  "$",
  "$x",
  "-",
  "--",
  "/*",
  "*/",
  "=~",
  "!~",
  "1",
  "1.5",
  "1h",
  "99999999999999999999999",
  "µ",
  "\n",
  "\r",
  "SELECT",
  "FROM",
  "WHERE",
  "GROUP BY",
  "time",
  "now()",
  "fill(",
  "ſ",
  "\u0000",
  "é",
  "😀",
];

Deno.test("parser: random and mutated input gives a result or a ParseError, never a crash", () => {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  for (let i = 0; i < 4000; i++) {
    let q: string;
    if (i % 2 === 0) {
      const chars = Array.from(pick(SEEDS));
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const at = Math.floor(r() * (chars.length + 1));
        if (r() < 0.5) chars.splice(at, 1);
        else chars.splice(at, 0, pick(PIECES));
      }
      q = chars.join("");
    } else {
      q = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(PIECES)).join("");
    }
    try {
      // Whatever parses must also format and reparse without throwing something unexpected.
      for (const s of parseQuery(q, { x: 1 })) formatStatement(s);
    } catch (e) {
      ok(e instanceof ParseError, `${JSON.stringify(q)} threw ${String(e)}`);
    }
  }
});

Deno.test("parser: absurd nesting is a ParseError, not a stack overflow", () => {
  const q = "SELECT " + "(".repeat(50_000) + "1" + ")".repeat(50_000) + " FROM m";
  try {
    parseQuery(q);
  } catch (e) {
    ok(e instanceof ParseError && e.message === "query is nested too deeply", String(e));
  }
});
