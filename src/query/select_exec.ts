/**
 * Running a SELECT: shard groups pruned by time, series chosen through each shard's index
 * and grouped by the GROUP BY tags, then raw rows or pushed-down aggregates per group.
 */
import {
  type Expr,
  exprTimeRange,
  MAX_TIME,
  MIN_TIME,
  type SelectStatement,
  TimeRangeError,
} from "../influxql/mod.ts";
import { splitWhere } from "./condition.ts";
import type { QueryMeta, QueryShards, ShardReaderLike } from "./deps.ts";
import { QueryError, queryErrors } from "./errors.ts";
import { regexFor } from "./eval.ts";
import { type Group, tagOf } from "./group.ts";
import type { Cell, ResultSeries } from "./result.ts";
import { aggregateGroup } from "./select_aggregate.ts";
import { aggregateRows } from "./select_output.ts";
import {
  compileFields,
  dimensionsOf,
  expandFields,
  isAggregate,
  type Schema,
} from "./select_plan.ts";
import { rawRows, rawRowStream } from "./select_raw.ts";
import { MemoryReader } from "./memory_reader.ts";
import { OpenShards, readersFor, resolveSource, schemaOf, unionSchema } from "./sources.ts";
import {
  GROUP_CONCURRENCY,
  hasTransform,
  inParallel,
  statementReach,
  transformReach,
  withOuterRange,
} from "./select_helpers.ts";

import { SELECTORS } from "./reducers.ts";
import { TRANSFORMS } from "./transforms.ts";
import { windowStart as windowStartOf } from "./windows.ts";

export { OpenShards, readersFor, resolveSource } from "./sources.ts";

/** What a SELECT runs against. */
export interface SelectEnv {
  readonly meta: QueryMeta;
  readonly shards: QueryShards;
  /** now() in ns. */
  readonly now: bigint;
  readonly database: string;
  readonly retentionPolicy: string;
  readonly random: () => number;
  readonly maxBuckets: number;
}

function fieldNames(e: Expr | null, schema: Schema, into: Set<string>): void {
  if (e === null) return;
  if (e.kind === "VarRef") {
    if (e.type !== "tag" && schema.fields.has(e.name)) into.add(e.name);
  } else if (e.kind === "BinaryExpr") {
    fieldNames(e.lhs, schema, into);
    fieldNames(e.rhs, schema, into);
  } else if (e.kind === "ParenExpr") fieldNames(e.expr, schema, into);
}

/** With GROUP BY time, a transformation must wrap an aggregate (InfluxDB's rule and text). */
function requireAggregateInsideTransforms(stmt: SelectStatement): void {
  const visit = (e: Expr): void => {
    if (e.kind === "Call") {
      if (TRANSFORMS.has(e.name) && e.args[0]?.kind !== "Call") {
        throw new QueryError(`aggregate function required inside the call to ${e.name}`);
      }
      e.args.forEach(visit);
    } else if (e.kind === "BinaryExpr") {
      visit(e.lhs);
      visit(e.rhs);
    } else if (e.kind === "ParenExpr") visit(e.expr);
  };
  for (const f of stmt.fields) visit(f.expr);
}

/** Runs a SELECT and returns its series in InfluxDB's order. */
export async function executeSelect(
  stmt: SelectStatement,
  env: SelectEnv,
): Promise<ResultSeries[]> {
  const out: ResultSeries[] = [];
  for await (const s of selectSeries(stmt, env)) out.push(s);
  return out;
}

/** A piece of a result series; `first` marks a series' first piece. */
interface Piece {
  readonly series: ResultSeries;
  readonly first: boolean;
}

/**
 * Runs a SELECT, yielding its series in InfluxDB's order. With `chunkSize` > 0, raw
 * ascending series are streamed in pieces of at most that many rows (`partial` set on all
 * but a series' last piece), so a full scan never holds more than a chunk.
 */
export async function* selectSeries(
  stmt: SelectStatement,
  env: SelectEnv,
  chunkSize = 0,
): AsyncGenerator<ResultSeries> {
  let split;
  try {
    split = exprTimeRange(stmt.condition, env.now, stmt.location);
  } catch (e) {
    if (e instanceof TimeRangeError) throw new QueryError(e.message);
    throw e;
  }
  const dims = dimensionsOf(stmt);
  const w = dims.windowing;
  const aggregate = isAggregate(stmt);
  if (w !== null && !aggregate) throw queryErrors.groupByRequiresAggregate();
  if (w !== null) requireAggregateInsideTransforms(stmt);
  const rangeMin = split.range.min;
  const rangeMax = split.range.max ?? (w !== null ? env.now : MAX_TIME);
  const ascending = stmt.sortFields.length === 0 || stmt.sortFields[0].ascending;
  // InfluxDB 1.6 quirk: SOFFSET without SLIMIT returns no series at all.
  if (stmt.soffset > 0 && stmt.slimit === 0) return;
  const open = new OpenShards(env.shards);
  let seriesIndex = -1;
  const from = stmt.soffset;
  const until = stmt.slimit > 0 ? from + stmt.slimit : Infinity;
  try {
    const targets: { m: string; readers: ShardReaderLike[] }[] = [];
    for (const src of stmt.sources) {
      if (src.kind === "SubQuery") {
        // The inner statement runs first; its series become an in-memory source.
        const inner = await executeSelect(withOuterRange(src.statement, stmt), env);
        const reader = new MemoryReader(inner);
        for (const m of reader.measurements()) targets.push({ m, readers: [reader] });
        continue;
      }
      const { database, retentionPolicy } = resolveSource(
        env.meta,
        src.database || env.database,
        src.retentionPolicy || (src.database ? "" : env.retentionPolicy),
      );
      const widen = w !== null ? w.interval * BigInt(statementReach(stmt)) : 0n;
      const readers = await readersFor(
        env,
        open,
        database,
        retentionPolicy,
        rangeMin === null ? MIN_TIME : rangeMin - widen,
        rangeMax,
      );
      let names: string[];
      if (src.regex !== null) {
        const re = regexFor(src.regex.pattern);
        const all = new Set<string>();
        for (const r of readers) for (const m of r.measurements()) if (re.test(m)) all.add(m);
        names = [...all];
      } else names = [src.name];
      for (const m of names) targets.push({ m, readers });
    }
    targets.sort((a, b) => (a.m < b.m ? -1 : a.m > b.m ? 1 : 0));
    // ORDER BY time DESC reverses the series order too (InfluxDB's sorted merge).
    if (!ascending) targets.reverse();
    // InfluxDB expands `*` and GROUP BY * once per statement, over every source's schema.
    const schemas = targets.map((t) => schemaOf(t.readers, t.m));
    const union = unionSchema(schemas);
    for (let i = 0; i < targets.length; i++) {
      const { m, readers } = targets[i];
      if (schemas[i].fields.size === 0) continue;
      const pieces = runMeasurement(stmt, env, m, readers, union, {
        rangeMin,
        rangeMax,
        condition: split.condition,
        ascending,
        aggregate,
        chunkSize,
      });
      for await (const p of pieces) {
        if (p.first) seriesIndex++;
        // SLIMIT/SOFFSET count series, not pieces.
        if (seriesIndex >= until) return;
        if (seriesIndex >= from) yield p.series;
      }
    }
  } finally {
    await open.release();
  }
}

interface RunOptions {
  readonly rangeMin: bigint | null;
  readonly rangeMax: bigint;
  readonly condition: Expr | null;
  readonly ascending: boolean;
  readonly aggregate: boolean;
  readonly chunkSize: number;
}

async function* runMeasurement(
  stmt: SelectStatement,
  env: SelectEnv,
  m: string,
  readers: readonly ShardReaderLike[],
  schema: Schema,
  o: RunOptions,
): AsyncGenerator<Piece> {
  const dims = dimensionsOf(stmt);
  const w = dims.windowing;
  const groupTags = new Set(dims.tags);
  for (const t of schema.tags) {
    if (dims.all || dims.regexes.some((r) => r.test(t))) groupTags.add(t);
  }
  const tagKeys = [...groupTags].sort();
  const expanded = expandFields(stmt.fields, schema, groupTags);
  const c = compileFields(expanded, schema);
  if (c.exprs.length === 0) return;
  const where = splitWhere(o.condition, (n) => schema.fields.has(n));
  const residualSet = new Set<string>();
  fieldNames(where.residual, schema, residualSet);
  const residualFields = [...residualSet];
  const reach = w !== null && c.exprs.some(hasTransform) ? transformReach(c.exprs) : 0;
  const readMin = o.rangeMin === null
    ? MIN_TIME
    : o.rangeMin - (w !== null ? w.interval * BigInt(reach) : 0n);
  const bounds = { min: readMin, max: o.rangeMax };

  const groups = new Map<string, Group>();
  for (const reader of readers) {
    const parts = new Map<string, Group["parts"][number]>();
    for (const s of reader.series(m, where.predicate)) {
      const values = tagKeys.map((k) => tagOf(s, k));
      const key = values.join("\0");
      let g = groups.get(key);
      if (g === undefined) {
        const tags: Record<string, string> = {};
        tagKeys.forEach((k, i) => (tags[k] = values[i]));
        g = { key, tags, parts: [] };
        groups.set(key, g);
      }
      let p = parts.get(key);
      if (p === undefined) {
        p = { reader, series: [] };
        parts.set(key, p);
        g.parts.push(p);
      }
      p.series.push(s);
    }
  }
  // InfluxDB reads a shard's series in series key order; its merge breaks ties by that order.
  for (const g of groups.values()) {
    for (const p of g.parts) p.series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  const ordered = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (!o.ascending) ordered.reverse();
  const selectorTime = c.calls.length === 1 && SELECTORS.has(c.calls[0].spec.name);
  const hints = new Map<ShardReaderLike, Map<string, bigint>>();
  const header = (g: Group) => ({
    name: m,
    ...(tagKeys.length > 0 ? { tags: g.tags } : {}),
    columns: ["time", ...c.columns],
    ...(stmt.location ? { timeZone: stmt.location } : {}),
  });
  if (o.chunkSize > 0 && !c.aggregate && o.ascending && !c.exprs.some(hasTransform)) {
    for (const g of ordered) {
      yield* streamGroup(
        header(g),
        rawRowStream(g, c, where.residual, residualFields, bounds),
        stmt.offset,
        stmt.limit,
        o.chunkSize,
      );
    }
    return;
  }
  const compute = async (g: Group): Promise<Cell[][] | null> => {
    if (!c.aggregate) {
      return await rawRows(g, c, where.residual, residualFields, bounds, o.ascending);
    }
    const states = await aggregateGroup(
      g,
      c.calls,
      where.residual,
      residualFields,
      w,
      bounds,
      env.random,
      c.aux,
      hints,
    );
    return aggregateRows(c, states, {
      windowing: w,
      fill: stmt.fill,
      fillValue: stmt.fillValue,
      rangeMin: o.rangeMin === null ? null : bounds.min,
      rangeMax: o.rangeMax,
      outputFrom: reach > 0 && o.rangeMin !== null && w !== null
        ? windowStartOf(w, o.rangeMin)
        : null,
      ascending: o.ascending,
      displayTime: o.rangeMin ?? 0n,
      maxBuckets: env.maxBuckets,
    }, selectorTime);
  };
  // Aggregated groups are small and independent, so a few run at once and their storage
  // reads may overlap; raw groups run one at a time to bound memory.
  const results = await inParallel(ordered, c.aggregate ? GROUP_CONCURRENCY : 1, compute);
  for (let gi = 0; gi < ordered.length; gi++) {
    const g = ordered[gi];
    let rows = results[gi];
    if (rows === null || rows.length === 0) continue;
    if (!o.ascending) rows.reverse();
    if (stmt.offset > 0 || stmt.limit > 0) {
      rows = stmt.limit > 0
        ? rows.slice(stmt.offset, stmt.offset + stmt.limit)
        : rows.slice(stmt.offset);
    }
    if (rows.length === 0) continue;
    yield { series: { ...header(g), values: rows }, first: true };
  }
}

/** One group's raw rows as pieces of at most `size` rows, with OFFSET/LIMIT applied. */
async function* streamGroup(
  head: Omit<ResultSeries, "values">,
  rows: AsyncGenerator<Cell[]>,
  offset: number,
  limit: number,
  size: number,
): AsyncGenerator<Piece> {
  let seen = 0;
  let kept = 0;
  let buf: Cell[][] = [];
  let first = true;
  for await (const row of rows) {
    if (seen++ < offset) continue;
    if (limit > 0 && kept >= limit) break;
    kept++;
    if (buf.length === size) {
      yield { series: { ...head, values: buf, partial: true }, first };
      first = false;
      buf = [];
    }
    buf.push(row);
  }
  if (buf.length > 0) yield { series: { ...head, values: buf }, first };
}
