/** SHOW statements answered from metadata alone: databases, policies, shards, users, CQs. */
import { formatRFC3339Nano, goDurationString } from "../influxql/mod.ts";
import type { QueryMeta } from "./deps.ts";
import { QueryError, queryErrors } from "./errors.ts";
import type { ResultSeries } from "./result.ts";

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
