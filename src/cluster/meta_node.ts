import { encode } from "@msgpack/msgpack";
import {
  type ApplyResult,
  decodeCommand,
  encodeCommand,
  encodeMetaData,
  type MetaCommand,
  type MetaData,
  type MetaNodeId,
  MetaStateMachine,
  validateCommand,
} from "../meta/mod.ts";
import { type Entry, type LogStore, type Message, type NodeId, nodeId } from "../raft/mod.ts";
import type { Logger } from "../util/mod.ts";
import type {
  AddNodeRequest,
  AddNodeResponse,
  ClusterNodes,
  ClusterStatus,
  DataNodeInfo,
  MetaNodeInfo,
  NodeIdentity,
  RemoveNodeRequest,
} from "./admin_types.ts";
import { checkIdentity, type IdentityStore, MetaStartError } from "./meta_identity.ts";
import {
  type BatchAnswer,
  CommandBatcher,
  getJson,
  MetaHttpError,
  postCommands,
  postJson,
} from "./meta_http.ts";
import { RaftDriver } from "./raft_driver.ts";
import { NotLeaderError, ProposalDroppedError } from "./raft_driver_errors.ts";
import { intervalTicker } from "./raft_ticker.ts";
import {
  removeDataNodeCommand,
  type RemoveDataNodeRequest,
  updateDataNodeCommand,
  type UpdateDataNodeRequest,
} from "./meta_data_nodes.ts";
import { MetaRequestError, unwrapResult } from "./meta_request_error.ts";
import { listMembers } from "./meta_members.ts";
import { renderMetaMetrics } from "./meta_metrics.ts";
import type { Transport } from "./transport.ts";

/** How a meta node is built; the server supplies the I/O (log store, transport, identity). */
export interface MetaNodeOptions {
  readonly id: number;
  /** host:port other meta nodes dial for raft. */
  readonly raftAddress: string;
  /** host:port of this node's admin API, as others reach it. */
  readonly adminAddress: string;
  readonly single: boolean;
  /** Admin addresses of existing members to ask, in order. */
  readonly join: readonly string[];
  readonly heartbeatMs: number;
  readonly electionMs: number;
  readonly snapshotEntries: number;
  /** Where the raft state lives, for messages. */
  readonly dir: string;
  readonly identity: IdentityStore;
  readonly openStore: () => Promise<LogStore>;
  readonly openTransport: (clusterId: string) => Promise<Transport<Message>>;
  readonly logger: Logger;
  /** How long start-up keeps retrying the join list before giving up. */
  readonly joinTimeoutMs?: number;
}

/** How long a proposal keeps retrying through leader changes before it fails. */
const PROPOSE_DEADLINE_MS = 15_000;
/** A learner within this many entries of the leader's last index is promoted. */
const PROMOTE_LAG = 16;

/**
 * A meta node: the replicated meta state machine on the raft driver, started the way
 * databend-meta starts (single / join / restart from raft_dir), plus what the admin API
 * serves. A follower forwards proposals to the leader, so callers never need to know who leads.
 */
export class MetaNode {
  readonly sm = new MetaStateMachine();
  #o: MetaNodeOptions;
  #log: Logger;
  #driver: RaftDriver | null = null;
  #clusterId: string | null = null;
  #removed = false;
  #wasMember = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** Admin addresses learnt from a join answer, before the meta state lists them. */
  #knownAdmins = new Map<number, string>();
  #joining: Promise<void> | null = null;
  #proposals = 0;
  #proposalErrors = 0;
  /** Followers forward proposals to the leader in batches (see CommandBatcher). */
  #batcher: CommandBatcher;

  /** Builds the node without starting it; call `start()` (the admin API may serve it first). */
  constructor(o: MetaNodeOptions) {
    this.#o = o;
    this.#log = o.logger.with({ service: "meta" });
    this.#batcher = new CommandBatcher((addr, cmds) => postCommands(addr, cmds, String(o.id)));
  }

  /**
   * Starts the node. With raft state in its dir it rejoins from there (single/join ignored);
   * otherwise `single` bootstraps a cluster, `join` asks the listed members to add it, and
   * with neither it waits to be added by `ctl add-meta`.
   */
  async start(): Promise<void> {
    const o = this.#o;
    const stored = await o.identity.load();
    if (stored) {
      checkIdentity(stored, o.id, o.dir);
      await this.#refuseForeignJoin(stored.clusterId);
      await this.#run(stored.clusterId, null);
      await this.#refuseIfRemoved(stored.clusterId);
    } else if (o.single) {
      const clusterId = crypto.randomUUID();
      await o.identity.save({ clusterId, id: o.id });
      await this.#run(clusterId, [nodeId(o.id)]);
      this.#driver?.campaign();
    } else if (o.join.length > 0) {
      await this.joinCluster(o.join, o.joinTimeoutMs ?? 60_000);
    } else {
      this.#log.info("not a member of any cluster yet; waiting to be added (ctl add-meta)");
    }
    this.#timer = setInterval(() => this.#maintain(), Math.max(50, o.heartbeatMs * 2));
  }

  async #run(clusterId: string, bootstrap: NodeId[] | null): Promise<void> {
    this.#clusterId = clusterId;
    const transport = await this.#o.openTransport(clusterId);
    const store = await this.#o.openStore();
    const electionTick = Math.max(2, Math.round(this.#o.electionMs / this.#o.heartbeatMs));
    this.#driver = await RaftDriver.start({
      id: nodeId(this.#o.id),
      store,
      transport,
      stateMachine: {
        apply: (e: Entry) => this.sm.apply(e),
        snapshot: () => this.sm.snapshot(),
        restore: (d: Uint8Array) => {
          this.sm.restore(d);
          this.#log.info("meta state restored from a snapshot", { index: this.sm.appliedIndex() });
        },
      },
      logger: this.#o.logger,
      bootstrap: bootstrap ?? undefined,
      peers: new Map([[nodeId(this.#o.id), this.#o.raftAddress]]),
      raft: { electionTick, heartbeatTick: 1 },
      ticker: intervalTicker(this.#o.heartbeatMs),
      snapshotEntries: this.#o.snapshotEntries,
      requestTimeoutTicks: Math.ceil(10_000 / this.#o.heartbeatMs),
    });
    this.sm.subscribe((d) => this.#onMetaChange(d));
    this.#log.info("meta node running", { cluster: clusterId, raft: this.#o.raftAddress });
  }

  /**
   * A restarted node whose `join` names members of another cluster refuses to start: its
   * raft_dir belongs to a different cluster than the one it is configured to join.
   */
  async #refuseForeignJoin(clusterId: string): Promise<void> {
    for (const addr of this.#o.join) {
      if (addr === this.#o.adminAddress) continue;
      try {
        const other = await getJson<NodeIdentity>(addr, "/v1/node", 2000);
        if (other.clusterId && other.clusterId !== clusterId) {
          throw new MetaStartError(
            `${this.#o.dir} belongs to cluster ${clusterId}, but ${addr} (in [raft_config].join) ` +
              `is in cluster ${other.clusterId}; empty raft_dir to join that cluster, or fix join`,
          );
        }
      } catch (e) {
        if (e instanceof MetaStartError) throw e;
        // Unreachable: nothing to compare with; raft's handshake refuses a foreign peer anyway.
      }
    }
  }

  /**
   * A restarted node asks the members it knows whether it is still one of them: a node that
   * was removed while it was down never saw its removal in its own log.
   */
  async #refuseIfRemoved(clusterId: string): Promise<void> {
    const others = this.sm.data().metaNodes.filter((m) => m.id !== this.#o.id);
    for (const m of others) {
      try {
        const nodes = await getJson<ClusterNodes>(m.httpAddress, "/v1/cluster/nodes", 2000);
        if (nodes.clusterId !== clusterId || nodes.leader === null) continue;
        if (nodes.metaNodes.some((n) => n.id === this.#o.id && n.state !== "removed")) return;
        await this.markRemoved();
        await this.close();
        throw new MetaStartError(
          `meta node ${this.#o.id} was removed from cluster ${clusterId} ` +
            `(${m.httpAddress} no longer lists it); to rejoin, empty ${this.#o.dir} and start ` +
            `it with a new [raft_config].id and join = [...]`,
        );
      } catch (e) {
        if (e instanceof MetaStartError) throw e;
        // That member is unreachable: ask the next one; if none answers, start as before.
      }
    }
  }

  /** Records that this node was removed: it stops serving and refuses to start again. */
  async markRemoved(): Promise<void> {
    if (this.#removed) return;
    this.#removed = true;
    this.#log.warn("this node was removed from the meta cluster");
    await this.#o.identity.save({
      clusterId: this.#clusterId ?? "",
      id: this.#o.id,
      removed: true,
    });
  }

  /** Asks the members at `addrs` (in order, with retries) to add this node, then follows. */
  joinCluster(addrs: readonly string[], timeoutMs = 60_000): Promise<void> {
    if (this.#driver) return Promise.resolve();
    this.#joining ??= this.#join(addrs, timeoutMs).finally(() => this.#joining = null);
    return this.#joining;
  }

  async #join(addrs: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const req: AddNodeRequest = {
      adminAddress: this.#o.adminAddress,
      id: this.#o.id,
      raftAddress: this.#o.raftAddress,
    };
    let last = "";
    for (let attempt = 0; Date.now() < deadline && !this.#closed; attempt++) {
      for (const addr of addrs) {
        if (this.#driver) return; // joined: a failure after that must not join again
        if (addr === this.#o.adminAddress) continue;
        try {
          const r = await postJson<AddNodeResponse>(addr, "/v1/cluster/add-node", req, 15_000);
          for (const m of r.members) this.#knownAdmins.set(m.id, m.adminAddress);
          await this.#o.identity.save({ clusterId: r.clusterId, id: this.#o.id });
          await this.#run(r.clusterId, null);
          // Members whose address is not known yet arrive through the log and meta state.
          const driver = this.driver;
          for (const m of r.members) {
            if (m.id !== this.#o.id && m.raftAddress !== "") {
              driver?.setPeerAddress(nodeId(m.id), m.raftAddress);
            }
          }
          this.#log.info("joined the cluster", { via: addr, cluster: r.clusterId });
          return;
        } catch (e) {
          last = e instanceof Error ? e.message : String(e);
          if (e instanceof MetaHttpError && e.status >= 400 && e.status < 500) {
            throw new MetaStartError(`cannot join through ${addr}: ${last}`);
          }
        }
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
    throw new MetaStartError(
      `could not join through any of ${addrs.join(", ")} within ${timeoutMs / 1000}s ` +
        `(last error: ${last}); check [raft_config].join and that a member is running`,
    );
  }

  /** Periodic work: bootstrap the meta state, promote caught-up learners, track peers. */
  async #maintain(): Promise<void> {
    const d = this.#driver;
    if (!d || this.#closed || this.#removed) return;
    const s = d.status();
    if (s.role !== "leader") return;
    try {
      const data = this.sm.data();
      if (data.clusterId === "" && this.#clusterId) {
        await this.propose({ kind: "initCluster", clusterId: this.#clusterId });
      }
      if (!data.metaNodes.some((m) => m.id === this.#o.id)) {
        await this.propose({
          kind: "addMetaNode",
          id: this.#o.id as MetaNodeId,
          raftAddress: this.#o.raftAddress,
          httpAddress: this.#o.adminAddress,
        });
      }
      for (const l of s.learners) {
        const p = s.progress[l];
        if (
          p && p.state === "replicate" && p.match + PROMOTE_LAG >= s.lastIndex &&
          p.match >= s.snapshotIndex
        ) {
          this.#log.info("promoting caught-up learner", { node: l, match: p.match });
          await d.promote(l);
        }
      }
    } catch (e) {
      this.#log.debug("meta maintenance deferred", { error: String(e) });
    }
  }

  #onMetaChange(d: MetaData): void {
    const driver = this.#driver;
    if (!driver) return;
    for (const m of d.metaNodes) {
      if (m.id !== this.#o.id) driver.setPeerAddress(nodeId(m.id), m.raftAddress);
    }
    const member = d.metaNodes.some((m) => m.id === this.#o.id);
    if (member) this.#wasMember = true;
    else if (this.#wasMember) {
      this.markRemoved().catch((e) => this.#log.error("cannot record removal", { error: `${e}` }));
    }
  }

  /** The raft driver, once this node is part of a cluster. */
  get driver(): RaftDriver | null {
    return this.#driver;
  }

  /** The cluster id, once known. */
  get clusterId(): string | null {
    return this.#clusterId;
  }

  /** True while this node leads the raft group. */
  isLeader(): boolean {
    return this.#driver?.isLeader() ?? false;
  }

  /** The current leader's id, if known. */
  leaderId(): number | null {
    return this.#driver?.leader() ?? null;
  }

  /** Admin address of the current leader, or null while none is known. */
  leaderAdminAddress(): string | null {
    const id = this.leaderId();
    if (id === null) return null;
    if (id === this.#o.id) return this.#o.adminAddress;
    return this.sm.data().metaNodes.find((m) => m.id === id)?.httpAddress ??
      this.#knownAdmins.get(id) ?? null;
  }

  /**
   * Replicates a meta command and resolves with its result (errors come back as results of
   * kind "error"). On a follower it is forwarded to the leader; through a leader change it is
   * retried until it lands or the deadline passes.
   */
  async propose(cmd: MetaCommand): Promise<ApplyResult> {
    this.#proposals++;
    const deadline = Date.now() + PROPOSE_DEADLINE_MS;
    let last = "no leader";
    while (Date.now() < deadline && !this.#closed) {
      const d = this.#driver;
      if (!d) throw new MetaRequestError(503, "this meta node is not a member of a cluster yet");
      try {
        if (this.isLeader()) return await d.propose(encodeCommand(cmd)) as ApplyResult;
        const leader = this.leaderAdminAddress();
        if (leader) return await this.#batcher.submit(leader, encodeCommand(cmd));
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        // Forwarded to a node that is no longer leader, or the entry was dropped: retry.
        const retry = e instanceof NotLeaderError || e instanceof ProposalDroppedError ||
          (e instanceof MetaHttpError && (e.status === 0 || e.status === 503));
        if (!retry) {
          this.#proposalErrors++;
          throw e;
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(20, this.#o.heartbeatMs)));
    }
    this.#proposalErrors++;
    throw new MetaRequestError(503, `meta command not committed: ${last}`);
  }

  /**
   * Leader: proposes a batch of encoded commands (forwarded by a follower) together, so they
   * share one raft append; one answer per command. A command that could not be applied here
   * answers 503 when retrying it elsewhere is right (leadership moved, entry dropped).
   */
  async proposeBatch(cmds: readonly Uint8Array[]): Promise<BatchAnswer[]> {
    const d = this.#requireLeader();
    this.#proposals += cmds.length;
    const pending = cmds.map((bytes) => {
      try {
        decodeCommand(bytes);
      } catch (e) {
        return Promise.reject(new MetaRequestError(400, e instanceof Error ? e.message : `${e}`));
      }
      return d.propose(bytes);
    });
    const settled = await Promise.allSettled(pending);
    return settled.map((s): BatchAnswer => {
      if (s.status === "fulfilled") return { result: s.value as ApplyResult };
      const e = s.reason;
      const error = e instanceof Error ? e.message : String(e);
      if (e instanceof NotLeaderError || e instanceof ProposalDroppedError) {
        return { status: 503, error };
      }
      this.#proposalErrors++;
      return { status: e instanceof MetaRequestError ? e.status : 500, error };
    });
  }

  /** Proposes a command and throws its MetaError, for callers that want values. */
  async run(cmd: MetaCommand): Promise<ApplyResult> {
    return unwrapResult(await this.propose(cmd));
  }

  /** Linearizable read barrier: resolves once this node applied everything committed. */
  async readBarrier(): Promise<void> {
    const d = this.#driver;
    if (!d) throw new MetaRequestError(503, "this meta node is not a member of a cluster yet");
    await d.readIndex();
  }

  /** What `/v1/health` reports. */
  health(): { healthy: boolean; leader: number | null; reason?: string } {
    if (this.#removed) {
      return { healthy: false, leader: null, reason: "this node was removed from the cluster" };
    }
    const d = this.#driver;
    if (!d) {
      return {
        healthy: false,
        leader: null,
        reason: this.#joining
          ? "joining the cluster"
          : "not a member of any cluster: set single or join, or run ctl add-meta",
      };
    }
    const s = d.status();
    const member = s.voters.includes(nodeId(this.#o.id)) ||
      s.learners.includes(nodeId(this.#o.id));
    if (!member) return { healthy: false, leader: null, reason: "not yet added to the cluster" };
    if (s.leader === undefined) {
      return { healthy: false, leader: null, reason: `no leader known (term ${s.term})` };
    }
    return { healthy: true, leader: s.leader };
  }

  /** Who this process is. */
  identity(): NodeIdentity {
    return {
      id: this.#o.id,
      raftAddress: this.#o.raftAddress,
      adminAddress: this.#o.adminAddress,
      clusterId: this.#clusterId,
    };
  }

  #members(): MetaNodeInfo[] {
    const self = { id: this.#o.id, raftAddress: this.#o.raftAddress };
    return listMembers(this.#driver?.status(), this.sm.data(), self, this.#knownAdmins);
  }

  /** This node's raft view; on a follower, member lag comes from the leader when reachable. */
  async status(): Promise<ClusterStatus> {
    const s = this.#driver?.status();
    let members: readonly MetaNodeInfo[] = this.#members();
    const leader = this.leaderAdminAddress();
    if (s && s.role !== "leader" && leader) {
      try {
        members = (await getJson<ClusterStatus>(leader, "/v1/cluster/status", 2000)).members;
      } catch { /* the leader is unreachable: show our own view */ }
    }
    return {
      id: this.#o.id,
      role: s?.role ?? (this.#removed ? "removed" : "none"),
      term: s?.term ?? 0,
      leader: s?.leader ?? null,
      commitIndex: s?.commit ?? 0,
      appliedIndex: s?.applied ?? 0,
      members,
    };
  }

  /** Meta and data nodes as the (leader's) meta state lists them. */
  nodes(): ClusterNodes {
    const data = this.sm.data();
    return {
      clusterId: data.clusterId,
      leader: this.leaderId(),
      metaNodes: this.#members(),
      dataNodes: data.dataNodes.map((n) => ({
        id: n.id,
        httpAddress: n.httpAddress,
        rpcAddress: n.rpcAddress,
      })),
    };
  }

  /** Leader: adds a meta node as a learner (promoted once caught up); idempotent. */
  async addMetaNode(req: AddNodeRequest): Promise<AddNodeResponse> {
    const d = this.#requireLeader();
    if (typeof req.adminAddress !== "string" || req.adminAddress === "") {
      throw new MetaRequestError(400, "add-node needs adminAddress (host:port)");
    }
    if (req.id === undefined || req.raftAddress === undefined) {
      // ctl add-meta names only the address: tell that node to join through us.
      await postJson(req.adminAddress, "/v1/node/join", { join: [this.#o.adminAddress] }, 60_000)
        .catch((e) => {
          throw new MetaRequestError(503, `meta node at ${req.adminAddress} did not join: ${e}`);
        });
      return this.#addAnswer();
    }
    const id = req.id;
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new MetaRequestError(400, `node id ${id} is invalid; ids are positive integers`);
    }
    const data = this.sm.data();
    const clash = data.metaNodes.find((m) => m.id === id);
    if (clash && clash.httpAddress !== req.adminAddress) {
      throw new MetaRequestError(
        409,
        `meta node id ${id} is already used by ${clash.httpAddress}; ids are never reused`,
      );
    }
    const s = d.status();
    if (!s.voters.includes(nodeId(id)) && !s.learners.includes(nodeId(id))) {
      await d.addLearner(nodeId(id), req.raftAddress);
    }
    if (!clash) {
      await this.run({
        kind: "addMetaNode",
        id: id as MetaNodeId,
        raftAddress: req.raftAddress,
        httpAddress: req.adminAddress,
      });
    }
    this.#log.info("meta node added as learner", { node: id, raft: req.raftAddress });
    return this.#addAnswer();
  }

  #addAnswer(): AddNodeResponse {
    return {
      clusterId: this.#clusterId ?? "",
      leader: this.#o.id,
      members: this.#members().filter((m) => m.state !== "removed"),
    };
  }

  /** Leader: removes a meta node (by id or admin address). */
  async removeMetaNode(req: RemoveNodeRequest): Promise<void> {
    const d = this.#requireLeader();
    const data = this.sm.data();
    const target = req.id !== undefined
      ? data.metaNodes.find((m) => m.id === req.id)
      : data.metaNodes.find((m) => m.httpAddress === req.adminAddress);
    const id = target?.id ?? req.id;
    if (id === undefined) {
      throw new MetaRequestError(404, `no meta node at ${req.adminAddress}`);
    }
    const s = d.status();
    if (id === this.#o.id) {
      const other = s.voters.find((v) => v !== this.#o.id);
      if (other === undefined) {
        throw new MetaRequestError(409, "cannot remove the only voting meta node");
      }
      // A leader hands off first, then the new leader removes it.
      await d.transferLeader(other);
      throw new MetaRequestError(
        503,
        `node ${id} was the leader; leadership moved to ${other}, retry the removal`,
      );
    }
    if (!req.force && target) {
      try {
        await getJson(target.httpAddress, "/v1/health", 2000);
      } catch (e) {
        if (e instanceof MetaHttpError && e.status === 0) {
          throw new MetaRequestError(
            409,
            `meta node ${id} at ${target.httpAddress} is unreachable; use -force to remove it anyway`,
          );
        }
      }
    }
    if (s.voters.includes(nodeId(id)) || s.learners.includes(nodeId(id))) {
      await d.removeNode(nodeId(id));
    }
    if (target) await this.run({ kind: "removeMetaNode", id: id as MetaNodeId });
    this.#log.info("meta node removed", { node: id });
    // It no longer receives the log, so tell it directly (best effort; a restart also checks).
    if (target) {
      await postJson(target.httpAddress, "/v1/node/removed", { clusterId: this.#clusterId }, 2000)
        .catch(() => {});
    }
  }

  /** This node leaves: it asks the leader to remove it (handing off leadership first). */
  async leave(): Promise<void> {
    const d = this.#driver;
    if (!d) throw new MetaRequestError(409, "this node is not a member of a cluster");
    if (this.isLeader()) {
      const other = d.status().voters.find((v) => v !== this.#o.id);
      if (other === undefined) throw new MetaRequestError(409, "the only voter cannot leave");
      await d.transferLeader(other);
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const leader = this.leaderAdminAddress();
      if (leader && leader !== this.#o.adminAddress) {
        await postJson(leader, "/v1/cluster/remove-node", { id: this.#o.id, force: true });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new MetaRequestError(503, "no other leader to hand the removal to");
  }

  /** Leader: hands leadership to `to`. */
  async transferLeader(to: number): Promise<number> {
    const d = this.#requireLeader();
    if (!d.status().voters.includes(nodeId(to))) {
      throw new MetaRequestError(404, `meta node ${to} is not a voting member`);
    }
    await d.transferLeader(nodeId(to));
    return to;
  }

  /** Leader: registers a data node (idempotent by rpc address). */
  async addDataNode(httpAddress: string, rpcAddress: string): Promise<DataNodeInfo> {
    this.#requireLeader();
    const r = await this.run({ kind: "createDataNode", httpAddress, rpcAddress });
    if (r.kind !== "dataNode") throw new Error(`unexpected result ${r.kind}`);
    return r.dataNode;
  }

  /** Leader: removes a data node; without force it refuses to orphan a shard. */
  async removeDataNode(req: RemoveDataNodeRequest): Promise<void> {
    this.#requireLeader();
    await this.run(removeDataNodeCommand(this.sm.data(), req, BigInt(Date.now()) * 1_000_000n));
  }

  /** Leader: changes a data node's addresses, keeping its id. */
  async updateDataNode(req: UpdateDataNodeRequest): Promise<DataNodeInfo> {
    this.#requireLeader();
    const { command, updated } = updateDataNodeCommand(this.sm.data(), req);
    const r = await this.run(command);
    return r.kind === "dataNode" ? r.dataNode : updated;
  }

  /** Waits until the applied index passes `after`, then returns the state. */
  async metaSnapshot(
    after: number,
    signal: AbortSignal,
  ): Promise<{ index: number; bytes: Uint8Array; data: MetaData }> {
    const data = await this.sm.waitForIndex(after + 1, signal);
    return { index: data.index, bytes: encodeMetaData(data), data };
  }

  /** A command from the admin API: msgpack bytes (nodes) or decoded JSON (ctl, curl). */
  command(input: Uint8Array | unknown): Promise<ApplyResult> {
    let cmd: MetaCommand;
    try {
      cmd = input instanceof Uint8Array ? decodeCommand(input) : validateCommand(input);
    } catch (e) {
      throw new MetaRequestError(400, e instanceof Error ? e.message : String(e));
    }
    return this.propose(cmd);
  }

  /** Encodes a command result for msgpack callers. */
  encodeResult(result: unknown): Uint8Array {
    return encode(result, { useBigInt64: true, ignoreUndefined: true });
  }

  /** Prometheus text exposition of this node's raft and meta state. */
  metrics(): string {
    const data = this.sm.data();
    return renderMetaMetrics({
      raft: this.#driver?.status(),
      metaIndex: this.sm.appliedIndex(),
      databases: data.databases.length,
      dataNodes: data.dataNodes.length,
      proposals: this.#proposals,
      proposalErrors: this.#proposalErrors,
    });
  }

  #requireLeader(): RaftDriver {
    const d = this.#driver;
    if (!d) throw new MetaRequestError(503, "this meta node is not a member of a cluster yet");
    if (!this.isLeader()) throw new MetaRequestError(503, "this meta node is not the leader");
    return d;
  }

  /** Stops raft and closes the log store and transport; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#driver?.close();
  }
}
