// The MetaClient contract every consumer codes against. A consumer declares the slice it
// uses (`Pick<MetaClient, "database" | "createShardGroupIfNotExists">`) so its tests can
// pass plain objects. LocalMetaClient (local_meta_client.ts) is the in-process one.

import type { ApplyResult } from "./apply_result.ts";
import type { MetaCommand } from "./commands.ts";
import type { ShardLocation } from "./queries.ts";
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
  RetentionPolicySpec,
  RetentionPolicyUpdate,
  ShardGroupId,
  ShardGroupInfo,
  ShardId,
  UserInfo,
} from "./types.ts";

/**
 * Access to the cluster's metadata. Reads are synchronous against the latest state this
 * node has (which may trail the leader by a few entries); writes resolve once the leader
 * applied them, and reject with a MetaError carrying InfluxDB's text. Times are ns.
 */
export interface MetaClient {
  /** The whole current state (immutable). */
  data(): MetaData;
  /** The cluster id; "" before the cluster is initialised. */
  clusterId(): string;
  /** Resolves with the state once its index exceeds `afterIndex` (long polling). */
  waitForChange(afterIndex: number, signal?: AbortSignal): Promise<MetaData>;

  /** All databases. */
  databases(): readonly DatabaseInfo[];
  /** The named database, or undefined. */
  database(name: string): DatabaseInfo | undefined;
  /** CREATE DATABASE (idempotent; creates "autogen" as default). */
  createDatabase(name: string): Promise<DatabaseInfo>;
  /** CREATE DATABASE ... WITH ...: the policy becomes the default. */
  createDatabaseWithRetentionPolicy(name: string, spec: RetentionPolicySpec): Promise<DatabaseInfo>;
  /** DROP DATABASE (idempotent). */
  dropDatabase(name: string): Promise<void>;

  /** A policy ("" = default); undefined if absent; throws if the database is absent. */
  retentionPolicy(database: string, name: string): RetentionPolicyInfo | undefined;
  /** CREATE RETENTION POLICY. */
  createRetentionPolicy(
    database: string,
    spec: RetentionPolicySpec,
    makeDefault: boolean,
  ): Promise<RetentionPolicyInfo>;
  /** ALTER RETENTION POLICY. */
  updateRetentionPolicy(
    database: string,
    name: string,
    update: RetentionPolicyUpdate,
    makeDefault: boolean,
  ): Promise<void>;
  /** DROP RETENTION POLICY (idempotent). */
  dropRetentionPolicy(database: string, name: string): Promise<void>;
  /** Makes a policy the database's default. */
  setDefaultRetentionPolicy(database: string, name: string): Promise<void>;

  /** Live shard groups overlapping `[min, max]`. */
  shardGroupsByTimeRange(
    database: string,
    policy: string,
    min: bigint,
    max: bigint,
  ): readonly ShardGroupInfo[];
  /** The group for `timestamp`, created through Raft only if none exists yet. */
  createShardGroupIfNotExists(
    database: string,
    policy: string,
    timestamp: bigint,
  ): Promise<ShardGroupInfo>;
  /** Marks a shard group deleted at `at`. */
  deleteShardGroup(database: string, policy: string, id: ShardGroupId, at: bigint): Promise<void>;
  /** Ends the current shard groups at `at` (`truncate-shards`). */
  truncateShardGroups(at: bigint): Promise<void>;
  /** Removes a shard from the metadata (idempotent). */
  dropShard(id: ShardId, at: bigint): Promise<void>;
  /** Records a new replica of a shard on `node` (after copy-shard). */
  addShardOwner(id: ShardId, node: DataNodeId): Promise<void>;
  /** Records that `node` no longer holds the shard. */
  removeShardOwner(id: ShardId, node: DataNodeId): Promise<void>;
  /** The shards of live groups `node` holds. */
  shardsOwnedBy(node: DataNodeId): ShardLocation[];
  /** Where a shard lives, or undefined. */
  shardLocation(id: ShardId): ShardLocation | undefined;

  /** All users. */
  users(): readonly UserInfo[];
  /** The named user, or undefined. */
  user(name: string): UserInfo | undefined;
  /** Finds the user and lets `verify` check the password against its hash. */
  authenticate(name: string, verify: (hash: string) => Promise<boolean>): Promise<UserInfo>;
  /** CREATE USER with an already-hashed password. */
  createUser(name: string, hash: string, admin: boolean): Promise<UserInfo>;
  /** SET PASSWORD with an already-hashed password. */
  updateUser(name: string, hash: string): Promise<void>;
  /** DROP USER. */
  dropUser(name: string): Promise<void>;
  /** GRANT <privilege> ON <database>. */
  setPrivilege(name: string, database: string, privilege: Privilege): Promise<void>;
  /** REVOKE <privilege> ON <database>. */
  revokePrivilege(name: string, database: string, privilege: Privilege): Promise<void>;
  /** GRANT/REVOKE ALL PRIVILEGES. */
  setAdminPrivilege(name: string, admin: boolean): Promise<void>;
  /** A user's privileges per database; throws `user not found`. */
  userPrivileges(name: string): Readonly<Record<string, Privilege>>;
  /** True if any admin user exists. */
  adminUserExists(): boolean;

  /** A database's continuous queries; throws if the database is absent. */
  continuousQueries(database: string): readonly ContinuousQueryInfo[];
  /** CREATE CONTINUOUS QUERY. */
  createContinuousQuery(database: string, name: string, query: string): Promise<void>;
  /** DROP CONTINUOUS QUERY. */
  dropContinuousQuery(database: string, name: string): Promise<void>;

  /** All data nodes, by id. */
  dataNodes(): readonly DataNodeInfo[];
  /** A data node, or undefined. */
  dataNode(id: DataNodeId): DataNodeInfo | undefined;
  /** Registers a data node (or returns the one already at `rpcAddress`). */
  createDataNode(httpAddress: string, rpcAddress: string): Promise<DataNodeInfo>;
  /** Changes a data node's addresses. */
  updateDataNode(id: DataNodeId, httpAddress: string, rpcAddress: string): Promise<DataNodeInfo>;
  /** Removes a data node, reassigning shards it alone held. */
  deleteDataNode(id: DataNodeId, at: bigint): Promise<void>;
  /** All meta nodes, by id. */
  metaNodes(): readonly MetaNodeInfo[];
  /** Records a meta node's addresses. */
  addMetaNode(id: MetaNodeId, raftAddress: string, httpAddress: string): Promise<void>;
  /** Forgets a meta node. */
  removeMetaNode(id: MetaNodeId): Promise<void>;
}

/** Submits a command to the meta Raft group and resolves with its apply result. */
export type ProposeFn = (cmd: MetaCommand) => Promise<ApplyResult>;
