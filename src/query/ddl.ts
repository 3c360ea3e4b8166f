/** Statements that change metadata or delete data: through the meta client and shard handles. */
import type {
  AlterRetentionPolicyStatement,
  CreateDatabaseStatement,
  CreateRetentionPolicyStatement,
  DeleteSeriesStatement,
} from "../influxql/mod.ts";
import { exprTimeRange, MAX_TIME, MIN_TIME, TimeRangeError } from "../influxql/mod.ts";
import { splitWhere } from "./condition.ts";
import type { QueryMeta, QueryRetentionPolicySpec, ShardHandle } from "./deps.ts";
import { QueryError, queryErrors } from "./errors.ts";
import { regexFor } from "./eval.ts";
import type { OpenShards } from "./select_exec.ts";

/** CREATE DATABASE [WITH ...]. */
export async function createDatabase(meta: QueryMeta, s: CreateDatabaseStatement): Promise<void> {
  if (!s.retentionPolicyCreate) {
    await meta.createDatabase(s.name);
    return;
  }
  const spec: QueryRetentionPolicySpec = {
    ...(s.retentionPolicyName ? { name: s.retentionPolicyName } : {}),
    ...(s.retentionPolicyDuration !== null ? { duration: s.retentionPolicyDuration } : {}),
    ...(s.retentionPolicyReplication !== null ? { replicaN: s.retentionPolicyReplication } : {}),
    ...(s.retentionPolicyShardGroupDuration > 0n
      ? { shardGroupDuration: s.retentionPolicyShardGroupDuration }
      : {}),
  };
  await meta.createDatabaseWithRetentionPolicy(s.name, spec);
}

/** CREATE RETENTION POLICY. */
export async function createRetentionPolicy(
  meta: QueryMeta,
  s: CreateRetentionPolicyStatement,
): Promise<void> {
  if (meta.database(s.database) === undefined) throw queryErrors.databaseNotFound(s.database);
  await meta.createRetentionPolicy(s.database, {
    name: s.name,
    duration: s.duration,
    replicaN: s.replication,
    ...(s.shardGroupDuration > 0n ? { shardGroupDuration: s.shardGroupDuration } : {}),
  }, s.default);
}

/** ALTER RETENTION POLICY. */
export async function alterRetentionPolicy(
  meta: QueryMeta,
  s: AlterRetentionPolicyStatement,
): Promise<void> {
  if (meta.database(s.database) === undefined) throw queryErrors.databaseNotFound(s.database);
  await meta.updateRetentionPolicy(s.database, s.name, {
    ...(s.duration !== null ? { duration: s.duration } : {}),
    ...(s.replication !== null ? { replicaN: s.replication } : {}),
    ...(s.shardGroupDuration !== null ? { shardGroupDuration: s.shardGroupDuration } : {}),
  }, s.default);
}

async function allHandles(
  meta: QueryMeta,
  open: OpenShards,
  database: string,
): Promise<ShardHandle[]> {
  if (database === "") throw queryErrors.databaseRequired();
  const db = meta.database(database);
  if (db === undefined) throw queryErrors.databaseNotFound(database);
  const out: ShardHandle[] = [];
  for (const rp of db.retentionPolicies) {
    for (const g of meta.shardGroupsByTimeRange(database, rp.name, MIN_TIME, MAX_TIME)) {
      for (const s of g.shards) {
        const h = await open.get(database, rp.name, s.id);
        if (h !== undefined) out.push(h);
      }
    }
  }
  return out;
}

/** DROP MEASUREMENT: on every shard of the database. */
export async function dropMeasurement(
  meta: QueryMeta,
  open: OpenShards,
  database: string,
  name: string,
): Promise<void> {
  for (const h of await allHandles(meta, open, database)) await h.dropMeasurement(name);
}

/** DROP SERIES (no time allowed) and DELETE (time range allowed) on every shard. */
export async function deleteSeries(
  meta: QueryMeta,
  open: OpenShards,
  database: string,
  s: DeleteSeriesStatement,
  now: bigint,
): Promise<void> {
  let split;
  try {
    split = exprTimeRange(s.condition, now);
  } catch (e) {
    if (e instanceof TimeRangeError) throw new QueryError(e.message);
    throw e;
  }
  const timed = split.range.min !== null || split.range.max !== null;
  if (s.kind === "DropSeriesStatement" && timed) {
    throw new QueryError("DROP SERIES doesn't support time in WHERE clause");
  }
  const where = splitWhere(split.condition, () => false);
  if (where.residual !== null) {
    throw new QueryError("fields not supported in WHERE clause during deletion");
  }
  const range = s.kind === "DeleteSeriesStatement"
    ? { min: split.range.min ?? MIN_TIME, max: split.range.max ?? MAX_TIME }
    : undefined;
  for (const h of await allHandles(meta, open, database)) {
    let names = h.reader.measurements();
    if (s.sources.length > 0) {
      names = names.filter((m) =>
        s.sources.some((src) =>
          src.kind === "Measurement" &&
          (src.regex !== null ? regexFor(src.regex.pattern).test(m) : src.name === m)
        )
      );
    }
    for (const m of names) {
      if (range === undefined) await h.deleteSeries(m, where.predicate);
      else await h.deleteSeries(m, where.predicate, range);
    }
  }
}
