import { applyConfChange, decodeConfChange, encodeConfChange } from "./conf_change.ts";
import type { RaftConfig } from "./config.ts";
import { RaftError } from "./errors.ts";
import { Progress } from "./progress.ts";
import { RaftLog } from "./raft_log.ts";
import { type PendingRead, ReadOnly } from "./read_only.ts";
import { handleAppend, handleHeartbeat, handleSnapshot } from "./follower.ts";
import {
  broadcastAppend,
  broadcastHeartbeat,
  maybeCommit,
  sendAppend,
  stepLeader,
} from "./replication.ts";
import type { PersistedState } from "./storage.ts";
import type {
  ConfChange,
  ConfState,
  Entry,
  LogIndex,
  Message,
  NodeId,
  ReadState,
  Role,
  Snapshot,
  SnapshotMeta,
  Term,
  VoteMessage,
} from "./types.ts";
import { logIndex, NO_NODE, term as toTerm } from "./types.ts";

/** Distributes Omit over a union, so each message kind keeps its own fields. */
export type Outgoing = Message extends infer M ? M extends Message ? Omit<M, "from"> : never
  : never;

/** An InstallSnapshot being received: the chunks so far, in order. */
export interface SnapshotReceive {
  meta: SnapshotMeta;
  chunks: Uint8Array[];
  size: number;
}

/**
 * The raft state machine (etcd's raft.go): every input arrives through `step`, `tick` or a
 * proposal; every effect is queued as a message or a change to the in-memory log, which
 * `RawNode` hands to the host. No I/O, no clock, no randomness but `config.random`.
 */
export class Raft {
  readonly id: NodeId;
  // Fields below without `#` are shared with replication.ts and follower.ts; hosts should
  // use RawNode and treat them as read-only.
  term: Term;
  vote: NodeId | typeof NO_NODE;
  lead: NodeId | typeof NO_NODE = NO_NODE;
  role: Role = "follower";
  readonly log: RaftLog;
  conf: ConfState;
  /** Membership in effect from each index on (for snapshots taken below the applied index). */
  confHistory: { index: LogIndex; conf: ConfState }[];
  readonly prs = new Map<NodeId, Progress>();
  #votes = new Map<NodeId, boolean>();
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  #electionElapsed = 0;
  #heartbeatElapsed = 0;
  #randomizedElectionTimeout = 0;
  leadTransferee: NodeId | typeof NO_NODE = NO_NODE;
  #pendingConfIndex: LogIndex = logIndex(0);
  readOnly = new ReadOnly();
  pendingReads: { ctx: Uint8Array; from: NodeId }[] = [];
  snapRecv: SnapshotReceive | null = null;

  /** Restores a node from what its host loaded (see `bootstrapState` for a new cluster). */
  constructor(readonly cfg: RaftConfig, state: PersistedState) {
    this.id = cfg.id;
    this.term = state.hardState.term;
    this.vote = state.hardState.vote;
    this.log = new RaftLog(state.snapshot, state.entries, state.hardState.commit);
    this.conf = state.snapshot?.meta.confState ?? { voters: [], learners: [] };
    this.confHistory = [{ index: this.log.snapIndex(), conf: this.conf }];
    this.#resetRandomizedTimeout();
  }

  // ---- queries -------------------------------------------------------------------------

  /** True when this node may campaign: it is a voter in the membership it applied. */
  promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  /** Votes (or acknowledgements) needed: a majority of the voters. */
  quorum(): number {
    return Math.floor(this.conf.voters.length / 2) + 1;
  }

  /** True when the voters among `ids` form a majority. */
  hasQuorum(ids: Iterable<NodeId>): boolean {
    let n = 0;
    for (const id of ids) if (this.conf.voters.includes(id)) n++;
    return n >= this.quorum();
  }

  /** The membership in effect at `index` (which must be >= the snapshot index). */
  confAt(index: number): ConfState {
    let conf = this.confHistory[0].conf;
    for (const h of this.confHistory) if (h.index <= index) conf = h.conf;
    return conf;
  }

  // ---- sending ---------------------------------------------------------------------------

  /** Queues a message for the next Ready, stamped with our id. */
  send(m: Outgoing): void {
    // The literal was built for this call only, so completing it in place is safe (and cheap).
    (m as { from?: NodeId }).from = this.id;
    this.msgs.push(m as Message);
  }

  // ---- role changes ------------------------------------------------------------------------

  #resetRandomizedTimeout(): void {
    const et = this.cfg.electionTick;
    this.#randomizedElectionTimeout = et + Math.floor(this.cfg.random() * et);
  }

  #reset(t: Term): void {
    if (t !== this.term) {
      this.term = t;
      this.vote = NO_NODE;
    }
    this.lead = NO_NODE;
    this.#electionElapsed = 0;
    this.#heartbeatElapsed = 0;
    this.#resetRandomizedTimeout();
    this.leadTransferee = NO_NODE;
    this.#votes.clear();
    this.prs.clear();
    this.readOnly.reset();
    this.pendingReads = [];
  }

  /** Becomes a follower of `lead` (NO_NODE if unknown) in term `t`. */
  becomeFollower(t: Term, lead: NodeId | typeof NO_NODE): void {
    this.#reset(t);
    this.lead = lead;
    this.role = "follower";
  }

  #becomePreCandidate(): void {
    this.#votes.clear();
    this.lead = NO_NODE;
    this.role = "pre_candidate";
  }

  #becomeCandidate(): void {
    this.#reset(toTerm(this.term + 1));
    this.vote = this.id;
    this.role = "candidate";
  }

  #becomeLeader(): void {
    this.#reset(this.term);
    this.lead = this.id;
    this.role = "leader";
    const last = this.log.lastIndex();
    for (const id of [...this.conf.voters, ...this.conf.learners]) {
      this.prs.set(id, new Progress(last, this.conf.learners.includes(id)));
    }
    const self = this.prs.get(this.id);
    if (self !== undefined) {
      self.maybeUpdate(this.log.stable);
      self.becomeReplicate();
      self.recentActive = true;
    }
    // No conf change until the empty entry of this term (and so all before it) is applied: the
    // fix for the single-server membership bug found after the Raft paper.
    this.#pendingConfIndex = this.#appendEntries([{ kind: "empty", data: new Uint8Array(0) }]);
  }

  /**
   * A follower forgets its leader without campaigning (etcd's ForgetLeader). A leaderless
   * follower grants pre-votes at once instead of honouring the leader's lease, so when a quorum
   * of followers has reason to believe the leader is gone (an external failure detector) a new
   * leader can be elected without waiting out the election timeout. A live leader's next
   * append or heartbeat makes it the leader again. Ignored unless a follower with a leader.
   */
  forgetLeader(): void {
    if (this.role === "follower" && this.lead !== NO_NODE) this.lead = NO_NODE;
  }

  /** Starts an election (a pre-vote round first when enabled, unless `transfer`). */
  campaign(transfer = false): void {
    this.#campaign(this.cfg.preVote && !transfer, transfer);
  }

  #campaign(pre: boolean, transfer: boolean): void {
    if (!this.promotable() || this.#hasUnappliedConfChange()) return;
    if (pre) this.#becomePreCandidate();
    else this.#becomeCandidate();
    const voteTerm = toTerm(pre ? this.term + 1 : this.term);
    if (this.#poll(this.id, true) === "won") {
      if (pre) this.#campaign(false, transfer);
      else this.#becomeLeader();
      return;
    }
    for (const id of this.conf.voters) {
      if (id === this.id) continue;
      this.send({
        kind: pre ? "pre_vote" : "vote",
        to: id,
        term: voteTerm,
        lastIndex: this.log.lastIndex(),
        lastTerm: this.log.lastTerm(),
        transfer,
      });
    }
  }

  #hasUnappliedConfChange(): boolean {
    if (this.log.committed <= this.log.applied) return false;
    return this.log.slice(this.log.applied + 1, this.log.committed).some((e) =>
      e.kind === "conf_change"
    );
  }

  #poll(id: NodeId, granted: boolean): "won" | "lost" | "pending" {
    if (!this.#votes.has(id)) this.#votes.set(id, granted);
    const yes = [...this.#votes].filter(([, g]) => g).map(([n]) => n);
    const no = [...this.#votes].filter(([, g]) => !g).map(([n]) => n);
    if (this.hasQuorum(yes)) return "won";
    if (this.hasQuorum(no)) return "lost";
    return "pending";
  }

  // ---- ticks -------------------------------------------------------------------------------

  /** Advances logical time by one tick. */
  tick(): void {
    if (this.role === "leader") this.#tickHeartbeat();
    else this.#tickElection();
  }

  #tickElection(): void {
    this.#electionElapsed++;
    if (this.promotable() && this.#electionElapsed >= this.#randomizedElectionTimeout) {
      this.#electionElapsed = 0;
      this.campaign();
    }
  }

  #tickHeartbeat(): void {
    this.#heartbeatElapsed++;
    this.#electionElapsed++;
    if (this.#electionElapsed >= this.cfg.electionTick) {
      this.#electionElapsed = 0;
      if (this.cfg.checkQuorum) {
        const active = [...this.prs].filter(([id, pr]) => id === this.id || pr.recentActive);
        if (!this.hasQuorum(active.map(([id]) => id))) {
          this.becomeFollower(this.term, NO_NODE);
          return;
        }
        for (const [id, pr] of this.prs) pr.recentActive = id === this.id;
      }
      this.leadTransferee = NO_NODE;
    }
    if (this.#heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.#heartbeatElapsed = 0;
      broadcastHeartbeat(this, this.readOnly.lastCtx());
    }
  }

  // ---- proposals -----------------------------------------------------------------------------

  #appendEntries(items: { kind: Entry["kind"]; data: Uint8Array }[]): LogIndex {
    let index = this.log.lastIndex();
    const entries = items.map((it) => {
      index = logIndex(index + 1);
      return { term: this.term, index, kind: it.kind, data: it.data };
    });
    this.log.append(entries);
    broadcastAppend(this);
    return index;
  }

  #requireLeader(what: string): void {
    if (this.role !== "leader") {
      throw new RaftError(
        "not_leader",
        `Cannot ${what}: node ${this.id} is not the leader (leader: ${this.lead || "unknown"}).`,
      );
    }
    if (this.leadTransferee !== NO_NODE) {
      throw new RaftError(
        "proposal_dropped",
        `Cannot ${what}: leadership is moving to node ${this.leadTransferee}; retry there.`,
      );
    }
  }

  /** Appends a command (leader only); returns the index it will be committed at, if ever. */
  propose(data: Uint8Array): LogIndex {
    this.#requireLeader("propose");
    return this.#appendEntries([{ kind: "normal", data }]);
  }

  /** Appends a membership change (leader only, one at a time, learners promoted once caught up). */
  proposeConfChange(cc: ConfChange): LogIndex {
    this.#requireLeader("change membership");
    if (this.#pendingConfIndex > this.log.applied) {
      throw new RaftError(
        "conf_change_pending",
        `A membership change (index ${this.#pendingConfIndex}) is not applied yet; retry after it.`,
      );
    }
    const { voters, learners } = this.conf;
    const bad = (why: string) =>
      new RaftError("invalid_conf_change", `Cannot ${cc.kind} ${cc.node}: ${why}.`);
    if (cc.kind === "add_learner" && (voters.includes(cc.node) || learners.includes(cc.node))) {
      throw bad("it is already a member");
    }
    if (cc.kind === "promote") {
      if (!learners.includes(cc.node)) throw bad("it is not a learner");
      if (this.prs.get(cc.node)?.state !== "replicate") {
        throw bad("it has not caught up with the log yet; retry when it has");
      }
    }
    if (cc.kind === "remove") {
      if (!voters.includes(cc.node) && !learners.includes(cc.node)) throw bad("not a member");
      if (voters.length === 1 && voters[0] === cc.node) throw bad("it is the last voter");
    }
    const index = this.#appendEntries([{ kind: "conf_change", data: encodeConfChange(cc) }]);
    this.#pendingConfIndex = index;
    return index;
  }

  /** Applies a committed membership change (called as its entry is handed out for applying). */
  applyConfEntry(entry: Entry): void {
    this.conf = applyConfChange(this.conf, decodeConfChange(entry.data));
    this.confHistory.push({ index: entry.index, conf: this.conf });
    if (this.role !== "leader") return;
    if (!this.promotable()) {
      this.becomeFollower(this.term, NO_NODE);
      return;
    }
    const members = [...this.conf.voters, ...this.conf.learners];
    for (const id of [...this.prs.keys()]) if (!members.includes(id)) this.prs.delete(id);
    for (const id of members) {
      const pr = this.prs.get(id);
      if (pr === undefined) {
        const fresh = new Progress(this.log.lastIndex(), this.conf.learners.includes(id));
        fresh.recentActive = true;
        this.prs.set(id, fresh);
      } else pr.isLearner = this.conf.learners.includes(id);
    }
    if (this.leadTransferee !== NO_NODE && !this.conf.voters.includes(this.leadTransferee)) {
      this.leadTransferee = NO_NODE;
    }
    if (maybeCommit(this)) broadcastAppend(this);
    else for (const id of members) if (id !== this.id) sendAppend(this, id, false);
  }

  /** The host persisted the log up to `stable`: the leader counts its own copy now. */
  onPersisted(): void {
    if (this.role !== "leader") return;
    const self = this.prs.get(this.id);
    if (self === undefined || !self.maybeUpdate(this.log.stable)) return;
    if (maybeCommit(this)) broadcastAppend(this);
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /** Local compaction: `data` is the state machine at applied index `index`. */
  compact(index: LogIndex, data: Uint8Array): Snapshot {
    if (index > this.log.applied || index <= this.log.snapIndex()) {
      throw new RaftError(
        "compacted",
        `Cannot snapshot at ${index}: it must be above the snapshot (${this.log.snapIndex()}) ` +
          `and applied (${this.log.applied}).`,
      );
    }
    const snap: Snapshot = {
      meta: { index, term: this.log.term(index)!, confState: this.confAt(index) },
      data,
    };
    this.log.compact(snap);
    this.confHistory = [
      { index, conf: snap.meta.confState },
      ...this.confHistory.filter((h) => h.index > index),
    ];
    return snap;
  }

  // ---- reads and transfer ------------------------------------------------------------------

  /** Requests a linearizable read point; the answer comes back as a `ReadState`. */
  readIndex(ctx: Uint8Array): void {
    if (this.role === "leader") this.#leaderReadIndex(ctx, this.id);
    else if (this.lead !== NO_NODE) {
      this.send({ kind: "read_index", to: this.lead, term: toTerm(0), ctx });
    } else {
      throw new RaftError("not_leader", `Cannot read on node ${this.id}: no known leader.`);
    }
  }

  #leaderReadIndex(ctx: Uint8Array, from: NodeId): void {
    if (this.log.term(this.log.committed) !== this.term) {
      this.pendingReads.push({ ctx, from });
      return;
    }
    if (this.conf.voters.length === 1) {
      this.answerRead({ key: "", ctx, from, index: this.log.committed, acks: new Set() });
      return;
    }
    this.readOnly.add(ctx, from, this.log.committed, this.id);
    broadcastHeartbeat(this, ctx);
  }

  /** Serves the reads that waited for the first commit of this leader's term. */
  releasePendingReads(): void {
    if (this.pendingReads.length === 0 || this.log.term(this.log.committed) !== this.term) return;
    const reads = this.pendingReads;
    this.pendingReads = [];
    for (const r of reads) this.#leaderReadIndex(r.ctx, r.from);
  }

  /** Answers a confirmed read: a ReadState if it is ours, else a message to the follower. */
  answerRead(r: PendingRead): void {
    if (r.from === this.id) this.readStates.push({ index: r.index, ctx: r.ctx });
    else {
      this.send({
        kind: "read_index_resp",
        to: r.from,
        term: this.term,
        ctx: r.ctx,
        index: r.index,
      });
    }
  }

  /** Hands leadership to `target` once it has our whole log (forwarded when not leader). */
  transferLeader(target: NodeId): void {
    if (this.role !== "leader") {
      if (this.lead !== NO_NODE) {
        this.send({ kind: "transfer_leader", to: this.lead, term: toTerm(0), target });
      }
      return;
    }
    if (target === this.id || !this.conf.voters.includes(target)) return;
    if (this.leadTransferee === target) return;
    this.#electionElapsed = 0;
    this.leadTransferee = target;
    const pr = this.prs.get(target);
    if (pr !== undefined && pr.match === this.log.lastIndex()) {
      this.send({ kind: "timeout_now", to: target, term: this.term });
    } else sendAppend(this, target);
  }

  // ---- step ------------------------------------------------------------------------------------

  /** Feeds one message from a peer into the state machine. */
  step(m: Message): void {
    if (m.term === 0) {
      this.#stepLocal(m);
      return;
    }
    if (m.term > this.term) {
      if (m.kind === "vote" || m.kind === "pre_vote") {
        const inLease = this.cfg.checkQuorum && this.lead !== NO_NODE &&
          this.#electionElapsed < this.cfg.electionTick;
        if (!m.transfer && inLease) return;
      }
      if (m.kind === "pre_vote" || (m.kind === "pre_vote_resp" && !m.reject)) {
        // A pre-vote never changes terms; a granted one carries the term we would campaign in.
      } else {
        const fromLeader = m.kind === "append" || m.kind === "heartbeat" || m.kind === "snapshot";
        this.becomeFollower(m.term, fromLeader ? m.from : NO_NODE);
      }
    } else if (m.term < this.term) {
      if (m.kind === "append" || m.kind === "heartbeat" || m.kind === "snapshot") {
        // Tell a stale leader about the newer term so it steps down.
        this.send({
          kind: "append_resp",
          to: m.from,
          term: this.term,
          index: logIndex(0),
          reject: true,
          hintIndex: logIndex(0),
          hintTerm: toTerm(0),
        });
      } else if (m.kind === "pre_vote") {
        this.send({ kind: "pre_vote_resp", to: m.from, term: this.term, reject: true });
      }
      return;
    }
    if (m.kind === "vote" || m.kind === "pre_vote") {
      this.#handleVote(m);
      return;
    }
    switch (this.role) {
      case "leader":
        stepLeader(this, m);
        return;
      case "candidate":
      case "pre_candidate":
        this.#stepCandidate(m);
        return;
      case "follower":
        this.#stepFollower(m);
        return;
    }
  }

  #stepLocal(m: Message): void {
    if (m.kind === "read_index") {
      if (this.role === "leader") this.#leaderReadIndex(m.ctx, m.from);
    } else if (m.kind === "transfer_leader") {
      if (this.role === "leader") this.transferLeader(m.target);
    }
  }

  #handleVote(m: VoteMessage): void {
    const canVote = this.vote === m.from || (this.vote === NO_NODE && this.lead === NO_NODE) ||
      (m.kind === "pre_vote" && m.term > this.term);
    const respKind = m.kind === "vote" ? "vote_resp" : "pre_vote_resp";
    if (canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm)) {
      this.send({ kind: respKind, to: m.from, term: m.term, reject: false });
      if (m.kind === "vote") {
        this.#electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ kind: respKind, to: m.from, term: this.term, reject: true });
    }
  }

  #stepCandidate(m: Message): void {
    switch (m.kind) {
      case "append":
      case "heartbeat":
      case "snapshot":
        this.becomeFollower(m.term, m.from);
        this.#stepFollower(m);
        return;
      case "vote_resp":
      case "pre_vote_resp": {
        if ((m.kind === "vote_resp") !== (this.role === "candidate")) return;
        const result = this.#poll(m.from, !m.reject);
        if (result === "won") {
          if (this.role === "pre_candidate") this.#campaign(false, false);
          else this.#becomeLeader();
        } else if (result === "lost") this.becomeFollower(this.term, NO_NODE);
        return;
      }
      default:
        return;
    }
  }

  #stepFollower(m: Message): void {
    switch (m.kind) {
      case "append":
        this.#electionElapsed = 0;
        this.lead = m.from;
        handleAppend(this, m);
        return;
      case "heartbeat":
        this.#electionElapsed = 0;
        this.lead = m.from;
        handleHeartbeat(this, m);
        return;
      case "snapshot":
        this.#electionElapsed = 0;
        this.lead = m.from;
        handleSnapshot(this, m);
        return;
      case "timeout_now":
        this.campaign(true);
        return;
      case "read_index_resp":
        this.readStates.push({ index: m.index, ctx: m.ctx });
        return;
      default:
        return;
    }
  }

  // ---- leader ------------------------------------------------------------------------------
}
