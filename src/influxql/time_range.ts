/** Splitting a WHERE clause into a time range and the remaining condition, as InfluxDB does. */
import type { BinaryExpr, Expr } from "./ast.ts";
import { formatExpr } from "./format.ts";
import { asTime, reduceExpr } from "./reduce.ts";
import { formatRFC3339Nano, isTimeString } from "./time_literal.ts";

/** The largest time InfluxDB stores (math.MaxInt64 - 1). */
export const MAX_TIME = 9223372036854775806n;
/** The smallest time InfluxDB stores (math.MinInt64 + 2). */
export const MIN_TIME = -9223372036854775806n;

/** A condition that cannot be evaluated; `message` is InfluxDB's text. */
export class TimeRangeError extends Error {
  override readonly name = "TimeRangeError";
}

/** An inclusive time range in ns; null bounds were not constrained by the condition. */
export interface TimeRange {
  readonly min: bigint | null;
  readonly max: bigint | null;
}

/** The condition without its time terms, and the time range those terms select. */
export interface SplitCondition {
  readonly condition: Expr | null;
  readonly range: TimeRange;
}

const UNBOUNDED: TimeRange = { min: null, max: null };

/** The intersection of two ranges (InfluxDB intersects even across OR). */
export function intersect(a: TimeRange, b: TimeRange): TimeRange {
  const min = b.min !== null && (a.min === null || b.min > a.min) ? b.min : a.min;
  const max = b.max !== null && (a.max === null || b.max < a.max) ? b.max : a.max;
  return { min, max };
}

/**
 * Splits `where` into its time range and remaining condition. `now` (ns) replaces now();
 * `tz` reads time strings without a zone. Throws TimeRangeError with InfluxDB's message.
 */
export function exprTimeRange(
  where: Expr | null,
  now: bigint,
  tz?: string | null,
): SplitCondition {
  if (where === null) return { condition: null, range: UNBOUNDED };
  const [condition, range] = split(where, now, tz ?? null);
  return { condition, range };
}

const GO_TYPES: Record<Expr["kind"], string> = {
  BinaryExpr: "BinaryExpr",
  ParenExpr: "ParenExpr",
  Call: "Call",
  VarRef: "VarRef",
  Wildcard: "Wildcard",
  Distinct: "Distinct",
  NumberLiteral: "NumberLiteral",
  IntegerLiteral: "IntegerLiteral",
  UnsignedLiteral: "UnsignedLiteral",
  StringLiteral: "StringLiteral",
  BooleanLiteral: "BooleanLiteral",
  DurationLiteral: "DurationLiteral",
  TimeLiteral: "TimeLiteral",
  RegexLiteral: "RegexLiteral",
  NilLiteral: "NilLiteral",
  ListLiteral: "ListLiteral",
};

/** Go's time.RFC3339 (whole seconds). */
const rfc3339 = (ns: bigint) => formatRFC3339Nano(ns).replace(/\.\d+Z$/, "Z");
const isTime = (e: Expr) => e.kind === "VarRef" && e.name.toLowerCase() === "time";

function split(cond: Expr, now: bigint, tz: string | null): [Expr | null, TimeRange] {
  switch (cond.kind) {
    case "BinaryExpr":
      return splitBinary(cond, now, tz);
    case "ParenExpr": {
      const [e, range] = split(cond.expr, now, tz);
      if (e === null) return [null, range];
      return [
        e.kind === "BinaryExpr" || e.kind === "ParenExpr" ? { kind: "ParenExpr", expr: e } : e,
        range,
      ];
    }
    case "BooleanLiteral":
      return [cond, UNBOUNDED];
    default:
      throw new TimeRangeError(`invalid condition expression: ${formatExpr(cond)}`);
  }
}

function splitBinary(cond: BinaryExpr, now: bigint, tz: string | null): [Expr | null, TimeRange] {
  switch (cond.op) {
    case "AND":
    case "OR": {
      const [l, lr] = split(cond.lhs, now, tz);
      const [r, rr] = split(cond.rhs, now, tz);
      // InfluxDB 1.6 intersects the two sides' time ranges even under OR (it has no way
      // to express a union), so `time > x OR host = 'a'` keeps only host 'a' after x.
      const range = intersect(lr, rr);
      if (r === null) return [l, range];
      if (l === null) return [r, range];
      return [{ kind: "BinaryExpr", op: cond.op, lhs: l, rhs: r }, range];
    }
    case "=":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (isTime(cond.lhs)) return [null, timeRange(cond.op, cond.rhs, now, tz)];
      if (isTime(cond.rhs)) {
        const flip = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" } as const;
        const op = cond.op === "=" || cond.op === "!=" ? cond.op : flip[cond.op];
        return [null, timeRange(op, cond.lhs, now, tz)];
      }
      return [reduceExpr(cond, now, tz), UNBOUNDED];
    }
    case "=~":
    case "!~":
      return [cond, UNBOUNDED];
    default:
      throw new TimeRangeError(`invalid operator: ${cond.op}`);
  }
}

function timeRange(op: string, rhs0: Expr, now: bigint, tz: string | null): TimeRange {
  const rhs = reduceExpr(asTime(rhs0, tz), now, tz);
  let value: bigint;
  switch (rhs.kind) {
    case "TimeLiteral":
      if (rhs.value > MAX_TIME) {
        throw new TimeRangeError(`time ${rfc3339(rhs.value)} overflows time literal`);
      }
      if (rhs.value < MIN_TIME + 1n) {
        throw new TimeRangeError(`time ${rfc3339(rhs.value)} underflows time literal`);
      }
      value = rhs.value;
      break;
    case "DurationLiteral":
    case "IntegerLiteral":
      value = rhs.value;
      break;
    case "NumberLiteral":
      value = BigInt(Math.trunc(rhs.value));
      break;
    case "StringLiteral":
      if (isTimeString(rhs.value)) throw new TimeRangeError("invalid timestamp string");
      throw new TimeRangeError(
        `invalid operation: time and *influxql.StringLiteral are not compatible`,
      );
    default:
      throw new TimeRangeError(
        `invalid operation: time and *influxql.${GO_TYPES[rhs.kind]} are not compatible`,
      );
  }
  switch (op) {
    case ">":
      return { min: value + 1n, max: null };
    case ">=":
      return { min: value, max: null };
    case "<":
      return { min: null, max: value - 1n };
    case "<=":
      return { min: null, max: value };
    case "=":
      return { min: value, max: value };
    default:
      throw new TimeRangeError(`invalid time comparison operator: ${op}`);
  }
}
