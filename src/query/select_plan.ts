/**
 * Compiling a SELECT: output columns with InfluxDB's names, the calls to compute, the
 * windowing, dimensions and the expansion of `*` and regexes against a measurement's schema.
 */
import type { Call, Expr, Field, SelectStatement } from "../influxql/mod.ts";
import { QueryError, queryErrors } from "./errors.ts";
import { AGGREGATES, type ReducerSpec } from "./reducers.ts";
import { TRANSFORMS } from "./transforms.ts";
import { regexFor } from "./eval.ts";
export { columnNames, expandFields, type Schema } from "./fields.ts";
import type { Schema } from "./fields.ts";
import { columnNames } from "./fields.ts";
import type { Windowing } from "./windows.ts";

/** A base call over one field, computed per window. */
export interface CallRef {
  readonly spec: ReducerSpec;
  readonly field: string;
}

/** A compiled output expression. */
export type OutExpr =
  | { readonly kind: "call"; readonly index: number }
  | {
    readonly kind: "transform";
    readonly name: string;
    readonly unit: bigint | null;
    readonly n: number;
    readonly input: OutExpr;
  }
  | {
    readonly kind: "ref";
    readonly name: string;
    readonly isTag: boolean;
    /** `::integer` / `::float`: InfluxDB converts numbers between the two. */
    readonly cast?: "integer" | "float";
  }
  | { readonly kind: "literal"; readonly value: number | bigint | string | boolean }
  | { readonly kind: "binary"; readonly op: string; readonly lhs: OutExpr; readonly rhs: OutExpr };

/** A compiled SELECT for one measurement. */
export interface Compiled {
  readonly columns: string[];
  readonly exprs: OutExpr[];
  readonly calls: CallRef[];
  readonly aggregate: boolean;
  /** The fields to read (selected and referenced by calls). */
  readonly fields: string[];
  /** Fields and tags selected beside a lone selector (`SELECT max(v), host`). */
  readonly aux: { readonly name: string; readonly isTag: boolean }[];
}

const AUX_SELECTORS = new Set(["first", "last", "min", "max", "top", "bottom"]);

/** True when the statement computes aggregates (any call in its fields). */
export function isAggregate(stmt: SelectStatement): boolean {
  let found = false;
  const visit = (e: Expr): void => {
    if (e.kind === "Call") found = true;
    else if (e.kind === "Distinct") found = true;
    else if (e.kind === "BinaryExpr") {
      visit(e.lhs);
      visit(e.rhs);
    } else if (e.kind === "ParenExpr") visit(e.expr);
  };
  for (const f of stmt.fields) visit(f.expr);
  return found;
}

/** Parses GROUP BY into windowing and tag dimensions (`*` = every tag). */
export function dimensionsOf(
  stmt: SelectStatement,
): { windowing: Windowing | null; tags: string[]; all: boolean; regexes: RegExp[] } {
  let windowing: Windowing | null = null;
  const tags: string[] = [];
  const regexes: RegExp[] = [];
  let all = false;
  for (const d of stmt.dimensions) {
    const e = d.expr;
    if (e.kind === "Call" && e.name === "time") {
      const iv = e.args[0];
      const off = e.args[1];
      if (iv === undefined || iv.kind !== "DurationLiteral") {
        throw new QueryError("time dimension must have duration argument");
      }
      if (iv.value <= 0n) throw new QueryError("time dimension must have a positive duration");
      let offset = 0n;
      if (off !== undefined) {
        if (off.kind === "DurationLiteral") offset = off.value;
        else throw new QueryError("time dimension offset must be duration or now()");
      }
      windowing = { interval: iv.value, offset: offset % iv.value, location: stmt.location };
    } else if (e.kind === "VarRef") tags.push(e.name);
    else if (e.kind === "Wildcard") all = true;
    else if (e.kind === "RegexLiteral") regexes.push(regexFor(e.pattern));
    else throw new QueryError(`only time and tag dimensions allowed`);
  }
  return { windowing, tags, all, regexes };
}

/** Argument counts per function: [min, max]. */
const ARITY: Record<string, [number, number]> = {
  count: [1, 1],
  sum: [1, 1],
  mean: [1, 1],
  median: [1, 1],
  mode: [1, 1],
  spread: [1, 1],
  stddev: [1, 1],
  first: [1, 1],
  last: [1, 1],
  min: [1, 1],
  max: [1, 1],
  distinct: [1, 1],
  percentile: [2, 2],
  sample: [2, 2],
  top: [2, Infinity],
  bottom: [2, Infinity],
  integral: [1, 2],
  derivative: [1, 2],
  non_negative_derivative: [1, 2],
  elapsed: [1, 2],
  difference: [1, 1],
  non_negative_difference: [1, 1],
  cumulative_sum: [1, 1],
  moving_average: [2, 2],
};

/** InfluxDB's argument-count errors. */
function checkArity(call: Call): void {
  const a = ARITY[call.name];
  if (a === undefined) return;
  const [min, max] = a;
  const got = call.args.length;
  if (got >= min && got <= max) return;
  const expected = min === max
    ? `expected ${min}`
    : max === Infinity
    ? `expected at least ${min}`
    : `expected at least ${min} but no more than ${max}`;
  throw new QueryError(`invalid number of arguments for ${call.name}, ${expected}, got ${got}`);
}

function intArg(call: Call, i: number): number {
  const a = call.args[i];
  if (a?.kind === "IntegerLiteral") return Number(a.value);
  if (a?.kind === "NumberLiteral") return a.value;
  throw new QueryError(`expected integer argument in ${call.name}()`);
}

function durationArg(call: Call, i: number): bigint | null {
  const a = call.args[i];
  if (a === undefined) return null;
  if (a.kind === "DurationLiteral") return a.value;
  throw new QueryError(`second argument to ${call.name} must be a duration, got ${a.kind}`);
}

const NUMERIC_CASTS = new Set(["float", "integer"]);
const VALUE_TYPES = new Set(["float", "integer", "unsigned", "string", "boolean"]);

/** True when `field::type` names a type the field does not have and cannot be cast to. */
function castMismatch(cast: string, actual: string | undefined): boolean {
  if (actual === undefined || !VALUE_TYPES.has(cast) || cast === actual) return false;
  return !(NUMERIC_CASTS.has(cast) && NUMERIC_CASTS.has(actual));
}

/** Compiles expanded fields into output expressions and the calls they need. */
export function compileFields(fields: readonly Field[], schema: Schema): Compiled {
  const calls: CallRef[] = [];
  const read = new Set<string>();
  let aggregate = false;
  let raw = false;
  let transforms = false;
  const aux: { name: string; isTag: boolean }[] = [];
  const callIndex = new Map<string, number>();
  const addCall = (spec: ReducerSpec, field: string): OutExpr => {
    const key = `${spec.name}|${spec.n}|${spec.unit}|${field}`;
    let i = callIndex.get(key);
    if (i === undefined) {
      i = calls.length;
      calls.push({ spec, field });
      callIndex.set(key, i);
    }
    read.add(field);
    return { kind: "call", index: i };
  };
  const fieldArg = (call: Call): string => {
    const a = call.args[0];
    if (a?.kind === "VarRef") return a.name;
    if (a?.kind === "Distinct") return a.name;
    throw new QueryError(`expected field argument in ${call.name}()`);
  };
  const compile = (e: Expr, inTransform: boolean): OutExpr => {
    switch (e.kind) {
      case "ParenExpr":
        return compile(e.expr, inTransform);
      case "VarRef": {
        const isTag = e.type === "tag" ||
          (!schema.fields.has(e.name) && schema.tags.includes(e.name));
        if (!inTransform) {
          raw = true;
          if (!aux.some((a) => a.name === e.name)) aux.push({ name: e.name, isTag });
        }
        // A cast to a type the field does not have (and that is not a float/integer
        // conversion) reads nothing: InfluxDB finds no such field and shows null.
        if (!isTag && castMismatch(e.type, schema.fields.get(e.name))) {
          return { kind: "ref", name: e.name, isTag };
        }
        if (!isTag) read.add(e.name);
        if (!isTag && (e.type === "integer" || e.type === "float")) {
          return { kind: "ref", name: e.name, isTag, cast: e.type };
        }
        return { kind: "ref", name: e.name, isTag };
      }
      case "Distinct":
        aggregate = true;
        return addCall({ name: "distinct", n: 0, unit: 0n }, e.name);
      case "NumberLiteral":
      case "IntegerLiteral":
      case "UnsignedLiteral":
      case "StringLiteral":
      case "BooleanLiteral":
        return { kind: "literal", value: e.value };
      case "BinaryExpr":
        return {
          kind: "binary",
          op: e.op,
          lhs: compile(e.lhs, inTransform),
          rhs: compile(e.rhs, inTransform),
        };
      case "Call": {
        checkArity(e);
        if (TRANSFORMS.has(e.name)) {
          transforms = true;
          const inner = e.args[0];
          if (inner === undefined) {
            throw new QueryError(
              `invalid number of arguments for ${e.name}, expected at least 1, got 0`,
            );
          }
          const n = e.name === "moving_average" ? intArg(e, 1) : 0;
          const unit = e.name === "moving_average" ? null : durationArg(e, 1);
          if (inner.kind === "Call") aggregate = true;
          return { kind: "transform", name: e.name, unit, n, input: compile(inner, true) };
        }
        if (!AGGREGATES.has(e.name)) throw new QueryError(`undefined function ${e.name}()`);
        aggregate = true;
        const a0 = e.args[0];
        if (
          e.name === "count" &&
          (a0?.kind === "Distinct" || a0?.kind === "Call" && a0.name === "distinct")
        ) {
          const inner = a0.kind === "Distinct"
            ? a0.name
            : a0.args[0]?.kind === "VarRef"
            ? a0.args[0].name
            : null;
          if (inner === null) throw new QueryError("expected field argument in distinct()");
          return addCall({ name: "count_distinct", n: 0, unit: 0n }, inner);
        }

        const n = e.name === "percentile"
          ? intArg(e, 1)
          : e.name === "top" || e.name === "bottom" || e.name === "sample"
          ? intArg(e, e.args.length - 1)
          : 0;
        const unit = e.name === "integral" ? (durationArg(e, 1) ?? 1_000_000_000n) : 0n;
        const byTags = (e.name === "top" || e.name === "bottom") && e.args.length > 2;
        return addCall({ name: e.name, n, unit, ...(byTags ? { byTags } : {}) }, fieldArg(e));
      }
      default:
        throw new QueryError(`unsupported expression: ${e.kind}`);
    }
  };
  const exprs = fields.map((f) => compile(f.expr, false));
  for (const call of calls) {
    const name = call.spec.name;
    if ((name === "top" || name === "bottom") && calls.length > 1) {
      throw new QueryError(`selector function ${name}() cannot be combined with other functions`);
    }
    if (name === "distinct" && (calls.length > 1 || raw)) {
      throw new QueryError(
        "aggregate function distinct() cannot be combined with other functions or fields",
      );
    }
  }
  if (aggregate && raw) {
    // Only a lone first/last/min/max may carry other fields: they come from its point.
    const lone = calls.length === 1 && AUX_SELECTORS.has(calls[0].spec.name) && !transforms;
    if (!lone) throw queryErrors.mixedAggregate();
  }
  return {
    columns: columnNames(fields),
    exprs,
    calls,
    aggregate,
    fields: [...read],
    aux: aggregate ? aux : [],
  };
}
