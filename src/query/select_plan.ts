/**
 * Compiling a SELECT: output columns with InfluxDB's names, the calls to compute, the
 * windowing, dimensions and the expansion of `*` and regexes against a measurement's schema.
 */
import type { FieldType } from "../models/point.ts";
import type { Call, Expr, Field, SelectStatement } from "../influxql/mod.ts";
import { QueryError, queryErrors } from "./errors.ts";
import { AGGREGATES, type ReducerSpec } from "./reducers.ts";
import { TRANSFORMS } from "./transforms.ts";
import { regexFor } from "./eval.ts";
import type { Windowing } from "./windows.ts";

/** The schema of one measurement (union over the shards read). */
export interface Schema {
  readonly fields: ReadonlyMap<string, FieldType>;
  readonly tags: readonly string[];
}

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
  | { readonly kind: "ref"; readonly name: string; readonly isTag: boolean }
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

const NUMERIC_ONLY = new Set([
  "mean",
  "sum",
  "median",
  "spread",
  "stddev",
  "integral",
  "percentile",
  "top",
  "bottom",
  "min",
  "max",
  "derivative",
  "non_negative_derivative",
  "difference",
  "non_negative_difference",
  "moving_average",
  "cumulative_sum",
]);

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

function baseName(e: Expr): string {
  switch (e.kind) {
    case "Call":
      return e.name;
    case "VarRef":
      return e.name;
    case "ParenExpr":
      return baseName(e.expr);
    case "Distinct":
      return "distinct";
    case "BinaryExpr": {
      const names: string[] = [];
      const visit = (x: Expr): void => {
        if (x.kind === "VarRef") names.push(x.name);
        else if (x.kind === "Call") names.push(x.name);
        else if (x.kind === "Distinct") names.push("distinct");
        else if (x.kind === "BinaryExpr") {
          visit(x.lhs);
          visit(x.rhs);
        } else if (x.kind === "ParenExpr") visit(x.expr);
      };
      visit(e);
      return names.join("_");
    }
    default:
      return "";
  }
}

/** Expands `*`, `*::field`, regexes and `fn(*)` into concrete fields, as InfluxDB does. */
export function expandFields(
  fields: readonly Field[],
  schema: Schema,
  groupTags: ReadonlySet<string>,
): Field[] {
  const out: Field[] = [];
  const names = (withTags: boolean, pattern: RegExp | null): { name: string; tag: boolean }[] => {
    const list: { name: string; tag: boolean }[] = [];
    for (const f of schema.fields.keys()) {
      if (pattern === null || pattern.test(f)) list.push({ name: f, tag: false });
    }
    if (withTags) {
      for (const t of schema.tags) {
        if (groupTags.has(t) || schema.fields.has(t)) continue;
        if (pattern === null || pattern.test(t)) list.push({ name: t, tag: true });
      }
    }
    return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };
  for (const f of fields) {
    const e = f.expr;
    if (e.kind === "Wildcard") {
      const list = e.type === "tag"
        ? names(true, null).filter((n) => n.tag)
        : names(e.type !== "field", null);
      for (const n of list) {
        out.push({
          kind: "Field",
          expr: { kind: "VarRef", name: n.name, type: n.tag ? "tag" : "" },
          alias: "",
        });
      }
    } else if (e.kind === "RegexLiteral") {
      for (const n of names(true, regexFor(e.pattern))) {
        out.push({
          kind: "Field",
          expr: { kind: "VarRef", name: n.name, type: n.tag ? "tag" : "" },
          alias: "",
        });
      }
    } else if (
      e.kind === "Call" && e.args.length > 0 &&
      (e.args[0].kind === "Wildcard" || e.args[0].kind === "RegexLiteral")
    ) {
      const a0 = e.args[0];
      const pattern = a0.kind === "RegexLiteral" ? regexFor(a0.pattern) : null;
      for (const n of names(false, pattern)) {
        const t = schema.fields.get(n.name);
        if (NUMERIC_ONLY.has(e.name) && t !== "float" && t !== "integer" && t !== "unsigned") {
          continue;
        }
        const call: Call = {
          kind: "Call",
          name: e.name,
          args: [{ kind: "VarRef", name: n.name, type: "" }, ...e.args.slice(1)],
        };
        out.push({ kind: "Field", expr: call, alias: `${f.alias || e.name}_${n.name}` });
      }
    } else if (
      e.kind === "Call" && (e.name === "top" || e.name === "bottom") && e.args.length > 2
    ) {
      // InfluxDB shows the tag arguments of top()/bottom() as columns after the call.
      out.push(f);
      for (const a of e.args.slice(1, -1)) {
        if (a.kind === "VarRef") {
          out.push({
            kind: "Field",
            expr: { kind: "VarRef", name: a.name, type: "tag" },
            alias: "",
          });
        }
      }
    } else out.push(f);
  }
  return out;
}

/** Column names: aliases or InfluxDB's derived names, de-duplicated with `_1`, `_2`. */
export function columnNames(fields: readonly Field[]): string[] {
  const seen = new Map<string, number>([["time", 1]]);
  const out: string[] = [];
  for (const f of fields) {
    const col = f.alias || baseName(f.expr);
    const count = seen.get(col);
    if (count === undefined) {
      seen.set(col, 1);
      out.push(col);
      continue;
    }
    let c = count;
    for (;;) {
      const name = `${col}_${c}`;
      c++;
      if (!seen.has(name)) {
        seen.set(col, c);
        seen.set(name, 1);
        out.push(name);
        break;
      }
    }
  }
  return out;
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
        if (!isTag) read.add(e.name);
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
