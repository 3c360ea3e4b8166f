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
import type { FieldType } from "../models/point.ts";
import type { QueryMeta, QueryShards, ShardHandle, ShardReaderLike } from "./deps.ts";
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
  type OutExpr,
  type Schema,
} from "./select_plan.ts";
import { rawRows } from "./select_raw.ts";
import { MemoryReader } from "./memory_reader.ts";
import { SELECTORS } from "./reducers.ts";
import { TRANSFORMS } from "./transforms.ts";
import { windowStart as windowStartOf } from "./windows.ts";

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

/** Shards opened for one statement, released together. */
export class OpenShards {
  private readonly open = new Map<string, Promise<ShardHandle | undefined>>();
  constructor(private readonly shards: QueryShards) {}

  /** Opens (once) and returns a shard's handle. */
  get(db: string, rp: string, id: number): Promise<ShardHandle | undefined> {
    const key = `${db}\0${rp}\0${id}`;
    let p = this.open.get(key);
    if (p === undefined) {
      p = this.shards.open(db, rp, id);
      this.open.set(key, p);
    }
    return p;
  }

  /** Releases every handle. */
  async release(): Promise<void> {
    for (const p of this.open.values()) {
      try {
        (await p)?.release();
      } catch {
        // A shard that failed to open holds nothing.
      }
    }
    this.open.clear();
  }
}

/** Resolves a source's database and retention policy, with InfluxDB's errors. */
export function resolveSource(
  meta: QueryMeta,
  database: string,
  rp: string,
): { database: string; retentionPolicy: string } {
  if (database === "") throw queryErrors.databaseRequired();
  const db = meta.database(database);
  if (db === undefined) throw queryErrors.databaseNotFound(database);
  const name = rp || db.defaultRetentionPolicy;
  if (!db.retentionPolicies.some((p) => p.name === name)) {
    throw queryErrors.retentionPolicyNotFound(name);
  }
  return { database, retentionPolicy: name };
}

/** Readers of the shards of `db.rp` overlapping `[min, max]`, in time order. */
export async function readersFor(
  env: Pick<SelectEnv, "meta">,
  open: OpenShards,
  db: string,
  rp: string,
  min: bigint,
  max: bigint,
): Promise<ShardReaderLike[]> {
  const groups = [...env.meta.shardGroupsByTimeRange(db, rp, min, max)]
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: ShardReaderLike[] = [];
  for (const g of groups) {
    for (const s of g.shards) {
      const h = await open.get(db, rp, s.id);
      if (h !== undefined) out.push(h.reader);
    }
  }
  return out;
}

function schemaOf(readers: readonly ShardReaderLike[], m: string): Schema {
  const fields = new Map<string, FieldType>();
  const tags = new Set<string>();
  for (const r of readers) {
    for (const f of r.fieldKeys(m)) if (!fields.has(f.key)) fields.set(f.key, f.type);
    for (const t of r.tagKeys(m)) tags.add(t);
  }
  return { fields, tags: [...tags].sort() };
}

function unionSchema(schemas: readonly Schema[]): Schema {
  const fields = new Map<string, FieldType>();
  const tags = new Set<string>();
  for (const s of schemas) {
    for (const [k, t] of s.fields) if (!fields.has(k)) fields.set(k, t);
    for (const t of s.tags) tags.add(t);
  }
  return { fields, tags: [...tags].sort() };
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

function hasTransform(e: OutExpr): boolean {
  return e.kind === "transform" ||
    (e.kind === "binary" && (hasTransform(e.lhs) || hasTransform(e.rhs)));
}

function transformReach(exprs: readonly OutExpr[]): number {
  let k = 0;
  const visit = (e: OutExpr): void => {
    if (e.kind === "transform") {
      // cumulative_sum starts at the range start; the others need earlier windows.
      if (e.name !== "cumulative_sum") {
        k = Math.max(k, e.name === "moving_average" ? Math.max(1, e.n - 1) : 1);
      }
      visit(e.input);
    } else if (e.kind === "binary") {
      visit(e.lhs);
      visit(e.rhs);
    }
  };
  exprs.forEach(visit);
  return k;
}

/** The inner statement of a subquery, limited to the outer statement's time range too. */
function withOuterRange(inner: SelectStatement, outer: SelectStatement): SelectStatement {
  const timeOnly = timeTerms(outer.condition);
  if (timeOnly === null) return inner;
  const condition: Expr = inner.condition === null ? timeOnly : {
    kind: "BinaryExpr",
    op: "AND",
    lhs: { kind: "ParenExpr", expr: inner.condition },
    rhs: timeOnly,
  };
  return { ...inner, condition };
}

/** The AND-ed time comparisons of a condition (null when it has none). */
function timeTerms(e: Expr | null): Expr | null {
  if (e === null) return null;
  if (e.kind === "ParenExpr") return timeTerms(e.expr);
  if (e.kind !== "BinaryExpr") return null;
  if (e.op === "AND") {
    const l = timeTerms(e.lhs);
    const r = timeTerms(e.rhs);
    if (l === null) return r;
    if (r === null) return l;
    return { kind: "BinaryExpr", op: "AND", lhs: l, rhs: r };
  }
  const isTime = (x: Expr) => x.kind === "VarRef" && x.name.toLowerCase() === "time";
  return isTime(e.lhs) || isTime(e.rhs) ? e : null;
}

const GROUP_CONCURRENCY = 1;

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep their order. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** How many windows before the range transformations need (0 without them). */
function statementReach(stmt: SelectStatement): number {
  let k = 0;
  const visit = (e: Expr): void => {
    if (e.kind === "Call") {
      if (TRANSFORMS.has(e.name) && e.name !== "cumulative_sum") {
        const a = e.args[1];
        const n = e.name === "moving_average" && a?.kind === "IntegerLiteral" ? Number(a.value) : 2;
        k = Math.max(k, n - 1);
      }
      e.args.forEach(visit);
    } else if (e.kind === "BinaryExpr") {
      visit(e.lhs);
      visit(e.rhs);
    } else if (e.kind === "ParenExpr") visit(e.expr);
  };
  for (const f of stmt.fields) visit(f.expr);
  return k;
}

/** Runs a SELECT and returns its series in InfluxDB's order. */
export async function executeSelect(
  stmt: SelectStatement,
  env: SelectEnv,
): Promise<ResultSeries[]> {
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
  const rangeMin = split.range.min;
  const rangeMax = split.range.max ?? (w !== null ? env.now : MAX_TIME);
  const ascending = stmt.sortFields.length === 0 || stmt.sortFields[0].ascending;
  const open = new OpenShards(env.shards);
  const out: ResultSeries[] = [];
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
    // InfluxDB expands `*` and GROUP BY * once per statement, over every source's schema.
    const schemas = targets.map((t) => schemaOf(t.readers, t.m));
    const union = unionSchema(schemas);
    for (let i = 0; i < targets.length; i++) {
      const { m, readers } = targets[i];
      if (schemas[i].fields.size === 0) continue;
      out.push(
        ...await runMeasurement(stmt, env, m, readers, union, {
          rangeMin,
          rangeMax,
          condition: split.condition,
          ascending,
          aggregate,
        }),
      );
    }
  } finally {
    await open.release();
  }
  const from = stmt.soffset;
  const series = stmt.slimit > 0 ? out.slice(from, from + stmt.slimit) : out.slice(from);
  return series;
}

interface RunOptions {
  readonly rangeMin: bigint | null;
  readonly rangeMax: bigint;
  readonly condition: Expr | null;
  readonly ascending: boolean;
  readonly aggregate: boolean;
}

async function runMeasurement(
  stmt: SelectStatement,
  env: SelectEnv,
  m: string,
  readers: readonly ShardReaderLike[],
  schema: Schema,
  o: RunOptions,
): Promise<ResultSeries[]> {
  const dims = dimensionsOf(stmt);
  const w = dims.windowing;
  const groupTags = new Set(dims.tags);
  for (const t of schema.tags) {
    if (dims.all || dims.regexes.some((r) => r.test(t))) groupTags.add(t);
  }
  const tagKeys = [...groupTags].sort();
  const expanded = expandFields(stmt.fields, schema, groupTags);
  const c = compileFields(expanded, schema);
  if (c.exprs.length === 0) return [];
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
  const ordered = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const selectorTime = c.calls.length === 1 && SELECTORS.has(c.calls[0].spec.name);
  const hints = new Map<ShardReaderLike, Map<string, bigint>>();
  const out: ResultSeries[] = [];
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
  // Aggregated groups are small and independent: several run at once so their storage
  // reads overlap. Raw groups run one at a time to bound memory.
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
    out.push({
      name: m,
      ...(tagKeys.length > 0 ? { tags: g.tags } : {}),
      columns: ["time", ...c.columns],
      values: rows,
      ...(stmt.location ? { timeZone: stmt.location } : {}),
    });
  }
  return out;
}
