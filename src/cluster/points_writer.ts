import {
  batchOf,
  type PointBatch,
  pointsOf,
  timeKeyViolation,
  timeTagViolation,
} from "../models/mod.ts";
import type { DataNodeId, MetaData, ShardGroupInfo, ShardId, ShardInfo } from "../meta/types.ts";
import { database, retentionPolicy, shardForSeries } from "../meta/queries.ts";
import { metaErrors } from "../meta/errors.ts";

/** How many replicas must acknowledge a write before the client is answered. */
export type ConsistencyLevel = "any" | "one" | "quorum" | "all";

/** Parses the `consistency` parameter; null when it is not one of the four levels. */
export function parseConsistency(text: string | undefined): ConsistencyLevel | null {
  if (text === undefined || text === "") return "one";
  const v = text.toLowerCase();
  return v === "any" || v === "one" || v === "quorum" || v === "all" ? v : null;
}

/** The meta operations the points writer needs (a narrow slice of the meta client). */
export interface PointsWriterMeta {
  /** The current (cached) meta state. */
  data(): MetaData;
  /** Returns the group of `db.rp` covering `time`, creating it through raft when missing. */
  createShardGroup(db: string, rp: string, time: bigint): Promise<ShardGroupInfo>;
}

/** Writes the points of a batch listed in `selection` into one shard held by this node. */
export interface LocalShardWriter {
  writeShard(
    db: string,
    rp: string,
    shard: ShardId,
    batch: PointBatch,
    selection: Int32Array,
  ): Promise<{ written: number; errors: readonly { message: string }[] }>;
}

/** One write request, after line protocol parsing. */
export interface WriteRequest {
  readonly database: string;
  /** Empty: the database's default retention policy. */
  readonly retentionPolicy: string;
  readonly consistency: ConsistencyLevel;
  readonly points: PointBatch;
  /** Now (ns), for dropping points older than the retention policy keeps. */
  readonly now: bigint;
}

/** What became of a write: points stored, and why the others were dropped. */
export interface WriteOutcome {
  readonly written: number;
  readonly dropped: number;
  /** The first reason a point was dropped (InfluxDB reports one), or null. */
  readonly reason: string | null;
}

/** A write that cannot proceed at all (unknown database or retention policy, no owner). */
export class WriteError extends Error {
  override readonly name = "WriteError";
  constructor(readonly status: 400 | 404 | 500 | 503, message: string) {
    super(message);
  }
}

/**
 * Maps each point to its shard group and shard (DESIGN.md §5) and writes each shard's points
 * to its owners. Shard groups are looked up in the cached meta state and created through
 * raft only when missing.
 */
export class PointsWriter {
  constructor(
    private readonly meta: PointsWriterMeta,
    private readonly localNode: () => DataNodeId | null,
    private readonly local: LocalShardWriter,
  ) {}

  /** Writes a batch; throws WriteError when nothing can be written. */
  async writePoints(req: WriteRequest): Promise<WriteOutcome> {
    const data = this.meta.data();
    const db = database(data, req.database);
    if (!db) throw new WriteError(404, `database not found: ${JSON.stringify(req.database)}`);
    const rpName = req.retentionPolicy || db.defaultRetentionPolicy;
    const rp = rpName ? retentionPolicy(data, req.database, rpName) : undefined;
    if (!rp) throw new WriteError(400, metaErrors.retentionPolicyNotFound(rpName).message);

    // Points older than what the policy keeps are dropped, as InfluxDB does.
    const oldest = rp.duration > 0n ? req.now - rp.duration : null;
    let dropped = 0;
    let reason: string | null = null;
    let batch = req.points;
    if (batch.fieldKeys.includes("time")) {
      // Rare: drop points whose only field is `time`, strip `time` from the others.
      const kept = pointsOf(batch).filter((p) => {
        const violation = timeKeyViolation(p);
        if (violation !== undefined) {
          dropped++;
          reason ??= violation;
          return false;
        }
        return true;
      });
      batch = batchOf(
        kept.map((p) => ({ ...p, fields: p.fields.filter((f) => f.key !== "time") })),
      );
    }
    // The reserved tag key `time` drops the point, as InfluxDB's shard does.
    const badSeries = batch.series.map(timeTagViolation);
    const byShard = new Map<ShardId, { indexes: number[]; owners: readonly DataNodeId[] }>();
    let group: ShardGroupInfo | undefined;
    // Points of one series land in one shard of a group: hash each series once per group.
    let shardOf: (ShardInfo | undefined)[] = [];
    const groups = rp.shardGroups.filter((g) => g.deletedAt === undefined);
    for (let i = 0; i < batch.length; i++) {
      const si = batch.seriesOf[i];
      const violation = badSeries[si];
      if (violation !== undefined) {
        dropped++;
        reason ??= violation;
        continue;
      }
      const time = batch.times[i];
      if (oldest !== null && time < oldest) {
        dropped++;
        reason ??= "points beyond retention policy";
        continue;
      }
      if (!group || !covers(group, time)) {
        group = groups.find((g) => covers(g, time)) ??
          await this.meta.createShardGroup(req.database, rpName, time);
        shardOf = [];
      }
      let shard = shardOf[si];
      if (!shard) shardOf[si] = shard = shardForSeries(group, batch.series[si].key);
      let bucket = byShard.get(shard.id);
      if (!bucket) byShard.set(shard.id, bucket = { indexes: [], owners: shard.owners });
      bucket.indexes.push(i);
    }

    const self = this.localNode();
    let written = 0;
    const writes = [...byShard].map(async ([shardId, { indexes, owners }]) => {
      if (self === null || !owners.includes(self)) {
        throw new WriteError(
          503,
          `shard ${shardId} is owned by data node(s) ${owners.join(", ") || "none"}, ` +
            `not by this node; writes across data nodes need the cluster write path`,
        );
      }
      const selection = Int32Array.from(indexes);
      const r = await this.local.writeShard(req.database, rpName, shardId, batch, selection);
      written += r.written;
      dropped += indexes.length - r.written;
      if (r.errors.length > 0) reason ??= r.errors[0].message;
    });
    await Promise.all(writes);
    return { written, dropped, reason };
  }
}

function covers(g: ShardGroupInfo, t: bigint): boolean {
  const end = g.truncatedAt !== undefined && g.truncatedAt < g.end ? g.truncatedAt : g.end;
  return g.deletedAt === undefined && t >= g.start && t < end;
}
