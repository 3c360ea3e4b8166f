/** Row-level evaluation: WHERE conditions on fields/tags and arithmetic in selected fields. */
import type { BinaryOp, Expr } from "../influxql/mod.ts";
import { compileRegex } from "../influxql/mod.ts";
import type { Value } from "./deps.ts";

/** Looks a name up in the current row: a field value, a tag value, or null. */
export type Lookup = (name: string) => Value;

const regexCache = new Map<string, RegExp>();

/** A compiled regex for an InfluxQL pattern (invalid patterns match nothing). */
export function regexFor(pattern: string): RegExp {
  let r = regexCache.get(pattern);
  if (r === undefined) {
    const c = compileRegex(pattern);
    r = c instanceof RegExp ? c : /(?!)/;
    regexCache.set(pattern, r);
  }
  return r;
}

/** Evaluates `e` against a row; comparisons yield booleans, missing values null. */
export function evalExpr(e: Expr, get: Lookup): Value {
  switch (e.kind) {
    case "VarRef":
      return get(e.name);
    case "ParenExpr":
      return evalExpr(e.expr, get);
    case "NumberLiteral":
    case "IntegerLiteral":
    case "UnsignedLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "DurationLiteral":
    case "TimeLiteral":
      return e.value;
    case "BinaryExpr":
      return evalBinary(e.op, e.lhs, e.rhs, get);
    default:
      return null;
  }
}

function evalBinary(op: BinaryOp, l: Expr, r: Expr, get: Lookup): Value {
  if (op === "AND") return evalExpr(l, get) === true && evalExpr(r, get) === true;
  if (op === "OR") return evalExpr(l, get) === true || evalExpr(r, get) === true;
  if (op === "=~" || op === "!~") {
    const v = evalExpr(l, get);
    if (r.kind !== "RegexLiteral") return false;
    const m = typeof v === "string" && regexFor(r.pattern).test(v);
    if (typeof v !== "string") return op === "!~" && v === null ? false : false;
    return op === "=~" ? m : !m;
  }
  const a = evalExpr(l, get);
  const b = evalExpr(r, get);
  return binaryOp(op, a, b);
}

/** Applies an arithmetic or comparison operator with InfluxQL's typing. */
export function binaryOp(op: BinaryOp, a: Value, b: Value): Value {
  if (a === null || b === null) return op === "!=" && (a === null) !== (b === null) ? null : null;
  switch (op) {
    case "=":
      return cmp(a, b) === 0;
    case "!=":
      return cmp(a, b) !== 0 && cmp(a, b) !== null;
    case "<": {
      const c = cmp(a, b);
      return c !== null && c < 0;
    }
    case "<=": {
      const c = cmp(a, b);
      return c !== null && c <= 0;
    }
    case ">": {
      const c = cmp(a, b);
      return c !== null && c > 0;
    }
    case ">=": {
      const c = cmp(a, b);
      return c !== null && c >= 0;
    }
    default:
      return arith(op, a, b);
  }
}

function cmp(a: Value, b: Value): number | null {
  if (typeof a === "string" || typeof b === "string") {
    if (typeof a !== "string" || typeof b !== "string") return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" || typeof b === "boolean") {
    if (typeof a !== "boolean" || typeof b !== "boolean") return null;
    return a === b ? 0 : a ? 1 : -1;
  }
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function arith(op: BinaryOp, a: Value, b: Value): Value {
  if (typeof a === "bigint" && typeof b === "bigint") {
    switch (op) {
      case "+":
        return BigInt.asIntN(64, a + b);
      case "-":
        return BigInt.asIntN(64, a - b);
      case "*":
        return BigInt.asIntN(64, a * b);
      case "/":
        return b === 0n ? 0 : Number(a) / Number(b);
      case "%":
        return b === 0n ? 0n : a % b;
      case "&":
        return a & b;
      case "|":
        return a | b;
      case "^":
        return a ^ b;
      default:
        return null;
    }
  }
  if (typeof a === "boolean" && typeof b === "boolean") {
    if (op === "&") return a && b;
    if (op === "|") return a || b;
    if (op === "^") return a !== b;
    return null;
  }
  if (typeof a === "string" || typeof b === "string") {
    return op === "+" && typeof a === "string" && typeof b === "string" ? a + b : null;
  }
  if (typeof a === "boolean" || typeof b === "boolean") return null;
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return y === 0 ? 0 : x / y;
    case "%":
      return y === 0 ? 0 : x % y;
    default:
      return null;
  }
}

/** `::integer` truncates floats toward zero and `::float` widens integers, as InfluxDB does. */
export function castValue(v: Value, to: "integer" | "float"): Value {
  if (to === "integer") {
    if (typeof v === "number") return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
    return typeof v === "bigint" ? v : null;
  }
  if (typeof v === "bigint") return Number(v);
  return typeof v === "number" ? v : null;
}
