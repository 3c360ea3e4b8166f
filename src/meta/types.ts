// The replicated meta state: plain, immutable data. Every change goes through
// `applyCommand` (apply.ts), which returns a new value and never edits the old one, so a
// reader holding a `MetaData` sees a consistent snapshot for as long as it keeps it.

/** A meta (Raft) node's id: chosen in its config (`[raft_config] id`), never reused. */
export type MetaNodeId = number & { readonly __brand: "MetaNodeId" };
/** A data node's id: assigned by the meta cluster when the node first registers. */
export type DataNodeId = number & { readonly __brand: "DataNodeId" };
/** A shard's id, unique in the cluster. */
export type ShardId = number & { readonly __brand: "ShardId" };
/** A shard group's id, unique in the cluster. */
export type ShardGroupId = number & { readonly __brand: "ShardGroupId" };

/** Brands a number as a MetaNodeId. */
export const metaNodeId = (n: number): MetaNodeId => n as MetaNodeId;
/** Brands a number as a DataNodeId. */
export const dataNodeId = (n: number): DataNodeId => n as DataNodeId;
/** Brands a number as a ShardId. */
export const shardId = (n: number): ShardId => n as ShardId;
/** Brands a number as a ShardGroupId. */
export const shardGroupId = (n: number): ShardGroupId => n as ShardGroupId;

/** A per-database privilege, as InfluxQL's GRANT names them; NONE is what REVOKE leaves. */
export type Privilege = "NONE" | "READ" | "WRITE" | "ALL";

/** A member of the meta Raft cluster. */
export interface MetaNodeInfo {
  readonly id: MetaNodeId;
  /** host:port peers dial for Raft traffic. */
  readonly raftAddress: string;
  /** host:port of its admin/meta HTTP API. */
  readonly httpAddress: string;
}

/** A data node; its id survives restarts because it is keyed by its RPC address. */
export interface DataNodeInfo {
  readonly id: DataNodeId;
  /** host:port of its InfluxDB-compatible HTTP API. */
  readonly httpAddress: string;
  /** host:port of its data RPC listener; the node's identity. */
  readonly rpcAddress: string;
}

/** One shard: an id and the data nodes holding a replica of it. */
export interface ShardInfo {
  readonly id: ShardId;
  readonly owners: readonly DataNodeId[];
}

/**
 * A time range `[start, end)` of one retention policy, split into shards. `deletedAt` marks
 * it dropped (its shards may be removed from disk); `truncatedAt` ends it early so the next
 * write past that time makes a new group. All times are ns since the Unix epoch.
 */
export interface ShardGroupInfo {
  readonly id: ShardGroupId;
  readonly start: bigint;
  readonly end: bigint;
  readonly deletedAt?: bigint;
  readonly truncatedAt?: bigint;
  readonly shards: readonly ShardInfo[];
}

/** A retention policy; `duration` 0 means infinite. Durations are ns. */
export interface RetentionPolicyInfo {
  readonly name: string;
  readonly duration: bigint;
  readonly shardGroupDuration: bigint;
  readonly replicaN: number;
  /** Sorted as InfluxDB sorts them: by (truncated) end time, then start time. */
  readonly shardGroups: readonly ShardGroupInfo[];
}

/** A continuous query: its name and full `CREATE CONTINUOUS QUERY` text. */
export interface ContinuousQueryInfo {
  readonly name: string;
  readonly query: string;
}

/** A database with its retention policies and continuous queries. */
export interface DatabaseInfo {
  readonly name: string;
  /** Name of the default retention policy; "" when there is none. */
  readonly defaultRetentionPolicy: string;
  readonly retentionPolicies: readonly RetentionPolicyInfo[];
  readonly continuousQueries: readonly ContinuousQueryInfo[];
}

/** A user: the password hash is opaque here (the HTTP layer makes and checks it). */
export interface UserInfo {
  readonly name: string;
  readonly hash: string;
  readonly admin: boolean;
  /** Privilege per database name. */
  readonly privileges: Readonly<Record<string, Privilege>>;
}

/** Everything the meta cluster replicates. */
export interface MetaData {
  /** Set once by the node that bootstraps the cluster; "" until then. */
  readonly clusterId: string;
  /** Raft index of the last applied entry; rises with every entry. */
  readonly index: number;
  readonly metaNodes: readonly MetaNodeInfo[];
  readonly dataNodes: readonly DataNodeInfo[];
  readonly databases: readonly DatabaseInfo[];
  readonly users: readonly UserInfo[];
  readonly nextDataNodeId: number;
  readonly nextShardGroupId: number;
  readonly nextShardId: number;
}

/** The state of a cluster in which nothing has happened yet. */
export function emptyMetaData(): MetaData {
  return {
    clusterId: "",
    index: 0,
    metaNodes: [],
    dataNodes: [],
    databases: [],
    users: [],
    nextDataNodeId: 1,
    nextShardGroupId: 1,
    nextShardId: 1,
  };
}

/** Specification of a retention policy to create; absent fields take InfluxDB's defaults. */
export interface RetentionPolicySpec {
  /** Defaults to "autogen". */
  readonly name?: string;
  /** ns; 0 is infinite (the default). */
  readonly duration?: bigint;
  /** Defaults to 1. */
  readonly replicaN?: number;
  /** ns; absent or 0 derives it from the duration as InfluxDB does. */
  readonly shardGroupDuration?: bigint;
}

/** Fields of a retention policy to change; absent fields stay as they are. */
export interface RetentionPolicyUpdate {
  readonly name?: string;
  readonly duration?: bigint;
  readonly replicaN?: number;
  readonly shardGroupDuration?: bigint;
}
