import assert from "node:assert/strict";
import { parseStatement, type SelectStatement } from "../../src/influxql/mod.ts";
import { validateSelect } from "../../src/query/validate.ts";
import { withoutZeroInterval } from "../../src/query/validate_select.ts";

function select(q: string): SelectStatement {
  const s = parseStatement(q);
  assert.equal(s.kind, "SelectStatement", q);
  return s as SelectStatement;
}

// Each text below is what InfluxDB 1.6.7 (Debian's influxd) answered for the query.
const ERRORS: [string, string][] = [
  ["SELECT * FROM cpu fill(none)", "fill(none) must be used with a function"],
  ["SELECT time, f FROM t fill(none)", "fill(none) must be used with a function"],
  ["SELECT f FROM t fill(linear)", "fill(linear) must be used with a function"],
  ["SELECT top(usage_user, 0) FROM cpu", "limit (0) in top function must be at least 1"],
  ["SELECT derivative(usage_user, -1s) FROM cpu", "duration argument must be positive, got -1s"],
  ["SELECT moving_average(v, 0) FROM cpu", "moving_average window must be greater than 1, got 0"],
  ["SELECT moving_average(v, 1) FROM cpu", "moving_average window must be greater than 1, got 1"],
  ["SELECT sample(v, 0) FROM cpu", "sample window must be greater than 1, got 0"],
  ["SELECT sample(f, -1) FROM t", "sample window must be greater than 1, got -1"],
  ["SELECT derivative(mean(v)) FROM cpu", "derivative aggregate requires a GROUP BY interval"],
  ["SELECT count(*) FROM cpu GROUP BY time(1h), time(2h)", "multiple time dimensions not allowed"],
  ["SELECT mean(f) FROM t GROUP BY time(1h), time(0s)", "multiple time dimensions not allowed"],
  ["SELECT percentile(v, 'x') FROM cpu", "expected float argument in percentile()"],
  ["SELECT distinct(*) FROM events", "expected field argument in distinct()"],
  ["SELECT count(distinct(*)) FROM t", "expected field argument in distinct()"],
  [
    "SELECT mean(v) FROM m WHERE mean(v) > 1 GROUP BY time(10s)",
    "invalid function call in condition: mean(v)",
  ],
  ["SELECT mean(f) FROM t WHERE (mean(f) > 1)", "invalid function call in condition: mean(f)"],
  ["SELECT f FROM t WHERE abs(mean(f)) > 1", "invalid function call in condition: mean(f)"],
  ["SELECT f FROM t WHERE log(f, 2) > 1", "invalid number of arguments for log, expected 1, got 2"],
  ["SELECT nope(f) FROM t WHERE mean(f) > 1", "invalid function call in condition: mean(f)"],
  ["SELECT nope(f) FROM t GROUP BY time(1h), time(2h)", "multiple time dimensions not allowed"],
  ["SELECT nope(f), top(f, 0) FROM t", "undefined function nope()"],
  ["SELECT top(f, 0), nope(f) FROM t", "limit (0) in top function must be at least 1"],
  ["SELECT f FROM t GROUP BY time(1h)", "GROUP BY requires at least one aggregate function"],
  [
    "SELECT first(f), last(f), host FROM t",
    "mixing multiple selector functions with tags or fields is not supported",
  ],
  ["SELECT count(f), host FROM t", "mixing aggregate and non-aggregate queries is not supported"],
  ["SELECT mode(f), host FROM t", "mixing aggregate and non-aggregate queries is not supported"],
  ["SELECT mean(f) + f FROM t", "mixing aggregate and non-aggregate queries is not supported"],
  ["SELECT mean(*) + 1 FROM t", "unsupported expression with wildcard: mean()"],
  ["SELECT 1 + 2 FROM t", "field must contain at least one variable"],
  ["SELECT time FROM t", "at least 1 non-time field must be queried"],
  ["SELECT f FROM t GROUP BY time", "time() is a function and expects at least one argument"],
  ["SELECT f FROM t GROUP BY mean(f)", "only time() calls allowed in dimensions"],
  ["SELECT f FROM t GROUP BY 1", "only time and tag dimensions allowed"],
  [
    "SELECT mean(f) FROM t GROUP BY time(1h, 'abc')",
    "time dimension offset must be duration or now()",
  ],
  [
    "SELECT derivative(f) FROM t GROUP BY time(1h)",
    "aggregate function required inside the call to derivative",
  ],
  ["SELECT difference(mean(f)) FROM t", "difference aggregate requires a GROUP BY interval"],
  ["SELECT elapsed(f, 0s) FROM t", "duration argument must be positive, got 0s"],
  [
    "SELECT elapsed(f, 1) FROM t",
    "second argument to elapsed must be a duration, got *influxql.IntegerLiteral",
  ],
  [
    "SELECT moving_average(f, 2.5) FROM t",
    "second argument for moving_average must be an integer, got *influxql.NumberLiteral",
  ],
  ["SELECT integral(f, 'x') FROM t", "second argument must be a duration"],
  ["SELECT sample(f, 'x') FROM t", "expected integer argument in sample()"],
  ["SELECT top(f, 'x') FROM t", "expected integer as last argument in top(), found 'x'"],
  [
    "SELECT top(f, 3) FROM t LIMIT 2",
    "limit (3) in top function can not be larger than the LIMIT (2) in the select statement",
  ],
  ["SELECT top(*, 3) FROM t", "expected first argument to be a field in top(), found *"],
  ["SELECT top(f, 1+1, 3) FROM t", "only fields or tags are allowed in top(), found 2"],
  [
    "SELECT top(f, host, 1), bottom(f, 1) FROM t",
    "selector function top() cannot be combined with other functions",
  ],
  ["SELECT distinct(f, s) FROM t", "distinct function can only have one argument"],
  [
    "SELECT DISTINCT f, host FROM t",
    "aggregate function distinct() cannot be combined with other functions or fields",
  ],
  ["SELECT mean(mean(f)) FROM t", "expected field argument in mean()"],
  ["SELECT count() FROM t", "invalid number of arguments for count, expected 1, got 0"],
  ["SELECT log(f) FROM t", "invalid number of arguments for log, expected 2, got 1"],
  ["SELECT holt_winters(f, 1, 1) FROM t", "must use aggregate function with holt_winters"],
  [
    "SELECT derivative() FROM t",
    "invalid number of arguments for derivative, expected at least 1 but no more than 2, got 0",
  ],
  [
    "SELECT * FROM t WHERE mean(f) > 1 AND time > 'abc'",
    "invalid operation: time and *influxql.StringLiteral are not compatible",
  ],
  // Subqueries: checked after the outer fields, with the outer interval inherited.
  [
    "SELECT f FROM (SELECT f FROM t ORDER BY time DESC)",
    "subqueries must be ordered in the same direction as the query itself",
  ],
  ["SELECT f FROM (SELECT top(f, 0) FROM t)", "limit (0) in top function must be at least 1"],
  // A grouped subquery's fill(null) becomes fill(none), which then needs a function.
  ["SELECT f FROM (SELECT f FROM t GROUP BY time(1h))", "fill(none) must be used with a function"],
  [
    "SELECT derivative(f) FROM (SELECT f FROM t) WHERE time > 0 GROUP BY time(1h)",
    "aggregate function required inside the call to derivative",
  ],
];

Deno.test("validateSelect: InfluxDB 1.6.7's compile errors, text and precedence", () => {
  for (const [q, text] of ERRORS) assert.equal(validateSelect(select(q)), text, q);
});

const VALID = [
  "SELECT mean(v) FROM cpu WHERE time > now() - 1h GROUP BY time(10s), host fill(none)",
  "SELECT f FROM t WHERE time > now() - 1h OR host = 'a'",
  "SELECT mean(usage_user) FROM cpu GROUP BY time(0s)",
  "SELECT mean(f) FROM t GROUP BY time(0s), time(1h)",
  "SELECT f FROM t GROUP BY time(0s)",
  "SELECT f FROM t fill(0)",
  "SELECT top(f, 1), f FROM t",
  "SELECT top(f, host, 2) FROM t LIMIT 2",
  "SELECT max(f) + f FROM t",
  "SELECT f, * FROM t",
  "SELECT mean(f) + mean(i) FROM t",
  "SELECT count(distinct f) FROM t",
  "SELECT count(distinct(f)) FROM t",
  "SELECT percentile(*, 5) FROM t",
  "SELECT abs(mean(f)) FROM t",
  "SELECT log(f, 2) FROM t WHERE abs(f) > 1",
  "SELECT exponential_moving_average(f, 2) FROM t",
  "SELECT derivative(mean(f), 1s) FROM t WHERE time > 0 GROUP BY time(1h)",
  "SELECT mean(f) FROM (SELECT f FROM t) GROUP BY time(1h)",
  "SELECT derivative(f) FROM (SELECT mean(f) AS f FROM t GROUP BY time(1h))",
  "SELECT derivative(mean(f)) FROM (SELECT f FROM t) WHERE time > 0 GROUP BY time(1h)",
  "SELECT f FROM (SELECT f FROM t ORDER BY time DESC) ORDER BY time DESC",
  "SELECT f AS time FROM t",
  "SELECT mean(f) INTO t2 FROM t GROUP BY time(1h), *",
];

Deno.test("validateSelect: statements InfluxDB 1.6.7 accepts give null", () => {
  for (const q of VALID) assert.equal(validateSelect(select(q)), null, q);
});

Deno.test("withoutZeroInterval: GROUP BY time(0s) groups by no time, subqueries too", () => {
  const s = withoutZeroInterval(select("SELECT mean(v) FROM cpu GROUP BY time(0s), host"));
  assert.deepEqual(s.dimensions.map((d) => d.expr.kind), ["VarRef"]);
  const inner = withoutZeroInterval(
    select("SELECT v FROM (SELECT mean(v) AS v FROM c GROUP BY time(0s))"),
  );
  const src = inner.sources[0];
  assert.equal(src.kind === "SubQuery" ? src.statement.dimensions.length : -1, 0);
  const kept = select("SELECT mean(v) FROM cpu GROUP BY time(1m)");
  assert.equal(withoutZeroInterval(kept), kept);
});
