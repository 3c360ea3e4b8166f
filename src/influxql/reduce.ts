/** Constant folding for conditions: now(), time strings ± durations, literal arithmetic. */
import type { BinaryOp, Expr } from "./ast.ts";
import { wrapI64 } from "./duration.ts";
import { isTimeString, parseTimeString } from "./time_literal.ts";
import { rewriteExpr } from "./walk.ts";

/** Folds constants in `e`, replacing `now()` with `now` (ns); `tz` reads zone-less times. */
export function reduceExpr(e: Expr, now: bigint, tz?: string | null): Expr {
  return rewriteExpr(e, (n) => {
    switch (n.kind) {
      case "Call":
        return n.name === "now" && n.args.length === 0 ? { kind: "TimeLiteral", value: now } : n;
      case "ParenExpr":
        return isLiteral(n.expr) ? n.expr : n;
      case "BinaryExpr":
        return foldBinary(n.op, n.lhs, n.rhs, tz) ?? n;
      default:
        return n;
    }
  });
}

function isLiteral(e: Expr): boolean {
  return e.kind.endsWith("Literal");
}

/** Converts a time-looking string literal to a time literal; other expressions unchanged. */
export function asTime(e: Expr, tz?: string | null): Expr {
  if (e.kind !== "StringLiteral" || !isTimeString(e.value)) return e;
  const ns = parseTimeString(e.value, tz);
  return ns === null ? e : { kind: "TimeLiteral", value: ns };
}

type Lit = Expr;
const int = (value: bigint): Lit => ({ kind: "IntegerLiteral", value: wrapI64(value) });
const time = (value: bigint): Lit => ({ kind: "TimeLiteral", value: wrapI64(value) });
const dur = (value: bigint): Lit => ({ kind: "DurationLiteral", value: wrapI64(value) });
const bool = (value: boolean): Lit => ({ kind: "BooleanLiteral", value });

function compare(op: BinaryOp, a: number | bigint | string, b: number | bigint | string) {
  switch (op) {
    case "=":
      return bool(a === b);
    case "!=":
      return bool(a !== b);
    case "<":
      return bool(a < b);
    case "<=":
      return bool(a <= b);
    case ">":
      return bool(a > b);
    case ">=":
      return bool(a >= b);
    default:
      return null;
  }
}

function foldBinary(op: BinaryOp, l0: Expr, r0: Expr, tz?: string | null): Expr | null {
  // A time string next to a duration, integer or time is read as a time, as InfluxDB does.
  const timeish = (e: Expr) =>
    e.kind === "DurationLiteral" || e.kind === "IntegerLiteral" || e.kind === "TimeLiteral";
  const l = timeish(r0) ? asTime(l0, tz) : l0;
  const r = timeish(l0) ? asTime(r0, tz) : r0;
  if (op === "AND" || op === "OR") return foldLogic(op, l, r);
  if (l.kind === "TimeLiteral" || r.kind === "TimeLiteral") return foldTime(op, l, r);
  if (l.kind === "DurationLiteral" && r.kind === "DurationLiteral") {
    if (op === "+") return dur(l.value + r.value);
    if (op === "-") return dur(l.value - r.value);
    return compare(op, l.value, r.value);
  }
  if (l.kind === "DurationLiteral" && r.kind === "IntegerLiteral") {
    if (op === "*") return dur(l.value * r.value);
    if (op === "/") return dur(r.value === 0n ? 0n : l.value / r.value);
  }
  if (l.kind === "IntegerLiteral" && r.kind === "DurationLiteral") {
    if (op === "+") return time(l.value + r.value);
    if (op === "-") return time(l.value - r.value);
    if (op === "*") return dur(l.value * r.value);
  }
  if (l.kind === "IntegerLiteral" && r.kind === "IntegerLiteral") {
    return foldInts(op, l.value, r.value);
  }
  const num = (e: Expr) =>
    e.kind === "NumberLiteral" ? e.value : e.kind === "IntegerLiteral" ? Number(e.value) : null;
  const a = num(l);
  const b = num(r);
  if (a !== null && b !== null) {
    switch (op) {
      case "+":
        return { kind: "NumberLiteral", value: a + b };
      case "-":
        return { kind: "NumberLiteral", value: a - b };
      case "*":
        return { kind: "NumberLiteral", value: a * b };
      case "/":
        return { kind: "NumberLiteral", value: b === 0 ? 0 : a / b };
      default:
        return compare(op, a, b);
    }
  }
  if (l.kind === "StringLiteral" && r.kind === "StringLiteral") {
    const lt = asTime(l, tz);
    const rt = asTime(r, tz);
    if (lt.kind === "TimeLiteral" && rt.kind === "TimeLiteral") return foldTime(op, lt, rt);
    return op === "=" || op === "!=" ? compare(op, l.value, r.value) : null;
  }
  if (l.kind === "BooleanLiteral" && r.kind === "BooleanLiteral") {
    return op === "=" || op === "!=" ? compare(op, String(l.value), String(r.value)) : null;
  }
  return null;
}

function foldInts(op: BinaryOp, a: bigint, b: bigint): Expr | null {
  switch (op) {
    case "+":
      return int(a + b);
    case "-":
      return int(a - b);
    case "*":
      return int(a * b);
    case "/":
      // InfluxQL divides integers as floats, and x / 0 is 0.
      return { kind: "NumberLiteral", value: b === 0n ? 0 : Number(a) / Number(b) };
    case "%":
      return int(b === 0n ? 0n : a % b);
    case "&":
      return int(a & b);
    case "|":
      return int(a | b);
    case "^":
      return int(a ^ b);
    default:
      return compare(op, a, b);
  }
}

function foldTime(op: BinaryOp, l: Expr, r: Expr): Expr | null {
  const off = (e: Expr) =>
    e.kind === "DurationLiteral" || e.kind === "IntegerLiteral" ? e.value : null;
  if (l.kind === "TimeLiteral" && r.kind === "TimeLiteral") {
    return op === "-" ? dur(l.value - r.value) : compare(op, l.value, r.value);
  }
  if (l.kind === "TimeLiteral") {
    const d = off(r);
    if (d === null) return null;
    if (op === "+") return time(l.value + d);
    if (op === "-") return time(l.value - d);
    return null;
  }
  if (r.kind === "TimeLiteral") {
    const d = off(l);
    return d !== null && op === "+" ? time(d + r.value) : null;
  }
  return null;
}

function foldLogic(op: "AND" | "OR", l: Expr, r: Expr): Expr | null {
  const lb = l.kind === "BooleanLiteral" ? l.value : null;
  const rb = r.kind === "BooleanLiteral" ? r.value : null;
  if (lb === null && rb === null) return null;
  if (op === "AND") {
    if (lb === false || rb === false) return bool(false);
    return lb === true ? r : l;
  }
  if (lb === true || rb === true) return bool(true);
  return lb === false ? r : l;
}
