import {
  bootstrapState,
  canSendBeforePersist,
  type ConfChange,
  decodeConfChange,
  type Entry,
  type HardState,
  type LogIndex,
  type LogStore,
  type Message,
  NO_NODE,
  type NodeId,
  type RaftConfig,
  RaftError,
  RawNode,
  type Ready,
  type Role,
  type StateMachine,
  type Term,
} from "../raft/mod.ts";
import type { Logger } from "../util/mod.ts";
import { DriverClosedError, NotLeaderError } from "./raft_driver_errors.ts";
import { Outbox } from "./raft_driver_coalesce.ts";
import { PendingRequests } from "./raft_requests.ts";
import { decodeSnapshotEnvelope, encodeSnapshotEnvelope } from "./raft_snapshot_envelope.ts";
import { intervalTicker, type Ticker } from "./raft_ticker.ts";
import type { Transport } from "./transport.ts";

/** Everything a driver is built from; it owns (and closes) the store and the transport. */
export interface RaftDriverOptions {
  readonly id: NodeId;
  readonly store: LogStore;
  readonly transport: Transport<Message>;
  readonly stateMachine: StateMachine;
  readonly logger: Logger;
  /** Known members' addresses (the server passes its `join`/config list). */
  readonly peers?: ReadonlyMap<NodeId, string>;
  /** Voters of a brand-new cluster; used only when the store holds nothing yet. */
  readonly bootstrap?: readonly NodeId[];
  /** Raft tunables (election/heartbeat ticks, inflight window...). */
  readonly raft?: Partial<Omit<RaftConfig, "id" | "random">>;
  /** Randomness for election timeouts (default Math.random). */
  readonly random?: () => number;
  /** Logical clock (default: one tick every 100 ms). */
  readonly ticker?: Ticker;
  /** Snapshot and compact once this many applied entries follow the last snapshot. */
  readonly snapshotEntries?: number;
  /** Ticks a proposal, read or transfer may wait before it fails with RaftTimeoutError. */
  readonly requestTimeoutTicks?: number;
  /**
   * When the connection to the leader breaks, followers campaign in id order this many ms
   * apart (default 100), so those that saw it together do not split the vote.
   */
  readonly fastCampaignStepMs?: number;
  /**
   * A leader holds a commit-only append this long (default 2 ms, 0: never) so it can ride
   * along with the next append to that follower (see Outbox).
   */
  readonly commitHoldMs?: number;
}

/** What `status()` reports. `applied` is what the state machine has applied. */
export interface DriverStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: Term;
  readonly leader: NodeId | undefined;
  readonly commit: LogIndex;
  readonly applied: number;
  readonly lastIndex: LogIndex;
  readonly snapshotIndex: LogIndex;
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /** Leader only: each member's acknowledged index and replication state. */
  readonly progress: Readonly<Record<number, { match: number; state: string }>>;
}

/**
 * Runs one raft node: feeds it ticks, messages and requests, and performs each `Ready` in
 * order — persist (one store append), restore a received snapshot, send, apply committed
 * entries, answer proposals and reads — then advances. Proposals arriving while a persist is
 * in flight join the next Ready, so one KV commit covers many proposals.
 */
export class RaftDriver {
  readonly id: NodeId;
  readonly #o: RaftDriverOptions;
  readonly #node: RawNode;
  readonly #log: Logger;
  readonly #peers: Map<NodeId, string>;
  readonly #requests = new PendingRequests();
  #tickWaiters: (() => void)[] = [];
  #applied = 0;
  #ticks = 0;
  #readSeq = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #stopTicker: () => void = () => {};
  #storedHard: HardState;
  #deferredHard: HardState | undefined;
  #campaignTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set while a leader waits for its own write: wakes it for what happens meanwhile. */
  #wake: (() => void) | undefined;
  readonly #outbox: Outbox;

  private constructor(
    o: RaftDriverOptions,
    node: RawNode,
    applied: number,
    storedHard: HardState,
  ) {
    this.#storedHard = storedHard;
    this.id = o.id;
    this.#o = o;
    this.#node = node;
    this.#log = o.logger.with({ raft: o.id });
    this.#peers = new Map(o.peers ?? []);
    this.#applied = applied;
    this.#outbox = new Outbox(
      (m) => o.transport.send(m.to, m),
      o.commitHoldMs ?? 2,
      (m) => m.term === node.raft.term && node.raft.prs.get(m.to)?.state === "replicate",
    );
  }

  /** Loads (or bootstraps) the store, restores the state machine and starts ticking. */
  static async start(o: RaftDriverOptions): Promise<RaftDriver> {
    let state = await o.store.load();
    const fresh = state.snapshot === null && state.entries.length === 0 &&
      state.hardState.term === 0;
    if (fresh && o.bootstrap !== undefined && o.bootstrap.length > 0) {
      state = bootstrapState(o.bootstrap);
      await o.store.append({ entries: state.entries, hardState: state.hardState });
    }
    const node = new RawNode({ ...o.raft, id: o.id, random: o.random ?? Math.random }, state);
    const driver = new RaftDriver(o, node, state.snapshot?.meta.index ?? 0, state.hardState);
    if (state.snapshot !== null) await driver.#restore(state.snapshot.data);
    for (const [id, address] of driver.#peers) if (id !== o.id) o.transport.addPeer(id, address);
    o.transport.onMessage((from, m) => driver.#onMessage(from, m));
    o.transport.onPeerDown?.((peer) => driver.#onPeerDown(peer));
    driver.#stopTicker = (o.ticker ?? intervalTicker(100)).start(() => driver.#onTick());
    driver.#kick();
    return driver;
  }

  /** Replicates `data`; resolves with the state machine's apply result once applied here. */
  propose(data: Uint8Array): Promise<unknown> {
    return this.#submit("propose", () => this.#node.propose(data));
  }

  /** Resolves once this node's state machine has applied everything committed before the call. */
  readIndex(): Promise<void> {
    if (this.#closed) return Promise.reject(new DriverClosedError("closed"));
    const ctx = new TextEncoder().encode(`${this.id}:${++this.#readSeq}`);
    const key = `${this.id}:${this.#readSeq}`;
    try {
      this.#node.readIndex(ctx);
    } catch (e) {
      return Promise.reject(this.#mapError(e, "read"));
    }
    const p = this.#requests.read(key, this.#deadline());
    this.#kick();
    return p;
  }

  /** Adds `node` (reachable at `address`) as a non-voting learner. */
  addLearner(node: NodeId, address: string): Promise<void> {
    const context = new TextEncoder().encode(address);
    return this.#confChange("add a learner", { kind: "add_learner", node, context });
  }

  /** Promotes a caught-up learner to voter. */
  promote(node: NodeId): Promise<void> {
    return this.#confChange("promote a learner", { kind: "promote", node });
  }

  /** Removes a voter or learner from the cluster. */
  removeNode(node: NodeId): Promise<void> {
    return this.#confChange("remove a node", { kind: "remove", node });
  }

  /** Proposes one membership change, waiting (until the deadline) while another is pending. */
  async #confChange(what: string, cc: ConfChange): Promise<void> {
    const deadline = this.#deadline();
    for (;;) {
      try {
        await this.#submit(what, () => this.#node.proposeConfChange(cc));
        return;
      } catch (e) {
        const pending = e instanceof RaftError && e.kind === "conf_change_pending";
        if (!pending || this.#ticks >= deadline) throw e;
      }
      await new Promise<void>((resolve) => this.#tickWaiters.push(resolve));
    }
  }

  /** Hands leadership to `target`; resolves when this node sees it lead. */
  transferLeader(target: NodeId): Promise<void> {
    if (this.#closed) return Promise.reject(new DriverClosedError("closed"));
    if (this.#node.raft.lead === target) return Promise.resolve();
    const p = this.#requests.transfer(target, this.#deadline());
    this.#node.transferLeader(target);
    this.#kick();
    return p;
  }

  /** Starts an election now (a `single` node need not wait for its election timeout). */
  campaign(): void {
    this.#node.campaign();
    this.#kick();
  }

  /** Records where `id` listens (e.g. from the meta state machine). */
  setPeerAddress(id: NodeId, address: string): void {
    this.#peers.set(id, address);
    if (id !== this.id) this.#o.transport.addPeer(id, address);
  }

  /** True while this node leads (cheaper than `status()` on a per-request path). */
  isLeader(): boolean {
    return this.#node.raft.role === "leader";
  }

  /** The leader this node knows of, if any. */
  leader(): NodeId | undefined {
    const lead = this.#node.raft.lead;
    return lead === NO_NODE ? undefined : lead;
  }

  /** The node's role, term, leader, indexes, membership and (on a leader) peer progress. */
  status(): DriverStatus {
    const s = this.#node.status();
    const progress: Record<number, { match: number; state: string }> = {};
    if (s.role === "leader") {
      for (const [id, p] of s.progress) progress[id] = { match: p.match, state: p.state };
    }
    return {
      id: s.id,
      role: s.role,
      term: s.term,
      leader: s.leader === NO_NODE ? undefined : s.leader,
      commit: s.commit,
      applied: this.#applied,
      lastIndex: s.lastIndex,
      snapshotIndex: s.snapshotIndex,
      voters: s.conf.voters,
      learners: s.conf.learners,
      progress,
    };
  }

  /** Stops ticking, finishes the Ready in progress, fails pending requests, closes I/O. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown(new DriverClosedError("the node was closed"));
    return this.#closing;
  }

  async #shutdown(reason: Error): Promise<void> {
    this.#closed = true;
    this.#stopTicker();
    clearTimeout(this.#campaignTimer);
    this.#outbox.close();
    this.#o.transport.onMessage(() => {});
    await this.#running?.catch(() => {});
    this.#failAll(reason);
    if (this.#deferredHard !== undefined) {
      await this.#o.store.append({ entries: [], hardState: this.#deferredHard }).catch(() => {});
    }
    await this.#o.transport.close();
    await this.#o.store.close();
  }

  #wakeTickWaiters(): void {
    const waiters = this.#tickWaiters;
    this.#tickWaiters = [];
    for (const w of waiters) w();
  }

  #failAll(reason: Error): void {
    this.#wakeTickWaiters();
    this.#requests.failAll(reason);
  }

  #deadline(): number {
    return this.#ticks + (this.#o.requestTimeoutTicks ?? 100);
  }

  #submit(what: string, propose: () => LogIndex): Promise<unknown> {
    if (this.#closed) return Promise.reject(new DriverClosedError("closed"));
    let index: LogIndex;
    try {
      index = propose();
    } catch (e) {
      return Promise.reject(this.#mapError(e, what));
    }
    const p = this.#requests.proposal(index, this.#node.raft.term, this.#deadline());
    this.#wake?.();
    this.#kick();
    return p;
  }

  #mapError(e: unknown, what: string): Error {
    if (e instanceof RaftError && e.kind === "not_leader") {
      const lead = this.#node.raft.lead;
      return new NotLeaderError(lead === NO_NODE ? undefined : lead, what);
    }
    return e instanceof Error ? e : new Error(String(e));
  }

  #onMessage(from: NodeId, m: Message): void {
    if (this.#closed) return;
    if (m.from !== from) {
      this.#log.warn("raft message claims another sender; dropped", {
        peer: from,
        claimed: m.from,
      });
      return;
    }
    try {
      this.#node.step(m);
    } catch (e) {
      this.#log.error("raft step failed", { peer: from, kind: m.kind, error: String(e) });
    }
    this.#wake?.();
    this.#kick();
  }

  /**
   * The connection to `peer` broke. If it is our leader, its process is likely gone: forget
   * it (so we grant pre-votes at once) and campaign soon, so the followers that all saw it go
   * elect a new leader without waiting out the election timeout. They take turns in id order
   * (`fastCampaignStepMs` apart) so they do not split the vote. Pre-vote keeps this harmless
   * when the leader is in fact alive: followers still hearing from it refuse, and its next
   * heartbeat makes it our leader again.
   */
  #onPeerDown(peer: NodeId): void {
    const raft = this.#node.raft;
    if (this.#closed || raft.role !== "follower" || raft.lead !== peer) return;
    this.#node.forgetLeader();
    const term = raft.term;
    const rank = raft.conf.voters.filter((v) => v !== peer).sort((a, b) => a - b).indexOf(this.id);
    if (rank < 0) return; // a learner does not campaign
    const step = this.#o.fastCampaignStepMs ?? 100;
    const delay = rank * step + Math.floor((this.#o.random ?? Math.random)() * step / 10);
    this.#log.info("connection to the leader broke; campaigning early", { leader: peer, delay });
    clearTimeout(this.#campaignTimer);
    this.#campaignTimer = setTimeout(() => {
      const r = this.#node.raft;
      if (!this.#closed && r.role === "follower" && r.lead === NO_NODE && r.term === term) {
        this.#node.campaign();
        this.#kick();
      }
    }, delay);
    this.#kick();
  }

  #onTick(): void {
    if (this.#closed) return;
    this.#ticks++;
    this.#wakeTickWaiters();
    this.#node.tick();
    this.#requests.expire(this.#ticks);
    // A transfer the core gave up on (target not ready in time) is retried until the deadline.
    for (const target of this.#requests.transferTargets()) this.#node.transferLeader(target);
    this.#kick();
  }

  /** Runs the Ready loop unless it is already running (then it loops once more). */
  #kick(): void {
    if (this.#closed && this.#running === null) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => (this.#running = null));
  }

  async #loop(): Promise<void> {
    await Promise.resolve(); // let synchronous callers queue more work first
    try {
      do {
        this.#again = false;
        while (!this.#closed && this.#node.hasReady()) {
          const rd = this.#node.ready();
          await this.#handle(rd);
          this.#node.advance();
          await this.#maybeSnapshot();
        }
      } while (this.#again && !this.#closed);
    } catch (e) {
      this.#log.error("raft node stopped: persisting or applying failed", { error: String(e) });
      this.#closing ??= this.#shutdown(new DriverClosedError(String(e)));
    }
  }

  async #handle(rd: Ready): Promise<void> {
    if (canSendBeforePersist(this.#node.raft.role, rd, this.#storedHard)) {
      // A leader writes its log in parallel with its followers (Raft thesis §10.2.1); the
      // appends leave first, so the followers' writes start before ours is even encoded.
      this.#outbox.send(rd.messages);
      const persisted = this.#persist(rd);
      for (const e of rd.committedEntries) await this.#apply(e);
      await this.#applyWhilePersisting(persisted);
    } else {
      await this.#persist(rd);
      if (rd.snapshot !== undefined) {
        await this.#restore(rd.snapshot.data);
        this.#applied = rd.snapshot.meta.index;
        this.#requests.replacedBySnapshot(this.#applied);
      }
      this.#outbox.send(rd.messages);
      for (const e of rd.committedEntries) await this.#apply(e);
    }
    for (const rs of rd.readStates) {
      this.#requests.readIndex(new TextDecoder().decode(rs.ctx), rs.index);
    }
    this.#requests.releaseReads(this.#applied);
    if (rd.softState !== undefined) this.#onSoftState();
  }

  /**
   * While this leader's own write is in flight: sends the appends of proposals made meanwhile
   * at once, and applies entries as they commit — once a majority of followers hold an entry
   * it is committed without our copy (Raft thesis §10.2.1), so neither a new proposal nor an
   * answer waits for our disk. Rejects when the write fails.
   */
  async #applyWhilePersisting(persisted: Promise<void>): Promise<void> {
    let done = false;
    const settled = persisted.then(() => (done = true), () => (done = true));
    while (!done) {
      const woken = new Promise<void>((resolve) => (this.#wake = resolve));
      await Promise.race([settled, woken]);
      this.#wake = undefined;
      if (this.#node.raft.term === this.#storedHard.term) {
        this.#outbox.send(this.#node.takeReplication());
      }
      for (const e of this.#node.takeCommitted()) await this.#apply(e);
    }
    await persisted;
  }

  /**
   * One store append for the Ready. A hard state that differs from the stored one only in
   * `commit` is not worth a commit of its own (commit is a lower bound that the leader
   * re-teaches after a restart): it rides along with the next append, or with `close`.
   */
  async #persist(rd: Ready): Promise<void> {
    let hardState = rd.hardState;
    const stored = this.#storedHard;
    if (
      hardState !== undefined && rd.entries.length === 0 && rd.snapshot === undefined &&
      hardState.term === stored.term && hardState.vote === stored.vote
    ) {
      this.#deferredHard = hardState;
      return;
    }
    hardState ??= this.#deferredHard;
    if (rd.entries.length === 0 && hardState === undefined && rd.snapshot === undefined) return;
    await this.#o.store.append({ entries: rd.entries, hardState, snapshot: rd.snapshot });
    if (hardState !== undefined) this.#storedHard = hardState;
    this.#deferredHard = undefined;
  }

  async #apply(e: Entry): Promise<void> {
    if (e.kind === "conf_change") this.#applyConfChange(e);
    const result = await this.#o.stateMachine.apply(e);
    this.#applied = e.index;
    this.#requests.applied(e, result);
  }

  #applyConfChange(e: Entry): void {
    const cc = decodeConfChange(e.data);
    if (cc.kind === "add_learner" && cc.context !== undefined) {
      const address = new TextDecoder().decode(cc.context);
      this.#peers.set(cc.node, address);
      if (cc.node !== this.id) this.#o.transport.addPeer(cc.node, address);
    } else if (cc.kind === "remove") {
      this.#peers.delete(cc.node);
      if (cc.node !== this.id) this.#o.transport.removePeer(cc.node);
      else this.#log.info("this node was removed from the raft cluster");
    }
    this.#log.info("raft membership change applied", {
      index: e.index,
      change: cc.kind,
      node: cc.node,
    });
  }

  #onSoftState(): void {
    const lead = this.#node.raft.lead;
    this.#log.info("raft role changed", { role: this.#node.raft.role, leader: lead });
    if (lead !== NO_NODE) this.#requests.leaderIs(lead);
  }

  async #restore(data: Uint8Array): Promise<void> {
    const env = decodeSnapshotEnvelope(data);
    for (const [id, address] of env.peers) {
      this.#peers.set(id, address);
      if (id !== this.id) this.#o.transport.addPeer(id, address);
    }
    await this.#o.stateMachine.restore(env.data);
  }

  async #maybeSnapshot(): Promise<void> {
    const every = this.#o.snapshotEntries ?? 10_000;
    const snapIndex = this.#node.raft.log.snapIndex();
    if (this.#applied - snapIndex < every || this.#node.hasReady()) return;
    const data = await this.#o.stateMachine.snapshot();
    const envelope = encodeSnapshotEnvelope({ peers: this.#peers, data });
    const snap = this.#node.compact(this.#applied as LogIndex, envelope);
    await this.#o.store.append({ entries: [], snapshot: snap });
    await this.#o.store.compact(snap.meta.index);
    this.#log.debug("raft snapshot taken", { index: snap.meta.index, bytes: envelope.byteLength });
  }
}
