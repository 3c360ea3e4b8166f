// Pure read helpers over a MetaData value, for data nodes, the query engine, services and
// the HTTP layer. Lookups that InfluxDB fails with an error throw the same MetaError.

import { metaErrors } from "./errors.ts";
import { getNamed } from "./name_index.ts";
import { groupForTimestamp, isDeleted, overlaps } from "./shard_groups.ts";
import type {
  ContinuousQueryInfo,
  DatabaseInfo,
  DataNodeId,
  DataNodeInfo,
  MetaData,
  MetaNodeId,
  MetaNodeInfo,
  Privilege,
  RetentionPolicyInfo,
  ShardGroupInfo,
  ShardId,
  ShardInfo,
  UserInfo,
} from "./types.ts";
import { fnv64aModulo } from "../util/hash.ts";

/** Where a shard lives in the metadata. */
export interface ShardLocation {
  readonly database: string;
  readonly retentionPolicy: string;
  readonly shardGroup: ShardGroupInfo;
  readonly shard: ShardInfo;
}

/** The database named `name`, or undefined. */
export function database(data: MetaData, name: string): DatabaseInfo | undefined {
  return getNamed(data.databases, name);
}

function requireDatabase(data: MetaData, name: string): DatabaseInfo {
  const db = database(data, name);
  if (!db) throw metaErrors.databaseNotFound(name);
  return db;
}

/**
 * A database's retention policy; `name` "" means its default. Undefined when the policy
 * does not exist; throws `database not found: <db>` when the database does not.
 */
export function retentionPolicy(
  data: MetaData,
  db: string,
  name: string,
): RetentionPolicyInfo | undefined {
  const d = requireDatabase(data, db);
  const n = name === "" ? d.defaultRetentionPolicy : name;
  return n === "" ? undefined : d.retentionPolicies.find((rp) => rp.name === n);
}

/** The database's default retention policy, or undefined if it has none. */
export function defaultRetentionPolicy(
  data: MetaData,
  db: string,
): RetentionPolicyInfo | undefined {
  return retentionPolicy(data, db, "");
}

function requireRetentionPolicy(data: MetaData, db: string, rp: string): RetentionPolicyInfo {
  const info = retentionPolicy(data, db, rp);
  if (!info) throw metaErrors.retentionPolicyNotFound(rp);
  return info;
}

/** The live (not deleted) shard groups of a policy, in InfluxDB's order. */
export function shardGroups(data: MetaData, db: string, rp: string): readonly ShardGroupInfo[] {
  return requireRetentionPolicy(data, db, rp).shardGroups.filter((g) => !isDeleted(g));
}

/** Live shard groups that may hold data in `[min, max]` (ns, inclusive). */
export function shardGroupsByTimeRange(
  data: MetaData,
  db: string,
  rp: string,
  min: bigint,
  max: bigint,
): readonly ShardGroupInfo[] {
  return requireRetentionPolicy(data, db, rp).shardGroups.filter((g) =>
    !isDeleted(g) && overlaps(g, min, max)
  );
}

/** The group a write at `t` goes to, or undefined if one must be created first. */
export function shardGroupAt(
  data: MetaData,
  db: string,
  rp: string,
  t: bigint,
): ShardGroupInfo | undefined {
  return groupForTimestamp(requireRetentionPolicy(data, db, rp), t);
}

/** The shard of `group` a series belongs to: `fnv64a(seriesKey) % shardCount`. */
export function shardForSeries(group: ShardGroupInfo, seriesKey: string): ShardInfo {
  if (group.shards.length === 0) throw metaErrors.shardGroupNotFound();
  return group.shards[fnv64aModulo(seriesKey, group.shards.length)];
}

/** Every shard of every live group, with where it lives. */
export function allShards(data: MetaData): ShardLocation[] {
  const out: ShardLocation[] = [];
  for (const d of data.databases) {
    for (const rp of d.retentionPolicies) {
      for (const g of rp.shardGroups) {
        if (isDeleted(g)) continue;
        for (const s of g.shards) {
          out.push({ database: d.name, retentionPolicy: rp.name, shardGroup: g, shard: s });
        }
      }
    }
  }
  return out;
}

/** The shards of live groups that `node` holds a replica of. */
export function shardsOwnedBy(data: MetaData, node: DataNodeId): ShardLocation[] {
  return allShards(data).filter((l) => l.shard.owners.includes(node));
}

/** Where shard `id` lives (live groups only), or undefined. */
export function shardLocation(data: MetaData, id: ShardId): ShardLocation | undefined {
  return allShards(data).find((l) => l.shard.id === id);
}

/** Live groups whose data is past the policy's duration at `now` (retention enforcement). */
export function expiredShardGroups(
  data: MetaData,
  now: bigint,
): Array<{ database: string; retentionPolicy: string; shardGroup: ShardGroupInfo }> {
  const out = [];
  for (const d of data.databases) {
    for (const rp of d.retentionPolicies) {
      if (rp.duration === 0n) continue;
      for (const g of rp.shardGroups) {
        if (!isDeleted(g) && g.end + rp.duration < now) {
          out.push({ database: d.name, retentionPolicy: rp.name, shardGroup: g });
        }
      }
    }
  }
  return out;
}

/** The database's continuous queries; throws `database not found` if it does not exist. */
export function continuousQueries(data: MetaData, db: string): readonly ContinuousQueryInfo[] {
  return requireDatabase(data, db).continuousQueries;
}

/** The user named `name`, or undefined. */
export function user(data: MetaData, name: string): UserInfo | undefined {
  return getNamed(data.users, name);
}

/** The user's privileges per database; throws `user not found`. */
export function userPrivileges(data: MetaData, name: string): Readonly<Record<string, Privilege>> {
  const u = user(data, name);
  if (!u) throw metaErrors.userNotFound();
  return u.privileges;
}

/** The user's privilege on `db` ("NONE" if never granted); throws `user not found`. */
export function userPrivilege(data: MetaData, name: string, db: string): Privilege {
  return userPrivileges(data, name)[db] ?? "NONE";
}

/** True when at least one admin user exists (InfluxDB then requires auth to create one). */
export function adminUserExists(data: MetaData): boolean {
  return data.users.some((u) => u.admin);
}

/** InfluxDB's UserInfo.Authorize: admins may do anything; else the exact privilege or ALL. */
export function authorize(u: UserInfo, privilege: Privilege, db: string): boolean {
  if (u.admin) return true;
  const p = u.privileges[db];
  return p !== undefined && p !== "NONE" && (p === privilege || p === "ALL");
}

/** The data node with id `id`, or undefined. */
export function dataNode(data: MetaData, id: DataNodeId): DataNodeInfo | undefined {
  return data.dataNodes.find((n) => n.id === id);
}

/** The data node registered at `rpcAddress`, or undefined. */
export function dataNodeByRpcAddress(
  data: MetaData,
  rpcAddress: string,
): DataNodeInfo | undefined {
  return data.dataNodes.find((n) => n.rpcAddress === rpcAddress);
}

/** The meta node with id `id`, or undefined. */
export function metaNode(data: MetaData, id: MetaNodeId): MetaNodeInfo | undefined {
  return data.metaNodes.find((n) => n.id === id);
}
