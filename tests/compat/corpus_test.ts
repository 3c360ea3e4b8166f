import assert from "node:assert/strict";
import { CORPUS } from "./corpus.ts";

/** Every feature of issue 6 items 1–2 (and the /query parameters) the corpus must cover. */
const REQUIRED = [
  "show databases",
  "show measurements",
  "show series",
  "show tag keys",
  "show tag values",
  "show field keys",
  "show retention policies",
  "show shards",
  "show servers",
  "show users and grants",
  "show continuous queries",
  "create/drop database",
  "retention policies",
  "delete and drop",
  "select into",
  "select fields",
  "select *",
  "select regex fields",
  "select regex measurements",
  "select db.rp.measurement",
  "select several sources",
  "select AS",
  "select arithmetic",
  ...["count", "distinct", "integral", "mean", "median", "mode", "spread", "stddev", "sum"]
    .map((f) => `aggregate ${f}`),
  ...["first/last", "max/min", "percentile", "sample", "top/bottom"].map((f) => `selector ${f}`),
  ...["derivative", "difference", "moving_average", "cumulative_sum", "elapsed"]
    .map((f) => `transformation ${f}`),
  "where time",
  "where tags",
  "where fields",
  "where and/or/parens",
  "group by time",
  "group by tags",
  "fill",
  "order by time desc",
  "limit/offset",
  "slimit/soffset",
  "tz",
  "multiple statements",
  "errors: parse",
  "errors: semantic",
  "errors: database",
  "epoch parameter",
  "chunked",
  "bind parameters",
];

Deno.test("the corpus has at least 300 queries and covers every required feature", () => {
  assert.ok(CORPUS.length >= 300, `only ${CORPUS.length} queries`);
  const features = new Set(CORPUS.map((q) => q.feature));
  for (const f of REQUIRED) assert.ok(features.has(f), `no query covers ${f}`);
});

Deno.test("corpus: every fill mode, every transformation and the epoch units appear", () => {
  const text = CORPUS.map((q) => q.q).join("\n");
  for (const fill of ["null", "none", "previous", "linear", "0", "-1.5"]) {
    assert.ok(text.includes(`fill(${fill})`), `fill(${fill})`);
  }
  for (const fn of ["non_negative_derivative(", "non_negative_difference(", "top(", "bottom("]) {
    assert.ok(text.includes(fn), fn);
  }
  const epochs = new Set(CORPUS.map((q) => q.params?.epoch).filter((e) => e !== undefined));
  for (const e of ["ns", "u", "µ", "ms", "s", "m", "h"]) assert.ok(epochs.has(e), `epoch=${e}`);
  for (const op of ["=~", "!~", "!=", " OR ", "GROUP BY *", "SLIMIT", "SOFFSET", "tz("]) {
    assert.ok(text.includes(op), op);
  }
});

Deno.test("corpus: now() is only a lower bound of raw queries, never shown as a time", () => {
  // An aggregate without GROUP BY time shows its lower time bound: with now() in it, the answer
  // would change every run. Upper bounds (time < now() ± d) are shown as nothing.
  for (const q of CORPUS) {
    if (!/time\s*>=?\s*now\(\)/.test(q.q)) continue;
    const selectList = q.q.slice(0, q.q.indexOf(" FROM "));
    assert.ok(!selectList.includes("("), q.q);
  }
});

Deno.test("corpus: mutations come last and never touch the read-only database", () => {
  let seenMutation = false;
  for (const q of CORPUS) {
    if (q.phase === "mutate") seenMutation = true;
    else assert.ok(!seenMutation, `read after mutation: ${q.q}`);
    if (q.phase === "mutate") assert.notEqual(q.db, "compat");
  }
});
