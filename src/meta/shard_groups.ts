// Time arithmetic of retention policies and shard groups, as InfluxDB 1.x does it
// (services/meta/data.go: shardGroupDuration, normalisedShardDuration, CreateShardGroup).

import type { DataNodeId, DataNodeInfo, RetentionPolicyInfo, ShardGroupInfo } from "./types.ts";

/** One hour in ns. */
export const HOUR_NS = 3_600_000_000_000n;
/** One day in ns. */
export const DAY_NS = 24n * HOUR_NS;
/** The shortest finite retention policy duration InfluxDB accepts (1h). */
export const MIN_RETENTION_POLICY_DURATION = HOUR_NS;
/** The largest timestamp a point may carry (models.MaxNanoTime). */
export const MAX_NANO_TIME = 2n ** 63n - 2n;
/** The smallest timestamp a point may carry (models.MinNanoTime). */
export const MIN_NANO_TIME = -(2n ** 63n) + 2n;
/** Name of the retention policy CREATE DATABASE makes by default. */
export const DEFAULT_RETENTION_POLICY_NAME = "autogen";

// Go's Time.Truncate rounds relative to its zero time (0001-01-01 UTC), not the Unix epoch.
// That is why InfluxDB's 7-day shard groups start on Mondays; we keep the same boundaries.
const GO_ZERO_TIME_OFFSET_NS = 62_135_596_800n * 1_000_000_000n;

/** Default shard group duration for a policy duration: 1h below 2d, 1d below 180d, else 7d. */
export function shardGroupDuration(duration: bigint): bigint {
  if (duration >= 180n * DAY_NS || duration === 0n) return 7n * DAY_NS;
  if (duration >= 2n * DAY_NS) return DAY_NS;
  return HOUR_NS;
}

/** The shard group duration InfluxDB stores for a requested one (0 means "derive it"). */
export function normalisedShardDuration(sgd: bigint, duration: bigint): bigint {
  if (sgd === 0n) return shardGroupDuration(duration);
  if (sgd < MIN_RETENTION_POLICY_DURATION) return shardGroupDuration(MIN_RETENTION_POLICY_DURATION);
  return sgd;
}

/** Start of the shard group holding `t`: `t` rounded down to a multiple of `sgd` (as Go does). */
export function shardGroupStart(t: bigint, sgd: bigint): bigint {
  if (sgd <= 0n) throw new RangeError(`shard group duration must be positive, got ${sgd}`);
  const r = (t + GO_ZERO_TIME_OFFSET_NS) % sgd;
  return t - (r < 0n ? r + sgd : r);
}

/** `[start, end)` of a new group for `t`; the end is clipped to MAX_NANO_TIME + 1. */
export function shardGroupRange(t: bigint, sgd: bigint): { start: bigint; end: bigint } {
  const start = shardGroupStart(t, sgd);
  let end = start + sgd;
  if (end > MAX_NANO_TIME) end = MAX_NANO_TIME + 1n;
  return { start, end };
}

/** True when the group is marked deleted. */
export function isDeleted(g: ShardGroupInfo): boolean {
  return g.deletedAt !== undefined;
}

/** True when the group's time range contains `t`. */
export function contains(g: ShardGroupInfo, t: bigint): boolean {
  return g.start <= t && t < g.end;
}

/** True when the group may hold data in `[min, max]` (both inclusive, as InfluxDB). */
export function overlaps(g: ShardGroupInfo, min: bigint, max: bigint): boolean {
  return g.start <= max && g.end > min;
}

const effectiveEnd = (g: ShardGroupInfo): bigint => g.truncatedAt ?? g.end;

/** Index of the first group (in InfluxDB order) whose effective end is after `t`. */
function firstEndingAfter(groups: readonly ShardGroupInfo[], t: bigint): number {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (effectiveEnd(groups[mid]) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The live group a write at `t` goes to, honouring truncation; undefined if none. Same
 * answer as InfluxDB's scan from the first group: groups ending at or before `t` (by
 * their truncation time if truncated) cannot hold it, so the search starts after them.
 */
export function groupForTimestamp(
  rp: RetentionPolicyInfo,
  t: bigint,
): ShardGroupInfo | undefined {
  const groups = rp.shardGroups;
  for (let i = firstEndingAfter(groups, t); i < groups.length; i++) {
    const g = groups[i];
    if (contains(g, t) && !isDeleted(g) && (g.truncatedAt === undefined || t < g.truncatedAt)) {
      return g;
    }
  }
  return undefined;
}

/** `groups` (in InfluxDB order) with `g` inserted in order. */
export function insertShardGroup(
  groups: readonly ShardGroupInfo[],
  g: ShardGroupInfo,
): ShardGroupInfo[] {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareShardGroups(groups[mid], g) <= 0) lo = mid + 1;
    else hi = mid;
  }
  const out = groups.slice();
  out.splice(lo, 0, g);
  return out;
}

/** InfluxDB's shard group order: by end (truncation time if truncated), then by start. */
export function compareShardGroups(a: ShardGroupInfo, b: ShardGroupInfo): number {
  const ae = a.truncatedAt ?? a.end;
  const be = b.truncatedAt ?? b.end;
  if (ae !== be) return ae < be ? -1 : 1;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.id - b.id;
}

/**
 * Owners for the shards of a new group: `max(1, floor(nodes / replicaN))` shards, replicas
 * handed out round-robin over the data nodes sorted by id, starting at a node that rotates
 * with the group id so successive groups spread their load. `replicaN` is clipped to the
 * node count. Returns one owner list per shard.
 */
export function assignOwners(
  nodes: readonly DataNodeInfo[],
  replicaN: number,
  groupId: number,
): DataNodeId[][] {
  const n = nodes.length;
  if (n === 0) return [];
  const ids = nodes.map((d) => d.id).sort((a, b) => a - b);
  const r = Math.min(Math.max(1, replicaN), n);
  const shardN = Math.max(1, Math.floor(n / r));
  let next = (groupId - 1) % n;
  const out: DataNodeId[][] = [];
  for (let i = 0; i < shardN; i++) {
    const owners: DataNodeId[] = [];
    for (let j = 0; j < r; j++) owners.push(ids[next++ % n]);
    out.push(owners);
  }
  return out;
}
