import { encodeConfChange } from "./conf_change.ts";
import { type RaftConfig, raftConfig } from "./config.ts";
import { RaftError } from "./errors.ts";
import { Raft } from "./raft.ts";
import type { PersistedState } from "./storage.ts";
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  LogIndex,
  Message,
  NodeId,
  Ready,
  Role,
  Snapshot,
  SoftState,
  Term,
} from "./types.ts";
import { logIndex, NO_NODE, term } from "./types.ts";

/** What a host may show about a node (ctl, health checks, tests). */
export interface RaftStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly leader: NodeId | typeof NO_NODE;
  readonly term: Term;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly snapshotIndex: LogIndex;
  readonly conf: ConfState;
  /** Leader only: each member's acknowledged index and replication state. */
  readonly progress: ReadonlyMap<NodeId, { match: LogIndex; state: string }>;
}

/**
 * The persisted state that starts a brand-new cluster whose members are `voters`: each is
 * added as a learner and promoted by committed entries at term 1, so nodes that join later
 * learn the initial membership from the log. Persist it (`LogStore.append`) before use.
 */
export function bootstrapState(voters: readonly NodeId[]): PersistedState {
  const entries: Entry[] = [];
  for (const node of voters) {
    for (const kind of ["add_learner", "promote"] as const) {
      entries.push({
        term: term(1),
        index: logIndex(entries.length + 1),
        kind: "conf_change",
        data: encodeConfChange({ kind, node }),
      });
    }
  }
  return {
    hardState: { term: term(1), vote: NO_NODE, commit: logIndex(entries.length) },
    snapshot: null,
    entries,
  };
}

/**
 * The host-facing API (etcd's rawnode.go). Feed it ticks, messages and proposals; whenever
 * `hasReady()`, take `ready()`, do what `Ready` documents in that order, then `advance()`.
 * `step` may be called between `ready()` and `advance()`; `ready()` must not be called again
 * before `advance()`.
 */
export class RawNode {
  readonly raft: Raft;
  #prevSoft: SoftState;
  #prevHard: HardState;
  #readyLast: number | null = null;

  /** Builds a node from its config and what its `LogStore` loaded. */
  constructor(
    config: Pick<RaftConfig, "id" | "random"> & Partial<RaftConfig>,
    state: PersistedState,
  ) {
    this.raft = new Raft(raftConfig(config), state);
    this.#prevSoft = this.#soft();
    this.#prevHard = this.#hard();
  }

  #soft(): SoftState {
    return { leader: this.raft.lead, role: this.raft.role };
  }

  #hard(): HardState {
    return { term: this.raft.term, vote: this.raft.vote, commit: this.raft.log.committed };
  }

  /** Advances logical time by one tick (elections, heartbeats, check-quorum). */
  tick(): void {
    this.raft.tick();
  }

  /** Feeds a message received from a peer. Messages for another node are ignored. */
  step(m: Message): void {
    if (m.to !== this.raft.id) return;
    this.raft.step(m);
  }

  /** Starts an election now (tests and `single` bootstrap). */
  campaign(): void {
    this.raft.campaign();
  }

  /** A follower forgets its leader so it grants pre-votes at once; see `Raft.forgetLeader`. */
  forgetLeader(): void {
    this.raft.forgetLeader();
  }

  /** Proposes a command; returns its log index. Throws `RaftError("not_leader")` on followers. */
  propose(data: Uint8Array): LogIndex {
    return this.raft.propose(data);
  }

  /** Proposes one membership change; returns its log index. */
  proposeConfChange(cc: ConfChange): LogIndex {
    return this.raft.proposeConfChange(cc);
  }

  /** Asks the leader to hand over to `target` (forwarded to the leader on followers). */
  transferLeader(target: NodeId): void {
    this.raft.transferLeader(target);
  }

  /** Requests a linearizable read point for `ctx` (unique per request); see `Ready.readStates`. */
  readIndex(ctx: Uint8Array): void {
    this.raft.readIndex(ctx);
  }

  /**
   * Compacts the log up to `index` (<= applied) whose state-machine image is `data`. The
   * host persists the returned snapshot (`append({ entries: [], snapshot })`, then `compact`).
   */
  compact(index: LogIndex, data: Uint8Array): Snapshot {
    return this.raft.compact(index, data);
  }

  /** True when `ready()` has something for the host. */
  hasReady(): boolean {
    const r = this.raft;
    const s = this.#soft();
    const h = this.#hard();
    return s.leader !== this.#prevSoft.leader || s.role !== this.#prevSoft.role ||
      !sameHard(h, this.#prevHard) || r.log.pendingSnapshot !== null || r.msgs.length > 0 ||
      r.readStates.length > 0 || r.log.unstableEntries().length > 0 ||
      r.log.committed > r.log.applied;
  }

  /** Takes the pending work; see `Ready` for what the host must do with it, in order. */
  ready(): Ready {
    if (this.#readyLast !== null) {
      throw new RaftError(
        "invalid_state",
        "ready() was called again before advance(); handle the previous Ready, then advance().",
      );
    }
    const r = this.raft;
    const log = r.log;
    const entries = log.unstableEntries();
    const snapshot = log.pendingSnapshot ?? undefined;
    log.pendingSnapshot = null;
    const committedEntries = this.takeCommitted();
    const messages = r.msgs;
    r.msgs = [];
    const readStates = r.readStates;
    r.readStates = [];
    this.#readyLast = entries.length > 0 ? entries[entries.length - 1].index : log.stable;
    log.truncatedFrom = Infinity;
    const soft = this.#soft();
    const hard = this.#hard();
    const rd: {
      -readonly [K in keyof Ready]: Ready[K];
    } = { entries, messages, committedEntries, readStates };
    if (snapshot !== undefined) rd.snapshot = snapshot;
    if (soft.leader !== this.#prevSoft.leader || soft.role !== this.#prevSoft.role) {
      rd.softState = soft;
    }
    if (!sameHard(hard, this.#prevHard)) rd.hardState = hard;
    this.#prevSoft = soft;
    this.#prevHard = hard;
    return rd;
  }

  /**
   * Committed entries not handed out yet, marked applied. `ready()` includes them; a host may
   * also take them between `ready()` and `advance()` — a leader whose own write is still in
   * flight applies what a majority of followers already hold (Raft thesis §10.2.1).
   */
  takeCommitted(): Entry[] {
    const r = this.raft;
    const log = r.log;
    const committed = log.nextCommitted();
    if (committed.length > 0) {
      log.applied = committed[committed.length - 1].index;
      for (const e of committed) if (e.kind === "conf_change") r.applyConfEntry(e);
    }
    return committed;
  }

  /**
   * A leader's appends and heartbeats queued since `ready()`, taken out of the next Ready so
   * a host whose own write is in flight can send them now: a proposal made meanwhile then
   * reaches the followers without waiting for that write. They are what the Ready would
   * carry; the commit index in them counts our own entries only once persisted. Only call
   * while the current term and vote are on disk; other messages stay for the next Ready.
   */
  takeReplication(): Message[] {
    const r = this.raft;
    if (r.role !== "leader" || r.msgs.length === 0) return [];
    const out: Message[] = [];
    const keep: Message[] = [];
    for (const m of r.msgs) (m.kind === "append" || m.kind === "heartbeat" ? out : keep).push(m);
    r.msgs = keep;
    return out;
  }

  /** Tells the node the last `Ready` was handled (persisted, sent, applied). */
  advance(): void {
    if (this.#readyLast === null) return;
    const log = this.raft.log;
    const persisted = Math.min(this.#readyLast, log.truncatedFrom - 1);
    log.stable = logIndex(Math.max(log.stable, Math.min(persisted, log.lastIndex())));
    this.#readyLast = null;
    this.raft.onPersisted();
  }

  /** A snapshot of the node's state for display. */
  status(): RaftStatus {
    const r = this.raft;
    const progress = new Map<NodeId, { match: LogIndex; state: string }>();
    for (const [id, pr] of r.prs) progress.set(id, { match: pr.match, state: pr.state });
    return {
      id: r.id,
      role: r.role,
      leader: r.lead,
      term: r.term,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      snapshotIndex: r.log.snapIndex(),
      conf: r.conf,
      progress,
    };
  }
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
