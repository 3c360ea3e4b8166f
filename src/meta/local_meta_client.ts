// LocalMetaClient: a MetaClient that reads an in-process MetaStateMachine and writes
// through an injected `propose` (Raft on a meta node; straight to apply in tests). Writes
// that would change nothing (an existing database or shard group) skip Raft entirely.

import type { ApplyResult } from "./apply_result.ts";
import type { MetaCommand } from "./commands.ts";
import { MetaError, metaErrors } from "./errors.ts";
import type { MetaClient, ProposeFn } from "./meta_client.ts";
import * as q from "./queries.ts";
import type { MetaStateMachine } from "./state_machine.ts";
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

/** A MetaClient over a local state machine; `propose` goes to Raft (or straight to apply in tests). */
export class LocalMetaClient implements MetaClient {
  /** Reads from `sm`; writes via `propose`. */
  constructor(private readonly sm: MetaStateMachine, private readonly propose: ProposeFn) {}

  async #exec(cmd: MetaCommand): Promise<ApplyResult> {
    const r = await this.propose(cmd);
    if (r.kind === "error") throw MetaError.fromData(r.error);
    return r;
  }

  async #expect<K extends ApplyResult["kind"]>(
    cmd: MetaCommand,
    kind: K,
  ): Promise<Extract<ApplyResult, { kind: K }>> {
    const r = await this.#exec(cmd);
    if (r.kind !== kind) throw metaErrors.badCommand(`${cmd.kind} answered ${r.kind}`);
    return r as Extract<ApplyResult, { kind: K }>;
  }

  /** The whole current state. */
  data(): MetaData {
    return this.sm.data();
  }
  /** The cluster id. */
  clusterId(): string {
    return this.sm.data().clusterId;
  }
  /** Resolves once the state's index exceeds `afterIndex`. */
  waitForChange(afterIndex: number, signal?: AbortSignal): Promise<MetaData> {
    return this.sm.waitForIndex(afterIndex + 1, signal);
  }

  /** All databases. */
  databases(): readonly DatabaseInfo[] {
    return this.sm.data().databases;
  }
  /** The named database. */
  database(name: string): DatabaseInfo | undefined {
    return q.database(this.sm.data(), name);
  }
  /** CREATE DATABASE. */
  async createDatabase(name: string): Promise<DatabaseInfo> {
    const existing = this.database(name);
    if (existing) return existing;
    return (await this.#expect({ kind: "createDatabase", name }, "database")).database;
  }
  /** CREATE DATABASE ... WITH. */
  async createDatabaseWithRetentionPolicy(
    name: string,
    spec: RetentionPolicySpec,
  ): Promise<DatabaseInfo> {
    const cmd: MetaCommand = { kind: "createDatabase", name, retentionPolicy: spec };
    return (await this.#expect(cmd, "database")).database;
  }
  /** DROP DATABASE. */
  async dropDatabase(name: string): Promise<void> {
    await this.#exec({ kind: "dropDatabase", name });
  }

  /** A retention policy. */
  retentionPolicy(database: string, name: string): RetentionPolicyInfo | undefined {
    return q.retentionPolicy(this.sm.data(), database, name);
  }
  /** CREATE RETENTION POLICY. */
  async createRetentionPolicy(
    database: string,
    spec: RetentionPolicySpec,
    makeDefault: boolean,
  ): Promise<RetentionPolicyInfo> {
    const cmd: MetaCommand = { kind: "createRetentionPolicy", database, spec, makeDefault };
    return (await this.#expect(cmd, "retentionPolicy")).retentionPolicy;
  }
  /** ALTER RETENTION POLICY. */
  async updateRetentionPolicy(
    database: string,
    name: string,
    update: RetentionPolicyUpdate,
    makeDefault: boolean,
  ): Promise<void> {
    await this.#exec({ kind: "updateRetentionPolicy", database, name, update, makeDefault });
  }
  /** DROP RETENTION POLICY. */
  async dropRetentionPolicy(database: string, name: string): Promise<void> {
    await this.#exec({ kind: "dropRetentionPolicy", database, name });
  }
  /** Sets the default retention policy. */
  async setDefaultRetentionPolicy(database: string, name: string): Promise<void> {
    await this.#exec({ kind: "setDefaultRetentionPolicy", database, name });
  }

  /** Live shard groups overlapping `[min, max]`. */
  shardGroupsByTimeRange(
    database: string,
    policy: string,
    min: bigint,
    max: bigint,
  ): readonly ShardGroupInfo[] {
    return q.shardGroupsByTimeRange(this.sm.data(), database, policy, min, max);
  }
  /** The group for `timestamp`, creating it if needed. */
  async createShardGroupIfNotExists(
    database: string,
    policy: string,
    timestamp: bigint,
  ): Promise<ShardGroupInfo> {
    let existing: ShardGroupInfo | undefined;
    try {
      existing = q.shardGroupAt(this.sm.data(), database, policy, timestamp);
    } catch (err) {
      // Our copy may trail the leader (a database just created); let the leader decide.
      if (!(err instanceof MetaError)) throw err;
    }
    if (existing) return existing;
    const cmd: MetaCommand = {
      kind: "createShardGroup",
      database,
      retentionPolicy: policy,
      timestamp,
    };
    return (await this.#expect(cmd, "shardGroup")).shardGroup;
  }
  /** Marks a shard group deleted. */
  async deleteShardGroup(
    database: string,
    policy: string,
    id: ShardGroupId,
    at: bigint,
  ): Promise<void> {
    await this.#exec({ kind: "deleteShardGroup", database, retentionPolicy: policy, id, at });
  }
  /** Truncates the current shard groups. */
  async truncateShardGroups(at: bigint): Promise<void> {
    await this.#exec({ kind: "truncateShardGroups", at });
  }
  /** Drops a shard. */
  async dropShard(id: ShardId, at: bigint): Promise<void> {
    await this.#exec({ kind: "dropShard", id, at });
  }
  /** Adds a shard owner. */
  async addShardOwner(id: ShardId, node: DataNodeId): Promise<void> {
    await this.#exec({ kind: "addShardOwner", shardId: id, nodeId: node });
  }
  /** Removes a shard owner. */
  async removeShardOwner(id: ShardId, node: DataNodeId): Promise<void> {
    await this.#exec({ kind: "removeShardOwner", shardId: id, nodeId: node });
  }
  /** Shards a node holds. */
  shardsOwnedBy(node: DataNodeId): q.ShardLocation[] {
    return q.shardsOwnedBy(this.sm.data(), node);
  }
  /** Where a shard lives. */
  shardLocation(id: ShardId): q.ShardLocation | undefined {
    return q.shardLocation(this.sm.data(), id);
  }

  /** All users. */
  users(): readonly UserInfo[] {
    return this.sm.data().users;
  }
  /** A user. */
  user(name: string): UserInfo | undefined {
    return q.user(this.sm.data(), name);
  }
  /** Authenticates via `verify`; `user not found` or `authentication failed` on failure. */
  async authenticate(name: string, verify: (hash: string) => Promise<boolean>): Promise<UserInfo> {
    const u = this.user(name);
    if (!u) throw metaErrors.userNotFound();
    if (!(await verify(u.hash))) throw metaErrors.authenticationFailed();
    return u;
  }
  /** CREATE USER. */
  async createUser(name: string, hash: string, admin: boolean): Promise<UserInfo> {
    return (await this.#expect({ kind: "createUser", name, hash, admin }, "user")).user;
  }
  /** SET PASSWORD. */
  async updateUser(name: string, hash: string): Promise<void> {
    await this.#exec({ kind: "setPassword", name, hash });
  }
  /** DROP USER. */
  async dropUser(name: string): Promise<void> {
    await this.#exec({ kind: "dropUser", name });
  }
  /** GRANT. */
  async setPrivilege(name: string, database: string, privilege: Privilege): Promise<void> {
    await this.#exec({ kind: "setPrivilege", user: name, database, privilege });
  }
  /** REVOKE. */
  async revokePrivilege(name: string, database: string, privilege: Privilege): Promise<void> {
    await this.#exec({ kind: "revokePrivilege", user: name, database, privilege });
  }
  /** GRANT/REVOKE ALL PRIVILEGES. */
  async setAdminPrivilege(name: string, admin: boolean): Promise<void> {
    await this.#exec({ kind: "setAdmin", name, admin });
  }
  /** A user's privileges. */
  userPrivileges(name: string): Readonly<Record<string, Privilege>> {
    return q.userPrivileges(this.sm.data(), name);
  }
  /** Whether any admin exists. */
  adminUserExists(): boolean {
    return q.adminUserExists(this.sm.data());
  }

  /** A database's continuous queries. */
  continuousQueries(database: string): readonly ContinuousQueryInfo[] {
    return q.continuousQueries(this.sm.data(), database);
  }
  /** CREATE CONTINUOUS QUERY. */
  async createContinuousQuery(database: string, name: string, query: string): Promise<void> {
    await this.#exec({ kind: "createContinuousQuery", database, name, query });
  }
  /** DROP CONTINUOUS QUERY. */
  async dropContinuousQuery(database: string, name: string): Promise<void> {
    await this.#exec({ kind: "dropContinuousQuery", database, name });
  }

  /** All data nodes. */
  dataNodes(): readonly DataNodeInfo[] {
    return this.sm.data().dataNodes;
  }
  /** A data node. */
  dataNode(id: DataNodeId): DataNodeInfo | undefined {
    return q.dataNode(this.sm.data(), id);
  }
  /** Registers a data node. */
  async createDataNode(httpAddress: string, rpcAddress: string): Promise<DataNodeInfo> {
    const existing = q.dataNodeByRpcAddress(this.sm.data(), rpcAddress);
    if (existing && existing.httpAddress === httpAddress) return existing;
    const cmd: MetaCommand = { kind: "createDataNode", httpAddress, rpcAddress };
    return (await this.#expect(cmd, "dataNode")).dataNode;
  }
  /** Changes a data node's addresses. */
  async updateDataNode(
    id: DataNodeId,
    httpAddress: string,
    rpcAddress: string,
  ): Promise<DataNodeInfo> {
    const cmd: MetaCommand = { kind: "updateDataNode", id, httpAddress, rpcAddress };
    return (await this.#expect(cmd, "dataNode")).dataNode;
  }
  /** Removes a data node. */
  async deleteDataNode(id: DataNodeId, at: bigint): Promise<void> {
    await this.#exec({ kind: "deleteDataNode", id, at });
  }
  /** All meta nodes. */
  metaNodes(): readonly MetaNodeInfo[] {
    return this.sm.data().metaNodes;
  }
  /** Records a meta node. */
  async addMetaNode(id: MetaNodeId, raftAddress: string, httpAddress: string): Promise<void> {
    await this.#exec({ kind: "addMetaNode", id, raftAddress, httpAddress });
  }
  /** Forgets a meta node. */
  async removeMetaNode(id: MetaNodeId): Promise<void> {
    await this.#exec({ kind: "removeMetaNode", id });
  }
}
