/**
 * One validation pass over a parsed SELECT before it runs, in the order InfluxDB 1.6's
 * compiler (`query/compile.go`) checks it: the WHERE clause, the GROUP BY dimensions, the
 * fields and their function calls, how the fields combine, then each subquery.
 */
import type { Expr, SelectStatement } from "../influxql/mod.ts";
import { exprTimeRange, formatExpr, parseTimeString, TimeRangeError } from "../influxql/mod.ts";
import { compileField, type CompileState } from "./validate_fields.ts";
import { fail, foldLiterals, InvalidSelect, isMathFunction } from "./validate_args.ts";

export { InvalidSelect } from "./validate_args.ts";

/**
 * InfluxDB's error text for a SELECT it refuses before reading data, or null when the
 * statement compiles. `now` (ns) stands for now() in the WHERE clause.
 */
export function validateSelect(stmt: SelectStatement, now = 0n): string | null {
  try {
    compileStatement(stmt, now, null);
    return null;
  } catch (e) {
    if (e instanceof InvalidSelect) return e.message;
    throw e;
  }
}

/** What a subquery inherits from the statement around it. */
interface Parent {
  readonly interval: bigint;
  readonly ascending: boolean;
}

function ascending(stmt: SelectStatement): boolean {
  return stmt.sortFields.length === 0 || stmt.sortFields[0].ascending;
}

function compileStatement(stmt: SelectStatement, now: bigint, parent: Parent | null): void {
  const interval = preprocess(stmt, now);
  if (parent !== null && stmt.sortFields.length > 0 && ascending(stmt) !== parent.ascending) {
    fail("subqueries must be ordered in the same direction as the query itself");
  }
  let fill = stmt.fill;
  // A grouped subquery's fill(null) becomes fill(none): nulls are wasted on an outer query.
  if (parent !== null && interval !== 0n && fill === "null") fill = "none";
  const inherited = parent !== null && interval === 0n && parent.interval !== 0n;
  const st: CompileState = {
    interval: inherited ? parent.interval : interval,
    inheritedInterval: inherited,
    hasTarget: parent === null && stmt.target !== null,
    limit: stmt.limit,
    fieldCount: 0,
    functionCalls: 0,
    onlySelectors: true,
    hasDistinct: false,
    topBottom: "",
    hasAuxiliaryFields: false,
  };
  for (const f of stmt.fields) {
    // `time` is always selected; naming it only renames the column.
    if (f.expr.kind === "VarRef" && f.expr.name === "time") continue;
    compileField({ ...f, expr: foldLiterals(f.expr) }, st);
  }
  validateFields(st, fill);
  const self: Parent = { interval: st.interval, ascending: parent?.ascending ?? ascending(stmt) };
  for (const src of stmt.sources) {
    if (src.kind === "SubQuery") compileStatement(src.statement, now, self);
  }
}

/** The WHERE clause and GROUP BY checks; returns the GROUP BY time interval (0 if none). */
function preprocess(stmt: SelectStatement, now: bigint): bigint {
  let condition: Expr | null;
  try {
    condition = exprTimeRange(stmt.condition, now, stmt.location).condition;
  } catch (e) {
    if (e instanceof TimeRangeError) fail(e.message);
    throw e;
  }
  if (condition !== null) validateCondition(condition);
  return compileDimensions(stmt);
}

/** Only math functions may appear in a condition (aggregates cannot filter points). */
function validateCondition(e: Expr): void {
  switch (e.kind) {
    case "BinaryExpr":
      validateCondition(e.lhs);
      validateCondition(e.rhs);
      return;
    case "ParenExpr":
      return validateCondition(e.expr);
    case "Call": {
      if (!isMathFunction(e)) fail(`invalid function call in condition: ${formatExpr(e)}`);
      const n = e.name === "atan2" || e.name === "pow" ? 2 : 1;
      if (e.args.length !== n) {
        fail(`invalid number of arguments for ${e.name}, expected ${n}, got ${e.args.length}`);
      }
      e.args.forEach(validateCondition);
      return;
    }
    default:
      return;
  }
}

function compileDimensions(stmt: SelectStatement): bigint {
  let interval = 0n;
  for (const d of stmt.dimensions) {
    const e = foldLiterals(d.expr);
    switch (e.kind) {
      case "VarRef":
        if (e.name.toLowerCase() === "time") {
          fail("time() is a function and expects at least one argument");
        }
        break;
      case "Call": {
        if (e.name !== "time") fail("only time() calls allowed in dimensions");
        if (e.args.length < 1 || e.args.length > 2) {
          fail("time dimension expected 1 or 2 arguments");
        }
        const lit = e.args[0];
        if (lit.kind !== "DurationLiteral") fail("time dimension must have duration argument");
        // A zero interval counts as none, so a later time() is not "multiple".
        if (interval !== 0n) fail("multiple time dimensions not allowed");
        if (lit.kind === "DurationLiteral") interval = lit.value;
        if (e.args.length === 2) checkOffset(e.args[1], stmt.location);
        break;
      }
      case "Wildcard":
      case "RegexLiteral":
        break;
      default:
        fail("only time and tag dimensions allowed");
    }
  }
  return interval;
}

function checkOffset(o: Expr, tz: string | null): void {
  switch (o.kind) {
    case "DurationLiteral":
    case "TimeLiteral":
      return;
    case "Call":
      if (o.name !== "now") fail("time dimension offset function must be now()");
      if (o.args.length !== 0) fail("time dimension offset now() function requires no arguments");
      return;
    case "StringLiteral":
      if (parseTimeString(o.value, tz) !== null) return;
      return fail("time dimension offset must be duration or now()");
    default:
      fail("time dimension offset must be duration or now()");
  }
}

/** How the compiled fields may combine (compile.go's validateFields). */
function validateFields(st: CompileState, fill: SelectStatement["fill"]): void {
  if (st.fieldCount === 0) fail("at least 1 non-time field must be queried");
  if (st.functionCalls > 1 && st.topBottom !== "") {
    fail(`selector function ${st.topBottom}() cannot be combined with other functions`);
  } else if (st.functionCalls === 0) {
    if (fill === "none") fail("fill(none) must be used with a function");
    if (fill === "linear") fail("fill(linear) must be used with a function");
    if (st.interval !== 0n && !st.inheritedInterval) {
      fail("GROUP BY requires at least one aggregate function");
    }
  }
  if (st.hasDistinct && (st.functionCalls !== 1 || st.hasAuxiliaryFields)) {
    fail("aggregate function distinct() cannot be combined with other functions or fields");
  }
  if (st.hasAuxiliaryFields) {
    if (!st.onlySelectors) fail("mixing aggregate and non-aggregate queries is not supported");
    if (st.functionCalls > 1) {
      fail("mixing multiple selector functions with tags or fields is not supported");
    }
  }
}
