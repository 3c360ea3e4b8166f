/**
 * The errors InfluxDB 1.6 raises when it builds a function's iterator over a field of the
 * wrong type (`query/select.go`, `call_iterator.go`): `mean(message)` on a string field
 * fails with `unsupported mean iterator type: *query.stringInterruptIterator`. They need the
 * fields' types, so they are checked after the compile-time validation, against the shards
 * the statement would read.
 */
import type { Expr, SelectStatement } from "../influxql/mod.ts";
import { exprTimeRange, MAX_TIME, MIN_TIME } from "../influxql/mod.ts";
import type { FieldType } from "../models/point.ts";
import type { QueryMeta, QueryShards } from "./deps.ts";
import { regexFor } from "./eval.ts";
import { OpenShards, readersFor, resolveSource, schemaOf } from "./sources.ts";

/** How InfluxDB names each function in its iterator type error (numeric-only functions). */
const NUMERIC_ONLY: Readonly<Record<string, string>> = {
  sum: "sum",
  mean: "mean",
  median: "median",
  spread: "spread",
  stddev: "stddev",
  percentile: "percentile",
  top: "top",
  bottom: "bottom",
  integral: "integral",
  derivative: "derivative",
  non_negative_derivative: "derivative",
  difference: "difference",
  non_negative_difference: "difference",
  cumulative_sum: "cumulative sum",
  moving_average: "moving average",
};

/** Selectors that take booleans but not strings. */
const NO_STRINGS = new Set(["min", "max"]);

/** The type a field reference reads, or null when it reads nothing typed (tags, bad casts). */
function refType(ref: Expr, typeOf: (field: string) => FieldType | undefined): FieldType | null {
  if (ref.kind !== "VarRef" || ref.type === "tag") return null;
  const actual = typeOf(ref.name);
  if (actual === undefined) return null;
  if (ref.type === "" || ref.type === "field" || ref.type === actual) return actual;
  const numeric = (t: string) => t === "float" || t === "integer" || t === "unsigned";
  // A numeric field cast to another numeric type is converted; any other cast reads nothing.
  return numeric(ref.type) && numeric(actual) ? ref.type as FieldType : null;
}

/**
 * InfluxDB's iterator type error for the first call (in field order, outer before inner)
 * whose field argument has a type the function cannot read, or null.
 */
export function callTypeError(
  fields: readonly Expr[],
  typeOf: (field: string) => FieldType | undefined,
): string | null {
  const visit = (e: Expr): string | null => {
    switch (e.kind) {
      case "Call": {
        const t = refType(e.args[0] ?? { kind: "NilLiteral" }, typeOf);
        const bad = t === "string" || t === "boolean";
        const label = NUMERIC_ONLY[e.name];
        if (bad && (label !== undefined || (NO_STRINGS.has(e.name) && t === "string"))) {
          return `unsupported ${label ?? e.name} iterator type: *query.${t}InterruptIterator`;
        }
        for (const a of e.args) {
          const err = visit(a);
          if (err !== null) return err;
        }
        return null;
      }
      case "BinaryExpr":
        return visit(e.lhs) ?? visit(e.rhs);
      case "ParenExpr":
        return visit(e.expr);
      default:
        return null;
    }
  };
  for (const f of fields) {
    const err = visit(f);
    if (err !== null) return err;
  }
  return null;
}

/** What the check reads: the meta data and shards a SELECT would read. */
export interface TypeCheckEnv {
  readonly meta: QueryMeta;
  readonly shards: QueryShards;
  readonly now: bigint;
  readonly database: string;
  readonly retentionPolicy: string;
}

function hasCall(e: Expr): boolean {
  if (e.kind === "Call") return true;
  if (e.kind === "BinaryExpr") return hasCall(e.lhs) || hasCall(e.rhs);
  if (e.kind === "ParenExpr") return hasCall(e.expr);
  return false;
}

type FieldTypes = ReadonlyMap<string, FieldType>;

/** The field types of a subquery's output: its plain fields and `*` keep their types. */
function subqueryTypes(inner: SelectStatement, sources: readonly FieldTypes[]): FieldTypes {
  const out = new Map<string, FieldType>();
  const typeOf = (name: string) => sources.find((m) => m.has(name))?.get(name);
  for (const f of inner.fields) {
    if (f.expr.kind === "Wildcard") {
      for (const m of sources) for (const [k, t] of m) if (!out.has(k)) out.set(k, t);
    } else if (f.expr.kind === "VarRef" && f.expr.name !== "time") {
      const t = typeOf(f.expr.name);
      if (t !== undefined) out.set(f.alias || f.expr.name, t);
    }
  }
  return out;
}

/** The field types of each measurement (or subquery) a statement reads, in source order. */
async function sourceTypes(stmt: SelectStatement, env: TypeCheckEnv): Promise<FieldTypes[]> {
  const range = exprTimeRange(stmt.condition, env.now, stmt.location).range;
  const grouped = stmt.dimensions.some((d) => d.expr.kind === "Call");
  const min = range.min ?? MIN_TIME;
  const max = range.max ?? (grouped ? env.now : MAX_TIME);
  const out: FieldTypes[] = [];
  const open = new OpenShards(env.shards);
  try {
    for (const src of stmt.sources) {
      if (src.kind === "SubQuery") {
        out.push(subqueryTypes(src.statement, await sourceTypes(src.statement, env)));
        continue;
      }
      const { database, retentionPolicy } = resolveSource(
        env.meta,
        src.database || env.database,
        src.retentionPolicy || (src.database ? "" : env.retentionPolicy),
      );
      const readers = await readersFor(env, open, database, retentionPolicy, min, max);
      let names: string[] = [src.name];
      if (src.regex !== null) {
        const re = regexFor(src.regex.pattern);
        names = [...new Set(readers.flatMap((r) => r.measurements()).filter((m) => re.test(m)))]
          .sort();
      }
      for (const m of names) out.push(schemaOf(readers, m).fields);
    }
    return out;
  } finally {
    await open.release();
  }
}

/**
 * The iterator type error a SELECT (or one of its subqueries, checked first) would hit, or
 * null. Only shards overlapping the statement's time range count, as in InfluxDB: a field
 * that no such shard holds raises nothing. An outer query sees a subquery's plain fields
 * with their stored types.
 */
export async function selectTypeError(
  stmt: SelectStatement,
  env: TypeCheckEnv,
): Promise<string | null> {
  for (const src of stmt.sources) {
    if (src.kind !== "SubQuery") continue;
    const err = await selectTypeError(src.statement, env);
    if (err !== null) return err;
  }
  const fields = stmt.fields.map((f) => f.expr);
  if (!fields.some(hasCall)) return null;
  for (const types of await sourceTypes(stmt, env)) {
    const err = callTypeError(fields, (f) => types.get(f));
    if (err !== null) return err;
  }
  return null;
}
