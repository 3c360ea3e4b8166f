// Shard groups, shards and their owners. Creation follows InfluxDB (services/meta/data.go
// CreateShardGroup, TruncateShardGroups, DropShard); owners come from `assignOwners`.

import { findRetentionPolicy, putDatabase, requireDatabase } from "./apply_databases.ts";
import { type Applied, OK, replaceWhere } from "./apply_result.ts";
import { metaErrors } from "./errors.ts";
import {
  assignOwners,
  compareShardGroups,
  groupForTimestamp,
  insertShardGroup,
  isDeleted,
  shardGroupRange,
} from "./shard_groups.ts";
import {
  type DataNodeId,
  type MetaData,
  type RetentionPolicyInfo,
  type ShardGroupId,
  shardGroupId,
  type ShardGroupInfo,
  type ShardId,
  shardId,
  type ShardInfo,
} from "./types.ts";

/**
 * Rebuilds `data` with `f` applied to every shard group; only the databases, policies and
 * groups that `f` changed (returned a different object for) are copied.
 */
export function mapShardGroups(
  data: MetaData,
  f: (g: ShardGroupInfo) => ShardGroupInfo,
): MetaData {
  let changed = false;
  const databases = data.databases.map((db) => {
    let dbChanged = false;
    const retentionPolicies = db.retentionPolicies.map((rp) => {
      let rpChanged = false;
      const shardGroups = rp.shardGroups.map((g) => {
        const h = f(g);
        if (h !== g) rpChanged = true;
        return h;
      });
      if (!rpChanged) return rp;
      dbChanged = true;
      return { ...rp, shardGroups: shardGroups.sort(compareShardGroups) };
    });
    if (!dbChanged) return db;
    changed = true;
    return { ...db, retentionPolicies };
  });
  return changed ? { ...data, databases } : data;
}

function requireRetentionPolicy(
  data: MetaData,
  database: string,
  policy: string,
): RetentionPolicyInfo {
  const rp = findRetentionPolicy(requireDatabase(data, database), policy);
  if (!rp) throw metaErrors.retentionPolicyNotFound(policy);
  return rp;
}

function putRetentionPolicy(data: MetaData, database: string, rp: RetentionPolicyInfo): MetaData {
  const db = requireDatabase(data, database);
  const retentionPolicies = replaceWhere(db.retentionPolicies, (r) => r.name === rp.name, () => rp);
  return putDatabase(data, { ...db, retentionPolicies });
}

/** Returns the live group holding `timestamp`, creating it (and its shards) if none does. */
export function createShardGroup(
  data: MetaData,
  database: string,
  policy: string,
  timestamp: bigint,
): Applied {
  const rp = requireRetentionPolicy(data, database, policy);
  const existing = groupForTimestamp(rp, timestamp);
  if (existing) {
    return { data, result: { kind: "shardGroup", shardGroup: existing, created: false } };
  }
  if (data.dataNodes.length === 0) throw metaErrors.nodesRequired();

  const id = shardGroupId(data.nextShardGroupId);
  const owners = assignOwners(data.dataNodes, rp.replicaN, id);
  const shards: ShardInfo[] = owners.map((o, i) => ({
    id: shardId(data.nextShardId + i),
    owners: o,
  }));
  const group: ShardGroupInfo = {
    id,
    ...shardGroupRange(timestamp, rp.shardGroupDuration),
    shards,
  };
  const shardGroups = insertShardGroup(rp.shardGroups, group);
  const next = putRetentionPolicy(data, database, { ...rp, shardGroups });
  return {
    data: {
      ...next,
      nextShardGroupId: data.nextShardGroupId + 1,
      nextShardId: data.nextShardId + shards.length,
    },
    result: { kind: "shardGroup", shardGroup: group, created: true },
  };
}

/** Marks a shard group deleted at `at` (a group already deleted keeps its first mark). */
export function deleteShardGroup(
  data: MetaData,
  database: string,
  policy: string,
  id: ShardGroupId,
  at: bigint,
): Applied {
  const rp = requireRetentionPolicy(data, database, policy);
  const g = rp.shardGroups.find((x) => x.id === id);
  if (!g) throw metaErrors.shardGroupNotFound();
  if (isDeleted(g)) return { data, result: OK };
  const shardGroups = replaceWhere(rp.shardGroups, (x) => x.id === id, (x) => ({
    ...x,
    deletedAt: at,
  }));
  return { data: putRetentionPolicy(data, database, { ...rp, shardGroups }), result: OK };
}

/** Ends every live group that could hold times at or after `at`, so new writes get new groups. */
export function truncateShardGroups(data: MetaData, at: bigint): Applied {
  const next = mapShardGroups(data, (g) => {
    if (at >= g.end || isDeleted(g) || (g.truncatedAt !== undefined && g.truncatedAt < at)) {
      return g;
    }
    const truncatedAt = at <= g.start ? g.start : at;
    return truncatedAt === g.truncatedAt ? g : { ...g, truncatedAt };
  });
  return { data: next, result: OK };
}

/** Removes a shard; a group left with no shards is marked deleted at `at`. Idempotent. */
export function dropShard(data: MetaData, id: ShardId, at: bigint): Applied {
  const next = mapShardGroups(data, (g) => {
    if (!g.shards.some((s) => s.id === id)) return g;
    const shards = g.shards.filter((s) => s.id !== id);
    return shards.length === 0 && !isDeleted(g)
      ? { ...g, shards, deletedAt: at }
      : { ...g, shards };
  });
  return { data: next, result: OK };
}

function shardExists(data: MetaData, id: ShardId): boolean {
  return data.databases.some((db) =>
    db.retentionPolicies.some((rp) => rp.shardGroups.some((g) => g.shards.some((s) => s.id === id)))
  );
}

function mapShard(data: MetaData, id: ShardId, f: (s: ShardInfo) => ShardInfo): MetaData {
  return mapShardGroups(data, (g) => {
    const i = g.shards.findIndex((s) => s.id === id);
    if (i < 0) return g;
    const s = f(g.shards[i]);
    return s === g.shards[i]
      ? g
      : { ...g, shards: replaceWhere(g.shards, (x) => x.id === id, () => s) };
  });
}

/** Records that `nodeId` holds a replica of the shard (after copy-shard). Idempotent. */
export function addShardOwner(data: MetaData, id: ShardId, nodeId: DataNodeId): Applied {
  if (!data.dataNodes.some((n) => n.id === nodeId)) throw metaErrors.nodeNotFound();
  if (!shardExists(data, id)) throw metaErrors.shardNotFound(id);
  const next = mapShard(
    data,
    id,
    (s) =>
      s.owners.includes(nodeId) ? s : { ...s, owners: [...s.owners, nodeId].sort((a, b) => a - b) },
  );
  return { data: next, result: OK };
}

/** Records that `nodeId` no longer holds the shard (remove-shard). Idempotent. */
export function removeShardOwner(data: MetaData, id: ShardId, nodeId: DataNodeId): Applied {
  if (!shardExists(data, id)) throw metaErrors.shardNotFound(id);
  const next = mapShard(
    data,
    id,
    (s) => s.owners.includes(nodeId) ? { ...s, owners: s.owners.filter((o) => o !== nodeId) } : s,
  );
  return { data: next, result: OK };
}
