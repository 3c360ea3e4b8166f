/** SHOW statements over metadata and shard indexes, shaped as InfluxDB 1.6 returns them. */
import type {
  Expr,
  ShowCardinalityStatement,
  ShowFieldKeysStatement,
  ShowMeasurementsStatement,
  ShowSeriesStatement,
  ShowTagKeysStatement,
  ShowTagValuesStatement,
  Source,
} from "../influxql/mod.ts";
import { formatRFC3339Nano, goDurationString, MAX_TIME, MIN_TIME } from "../influxql/mod.ts";
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

function measurementsOf(
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

function predicateOf(cond: Expr | null): TagPredicate {
  const split = splitWhere(cond, () => false);
  if (split.residual !== null) {
    throw new QueryError("SHOW statements accept only tag conditions in WHERE");
  }
  return split.predicate;
}

function hasSeries(readers: readonly ShardReaderLike[], m: string, p: TagPredicate): boolean {
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
    const pairs = new Map<string, [string, string]>();
    for (const r of readers) {
      for (const k of r.tagKeys(m)) {
        if (!match(k)) continue;
        for (const v of r.tagValues(m, k, s.condition === null ? undefined : p)) {
          pairs.set(`${k}\0${v}`, [k, v]);
        }
      }
    }
    const sorted = [...pairs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, kv]) => kv);
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

/** SHOW DATABASES. */
export function showDatabases(meta: QueryMeta): ResultSeries[] {
  return [{ name: "databases", columns: ["name"], values: meta.databases().map((d) => [d.name]) }];
}

/** SHOW RETENTION POLICIES [ON db]. */
export function showRetentionPolicies(meta: QueryMeta, database: string): ResultSeries[] {
  if (database === "") throw queryErrors.databaseRequired();
  const db = meta.database(database);
  if (db === undefined) throw queryErrors.databaseNotFound(database);
  return [{
    columns: ["name", "duration", "shardGroupDuration", "replicaN", "default"],
    values: db.retentionPolicies.map((rp) => [
      rp.name,
      goDurationString(rp.duration),
      goDurationString(rp.shardGroupDuration),
      BigInt(rp.replicaN),
      rp.name === db.defaultRetentionPolicy,
    ]),
  }];
}

function rfc3339(ns: bigint): string {
  // Go's time.RFC3339 has no fractional seconds.
  return formatRFC3339Nano(ns - ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n);
}

/** SHOW SHARDS: one series per database. */
export function showShards(meta: QueryMeta): ResultSeries[] {
  return meta.databases().map((db) => {
    const values: (string | bigint)[][] = [];
    for (const rp of db.retentionPolicies) {
      for (const g of rp.shardGroups) {
        if (g.deletedAt !== undefined) continue;
        for (const s of g.shards) {
          values.push([
            BigInt(s.id),
            db.name,
            rp.name,
            BigInt(g.id),
            rfc3339(g.start),
            rfc3339(g.end),
            rfc3339(g.end + rp.duration),
            s.owners.join(","),
          ]);
        }
      }
    }
    return {
      name: db.name,
      columns: [
        "id",
        "database",
        "retention_policy",
        "shard_group",
        "start_time",
        "end_time",
        "expiry_time",
        "owners",
      ],
      values,
    };
  });
}

/** SHOW SHARD GROUPS. */
export function showShardGroups(meta: QueryMeta): ResultSeries[] {
  const values: (string | bigint)[][] = [];
  for (const db of meta.databases()) {
    for (const rp of db.retentionPolicies) {
      for (const g of rp.shardGroups) {
        if (g.deletedAt !== undefined) continue;
        values.push([
          BigInt(g.id),
          db.name,
          rp.name,
          rfc3339(g.start),
          rfc3339(g.end),
          rfc3339(g.end + rp.duration),
        ]);
      }
    }
  }
  return [{
    name: "shard groups",
    columns: ["id", "database", "retention_policy", "start_time", "end_time", "expiry_time"],
    values,
  }];
}

/** SHOW USERS. */
export function showUsers(meta: QueryMeta): ResultSeries[] {
  return [{ columns: ["user", "admin"], values: meta.users().map((u) => [u.name, u.admin]) }];
}

const PRIVILEGE_TEXT: Record<string, string> = {
  READ: "READ",
  WRITE: "WRITE",
  ALL: "ALL PRIVILEGES",
  NONE: "NO PRIVILEGES",
};

/** SHOW GRANTS FOR user. */
export function showGrants(meta: QueryMeta, name: string): ResultSeries[] {
  const u = meta.user(name);
  if (u === undefined) throw new QueryError("user not found");
  const values = Object.entries(u.privileges).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([db, p]) => [db, PRIVILEGE_TEXT[p] ?? p]);
  return [{ columns: ["database", "privilege"], values }];
}

/** SHOW CONTINUOUS QUERIES: one series per database. */
export function showContinuousQueries(meta: QueryMeta): ResultSeries[] {
  return meta.databases().map((db) => ({
    name: db.name,
    columns: ["name", "query"],
    values: db.continuousQueries.map((cq) => [cq.name, cq.query]),
  }));
}

/** SHOW MEASUREMENT/SERIES/TAG KEY/TAG VALUES/FIELD KEY [EXACT] CARDINALITY. */
export async function showCardinality(
  s: ShowCardinalityStatement,
  env: ShowEnv,
): Promise<ResultSeries[]> {
  const readers = await databaseReaders(env, s.database || env.database);
  const p = predicateOf(s.condition);
  const names = measurementsOf(readers, s.sources)
    .filter((m) => s.condition === null || hasSeries(readers, m, p));
  const seriesOf = (m: string) => {
    const keys = new Set<string>();
    for (const r of readers) for (const x of r.series(m, p)) keys.add(x.key);
    return keys;
  };
  const total = (n: number): ResultSeries[] =>
    n === 0 && !s.exact
      ? []
      : [{ columns: [s.exact ? "count" : "cardinality estimation"], values: [[BigInt(n)]] }];
  const perMeasurement = (count: (m: string) => number): ResultSeries[] =>
    names.map((m) => ({ name: m, columns: ["count"], values: [[BigInt(count(m))]] }))
      .filter((r) => r.values[0][0] !== 0n);
  switch (s.of) {
    case "measurement":
      return total(names.length);
    case "series":
      if (!s.exact) return total(names.reduce((n, m) => n + seriesOf(m).size, 0));
      return perMeasurement((m) => seriesOf(m).size);
    case "tagKey":
      return perMeasurement((m) => {
        const keys = new Set<string>();
        for (const r of readers) for (const k of r.tagKeys(m, p)) keys.add(k);
        return keys.size;
      });
    case "tagValue":
      return perMeasurement((m) => {
        const e = s.tagKey?.expr;
        const match = (k: string) =>
          e === undefined ||
          (e.kind === "StringLiteral" && (s.tagKey!.op === "=" ? k === e.value : k !== e.value)) ||
          (e.kind === "RegexLiteral" && regexFor(e.pattern).test(k) === (s.tagKey!.op === "=~")) ||
          (e.kind === "ListLiteral" && e.values.includes(k));
        const pairs = new Set<string>();
        for (const r of readers) {
          for (const k of r.tagKeys(m)) {
            if (!match(k)) continue;
            for (const v of r.tagValues(m, k, p)) pairs.add(`${k}\0${v}`);
          }
        }
        return pairs.size;
      });
    case "fieldKey":
      return perMeasurement((m) => {
        const keys = new Set<string>();
        for (const r of readers) for (const f of r.fieldKeys(m)) keys.add(f.key);
        return keys.size;
      });
  }
}
