/**
 * Argument checks and helpers shared by the SELECT validation: InfluxDB 1.6's texts for
 * argument counts and the technical-analysis and Holt-Winters arguments.
 */
import type { Call, Expr } from "../influxql/mod.ts";
import { reduceExpr, rewriteExpr } from "../influxql/mod.ts";

/** A SELECT that InfluxDB refuses before reading any data; `message` is InfluxDB's text. */
export class InvalidSelect extends Error {
  override readonly name = "InvalidSelect";
}

/** Throws InvalidSelect with InfluxDB's text. */
export function fail(message: string): never {
  throw new InvalidSelect(message);
}

const MATH = new Set([
  "abs",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "atan2",
  "exp",
  "log",
  "ln",
  "log2",
  "log10",
  "sqrt",
  "pow",
  "floor",
  "ceil",
  "round",
]);

/** True for InfluxDB 1.6's math functions (allowed in fields and conditions). */
export function isMathFunction(call: Call): boolean {
  return MATH.has(call.name);
}

/** True for literal nodes (Go's `influxql.Literal`, which includes regexes). */
export function isLiteral(e: Expr): boolean {
  return e.kind.endsWith("Literal");
}

/** Go's `%T` of an expression node. */
export function goType(e: Expr): string {
  return `*influxql.${e.kind}`;
}

/** Folds literal arithmetic as InfluxDB's Reduce does, leaving calls such as now() alone. */
export function foldLiterals(e: Expr): Expr {
  return rewriteExpr(e, (n) => {
    if (n.kind === "BinaryExpr" && isLiteral(n.lhs) && isLiteral(n.rhs)) return reduceExpr(n, 0n);
    if (n.kind === "ParenExpr" && isLiteral(n.expr)) return n.expr;
    return n;
  });
}

/** InfluxDB's argument-count text for functions with a fixed or bounded arity. */
export function checkArity(e: Call, min: number, max: number): void {
  const got = e.args.length;
  if (got >= min && got <= max) return;
  fail(
    min === max
      ? `invalid number of arguments for ${e.name}, expected ${min}, got ${got}`
      : `invalid number of arguments for ${e.name}, expected at least ${min} but no more than ${max}, got ${got}`,
  );
}

/** The period, hold and warmup arguments of the technical-analysis functions. */
export function checkTechnicalArgs(e: Call): void {
  const name = e.name;
  const a = e.args;
  const cmo = name === "chande_momentum_oscillator";
  checkArity(e, 2, name.startsWith("kaufmans_") ? 3 : 4);
  const period = a[1];
  if (period.kind !== "IntegerLiteral") fail(`${name} period must be an integer`);
  else if (period.value < 1n) fail(`${name} period must be greater than or equal to 1`);
  const hold = a[2];
  if (hold !== undefined) {
    if (hold.kind !== "IntegerLiteral") fail(`${name} hold period must be an integer`);
    else if (name === "triple_exponential_derivative" && hold.value < 1n && hold.value !== -1n) {
      fail(`${name} hold period must be greater than or equal to 1`);
    } else if (hold.value < 0n && hold.value !== -1n) {
      fail(`${name} hold period must be greater than or equal to 0`);
    }
  }
  const warmup = a[3];
  if (warmup !== undefined) {
    const kinds = cmo ? ["none", "exponential", "simple"] : ["exponential", "simple"];
    if (warmup.kind !== "StringLiteral") fail(`${name} warmup type must be a string`);
    else if (!kinds.includes(warmup.value)) {
      fail(`${name} warmup type must be one of: ${kinds.map((k) => `'${k}'`).join(" ")}`);
    }
  }
}

/** The season and prediction counts of holt_winters() and holt_winters_with_fit(). */
export function checkHoltWintersArgs(e: Call): void {
  const name = e.name;
  checkArity(e, 3, 3);
  const [, n, s] = e.args;
  if (n.kind !== "IntegerLiteral") fail(`expected integer argument as second arg in ${name}`);
  else if (n.value <= 0n) fail(`second arg to ${name} must be greater than 0, got ${n.value}`);
  if (s.kind !== "IntegerLiteral") fail(`expected integer argument as third arg in ${name}`);
  else if (s.value < 0n) fail(`third arg to ${name} cannot be negative, got ${s.value}`);
}
