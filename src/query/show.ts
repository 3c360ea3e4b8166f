/** SHOW statements over metadata and shard indexes, shaped as InfluxDB 1.6 returns them. */
import type {
  Expr,
  ShowFieldKeysStatement,
  ShowMeasurementsStatement,
  ShowSeriesStatement,
  ShowTagKeysStatement,
  ShowTagValuesStatement,
  Source,
} from "../influxql/mod.ts";
import { MAX_TIME, MIN_TIME } from "../influxql/mod.ts";
import { splitWhere } from "./condition.ts";
import type { QueryMeta, ShardReaderLike, TagPredicate } from "./deps.ts";
import { QueryError, queryErrors } from "./errors.ts";
import { regexFor } from "./eval.ts";
import type { ResultSeries } from "./result.ts";
import { type OpenShards, readersFor } from "./select_exec.ts";

/** What SHOW statements read. */
export interface ShowEnv {
  readonly meta: QueryMeta;
  readonly open: OpenShards;
  readonly database: string;
}

function page<T>(xs: T[], offset: number, limit: number): T[] {
  return limit > 0 ? xs.slice(offset, offset + limit) : xs.slice(offset);
}

/** Every shard reader of a database (all policies, all time). */
export async function databaseReaders(env: ShowEnv, database: string): Promise<ShardReaderLike[]> {
  if (database === "") throw queryErrors.databaseRequired();
  const db = env.meta.database(database);
  if (db === undefined) throw queryErrors.databaseNotFound(database);
  const out: ShardReaderLike[] = [];
  for (const rp of db.retentionPolicies) {
    out.push(...await readersFor(env, env.open, database, rp.name, MIN_TIME, MAX_TIME));
  }
  return out;
}

/** Measurement names in the readers matching the FROM sources (all when none), sorted. */
export function measurementsOf(
  readers: readonly ShardReaderLike[],
  sources: readonly Source[],
): string[] {
  const all = new Set<string>();
  for (const r of readers) for (const m of r.measurements()) all.add(m);
  let names = [...all];
  if (sources.length > 0) {
    names = names.filter((m) =>
      sources.some((s) =>
        s.kind === "Measurement" &&
        (s.regex !== null ? regexFor(s.regex.pattern).test(m) : s.name === m)
      )
    );
  }
  return names.sort();
}

/** The tag predicate of a SHOW's WHERE clause (fields are not allowed there). */
export function predicateOf(cond: Expr | null): TagPredicate {
  const split = splitWhere(cond, () => false);
  if (split.residual !== null) {
    throw new QueryError("SHOW statements accept only tag conditions in WHERE");
  }
  return split.predicate;
}

/** True when measurement `m` has a series matching `p` in any reader. */
export function hasSeries(
  readers: readonly ShardReaderLike[],
  m: string,
  p: TagPredicate,
): boolean {
  return readers.some((r) => r.series(m, p).length > 0);
}

/** SHOW MEASUREMENTS. */
export async function showMeasurements(
  s: ShowMeasurementsStatement,
  env: ShowEnv,
): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const p = predicateOf(s.condition);
  const names = measurementsOf(readers, s.source === null ? [] : [s.source])
    .filter((m) => s.condition === null || hasSeries(readers, m, p));
  const values = page(names, s.offset, s.limit).map((m) => [m]);
  return values.length === 0 ? [] : [{ name: "measurements", columns: ["name"], values }];
}

/** SHOW SERIES. */
export async function showSeries(s: ShowSeriesStatement, env: ShowEnv): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const p = predicateOf(s.condition);
  const keys = new Set<string>();
  for (const m of measurementsOf(readers, s.sources)) {
    for (const r of readers) for (const x of r.series(m, p)) keys.add(x.key);
  }
  const values = page([...keys].sort(), s.offset, s.limit).map((k) => [k]);
  return values.length === 0 ? [] : [{ columns: ["key"], values }];
}

/** SHOW TAG KEYS. */
export async function showTagKeys(s: ShowTagKeysStatement, env: ShowEnv): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const p = predicateOf(s.condition);
  const out: ResultSeries[] = [];
  for (const m of measurementsOf(readers, s.sources)) {
    const keys = new Set<string>();
    for (const r of readers) {
      for (const k of r.tagKeys(m, s.condition === null ? undefined : p)) keys.add(k);
    }
    const values = page([...keys].sort(), s.offset, s.limit).map((k) => [k]);
    if (values.length > 0) out.push({ name: m, columns: ["tagKey"], values });
  }
  return page(out, s.soffset, s.slimit);
}

function keyMatcher(s: ShowTagValuesStatement): (k: string) => boolean {
  const e = s.tagKeyExpr;
  switch (s.op) {
    case "=":
      return (k) => e.kind === "StringLiteral" && k === e.value;
    case "!=":
      return (k) => e.kind === "StringLiteral" && k !== e.value;
    case "=~":
      return (k) => e.kind === "RegexLiteral" && regexFor(e.pattern).test(k);
    case "!~":
      return (k) => e.kind === "RegexLiteral" && !regexFor(e.pattern).test(k);
    case "IN":
      return (k) => e.kind === "ListLiteral" && e.values.includes(k);
  }
}

/** SHOW TAG VALUES ... WITH KEY. */
export async function showTagValues(
  s: ShowTagValuesStatement,
  env: ShowEnv,
): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const p = predicateOf(s.condition);
  const match = keyMatcher(s);
  const out: ResultSeries[] = [];
  for (const m of measurementsOf(readers, s.sources)) {
    // Each shard's values come sorted; only values seen in several shards need merging.
    const byKey = new Map<string, readonly string[] | Set<string>>();
    for (const r of readers) {
      for (const k of r.tagKeys(m)) {
        if (!match(k)) continue;
        const vs = r.tagValues(m, k, s.condition === null ? undefined : p);
        const have = byKey.get(k);
        if (have === undefined) byKey.set(k, vs);
        else byKey.set(k, new Set([...have, ...vs]));
      }
    }
    const sorted: [string, string][] = [];
    for (const k of [...byKey.keys()].sort()) {
      const vs = byKey.get(k)!;
      for (const v of vs instanceof Set ? [...vs].sort() : vs) sorted.push([k, v]);
    }
    const values = page(sorted, s.offset, s.limit);
    if (values.length > 0) out.push({ name: m, columns: ["key", "value"], values });
  }
  return out;
}

/** SHOW FIELD KEYS. */
export async function showFieldKeys(
  s: ShowFieldKeysStatement,
  env: ShowEnv,
): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const out: ResultSeries[] = [];
  for (const m of measurementsOf(readers, s.sources)) {
    const fields = new Map<string, string>();
    for (const r of readers) {
      for (const f of r.fieldKeys(m)) if (!fields.has(f.key)) fields.set(f.key, f.type);
    }
    const sorted = [...fields.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const values = page(sorted, s.offset, s.limit).map(([k, t]) => [k, t]);
    if (values.length > 0) out.push({ name: m, columns: ["fieldKey", "fieldType"], values });
  }
  return out;
}
