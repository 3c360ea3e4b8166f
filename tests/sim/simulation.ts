import { decode, encode } from "@msgpack/msgpack";
import {
  canSendBeforePersist,
  type ConfChange,
  decodeConfChange,
  type Entry,
  logIndex,
  type Message,
  type NodeId,
  nodeId,
  type Raft,
  RaftError,
} from "../../src/raft/mod.ts";
import { Checker, Violation } from "./invariants.ts";
import { Network } from "./network.ts";
import { Prng } from "./prng.ts";
import { SimNode, type SimRaftConfig } from "./sim_node.ts";

/** Knobs of one run; the defaults are what CI and the soak use. */
export interface SimOptions {
  /** Simulated time units of faults and client traffic. */
  readonly faultTime?: number;
  /** Time allowed after healing for a leader to appear and every member to catch up. */
  readonly healTime?: number;
  /** Print every fault and membership event. */
  readonly trace?: boolean;
}

/** What one seed did. */
export interface SimStats {
  nodes: number;
  proposals: number;
  acked: number;
  readsServed: number;
  crashes: number;
  partitions: number;
  confChanges: number;
  snapshotsInstalled: number;
  /** Entries a leader applied while its own write of them was still in flight. */
  appliedBeforePersist: number;
  /** Appends and heartbeats a leader sent while a write of its was in flight. */
  sentDuringPersist: number;
  maxTerm: number;
  endTime: number;
}

/** The outcome of one seed. */
export interface SimResult {
  readonly seed: number;
  readonly violation: Violation | null;
  readonly stats: SimStats;
}

const TICK_EVERY = 5;
const enc = new TextEncoder();

/** Runs one seed to completion; the same seed always produces the same run. */
export function runSeed(seed: number, options: SimOptions = {}): SimResult {
  const sim = new Simulation(seed, options);
  try {
    sim.run();
    return { seed, violation: null, stats: sim.stats };
  } catch (e) {
    if (e instanceof Violation) return { seed, violation: e, stats: sim.stats };
    throw e;
  }
}

class Simulation {
  readonly rng: Prng;
  readonly net: Network;
  readonly nodes: SimNode[] = [];
  readonly checker = new Checker();
  readonly acked: string[] = [];
  #pending = new Map<string, NodeId>();
  #scheduled: { at: number; run: () => void }[] = [];
  #partitioned = false;
  #crashRate: number;
  #asyncHost: boolean;
  #churnRate: number;
  #lastLeaderTerm = 0;
  #removalProposed = new Set<NodeId>();
  #confApplied = new Set<number>();
  #initialVoters: number;
  #writes = 0;
  #readsIssued = 0;
  now = 0;
  readonly stats: SimStats;
  readonly cfg: SimRaftConfig;
  readonly faultTime: number;
  readonly healTime: number;

  constructor(readonly seed: number, readonly options: SimOptions) {
    this.rng = new Prng(seed);
    const rng = this.rng;
    this.faultTime = options.faultTime ?? 1500;
    this.healTime = options.healTime ?? 2000;
    const voters = rng.pick([3, 5, 5]);
    this.#initialVoters = voters;
    this.#crashRate = rng.pick([0.001, 0.003, 0.008]);
    this.#asyncHost = rng.chance(0.5);
    this.#churnRate = rng.pick([0, 0.5, 1]);
    const spares = rng.int(0, 2);
    this.cfg = {
      electionTick: 10,
      heartbeatTick: 2,
      maxInflight: rng.int(1, 8),
      maxSizePerMsg: rng.chance(0.5) ? 1 : rng.int(20, 400),
      preVote: rng.chance(0.85),
      checkQuorum: rng.chance(0.85),
      snapshotChunkSize: rng.int(64, 512),
    };
    this.net = new Network(rng.fork(), {
      dropRate: rng.pick([0, 0.02, 0.05, 0.15]),
      duplicateRate: rng.pick([0, 0.02, 0.1]),
      minDelay: 1,
      maxDelay: rng.pick([3, 8, 20]),
    });
    const ids = Array.from({ length: voters }, (_, i) => nodeId(i + 1));
    for (let i = 1; i <= voters + spares; i++) {
      const node = new SimNode(nodeId(i), this.cfg, rng.fork(), TICK_EVERY);
      if (i <= voters) node.bootstrap(ids);
      node.start();
      this.nodes.push(node);
    }
    this.stats = {
      nodes: voters + spares,
      proposals: 0,
      acked: 0,
      readsServed: 0,
      crashes: 0,
      partitions: 0,
      confChanges: 0,
      snapshotsInstalled: 0,
      appliedBeforePersist: 0,
      sentDuringPersist: 0,
      maxTerm: 0,
      endTime: 0,
    };
  }

  #trace(what: string): void {
    if (this.options.trace) console.log(`t=${this.now} ${what}`);
  }

  run(): void {
    for (; this.now < this.faultTime; this.now++) {
      this.#randomEvents();
      this.#step();
    }
    this.#heal();
    const end = this.now + this.healTime;
    for (; this.now < end; this.now++) {
      this.#step();
      if (this.now % 10 === 0 && this.#converged()) break;
    }
    this.stats.endTime = this.now;
    if (!this.#converged()) {
      const leader = this.#leader();
      throw new Violation(
        "liveness",
        leader === null
          ? `no leader ${this.healTime} time units after the faults healed`
          : `leader ${leader.id} (term ${leader.term}) has not brought every member up to date ` +
            `${this.healTime} time units after the faults healed; ${this.#describe(leader)}`,
      );
    }
  }

  // ---- the step -------------------------------------------------------------------------------

  #step(): void {
    const due = this.#scheduled.filter((s) => s.at <= this.now);
    if (due.length > 0) {
      this.#scheduled = this.#scheduled.filter((s) => s.at > this.now);
      for (const s of due) s.run();
    }
    for (const m of this.net.due(this.now)) {
      const n = this.nodes[m.to - 1];
      if (n?.raw) n.raw.step(m);
    }
    for (const n of this.nodes) {
      if (n.raw && this.now % TICK_EVERY === n.phase) n.raw.tick();
    }
    let changed = false;
    for (const n of this.nodes) {
      if (n.raw) this.stats.maxTerm = Math.max(this.stats.maxTerm, n.raw.raft.term);
    }
    for (const n of this.nodes) {
      if (n.raw === null) continue;
      if (n.inflight !== null) {
        // An asynchronous host: the node kept stepping while this Ready was being persisted.
        // A leader that sent early sends new appends at once and applies what its followers
        // commit meanwhile, as the driver does.
        if (n.inflight.early && n.raw.raft.term === n.store.hardState.term) {
          for (const m of n.raw.takeReplication()) {
            this.stats.sentDuringPersist++;
            this.net.send(this.now, this.#wire(m));
          }
        }
        const early = n.inflight.early ? n.raw.takeCommitted() : [];
        this.stats.appliedBeforePersist += early.length;
        if (this.#applyCommitted(n, early)) changed = true;
        // Applying may have crashed or removed the node.
        if (n.inflight !== null && n.raw !== null && this.now >= n.inflight.doneAt) {
          this.#completeReady(n);
          changed = true;
        }
      } else if (n.raw.hasReady()) {
        const delay = this.#asyncHost ? this.rng.int(0, 3) : 0;
        const rd = n.raw.ready();
        const early = this.#asyncHost &&
          canSendBeforePersist(n.raw.raft.role, rd, n.store.hardState);
        n.inflight = { rd, doneAt: this.now + delay, early };
        if (early) {
          for (const m of rd.messages) this.net.send(this.now, this.#wire(m));
          this.#applyCommitted(n, rd.committedEntries);
        }
        if (delay === 0 && n.inflight !== null) this.#completeReady(n);
        changed = true;
      }
    }
    if (changed) {
      const rafts: Raft[] = [];
      for (const n of this.nodes) if (n.raw) rafts.push(n.raw.raft);
      this.checker.checkNodes(rafts);
    }
  }

  /** Applies committed entries in order and acknowledges the writes this node proposed. */
  #applyCommitted(n: SimNode, entries: readonly Entry[]): boolean {
    const sm = n.sm!;
    for (const e of entries) {
      this.checker.checkApply(n.id, e, sm.applied + 1, this.stats.maxTerm);
      const id = sm.apply(e);
      if (e.kind === "conf_change") this.#onConfApplied(e.index, e.data);
      if (id !== null && this.#pending.get(id) === n.id) {
        this.#pending.delete(id);
        this.acked.push(id);
        this.stats.acked++;
      }
    }
    return entries.length > 0;
  }

  /** Does what a Ready asks, in order: persist, restore, send, apply, advance. */
  #completeReady(n: SimNode): void {
    const raw = n.raw!;
    const sm = n.sm!;
    const { rd, early } = n.inflight!;
    n.inflight = null;
    if (rd.snapshot !== undefined || rd.entries.length > 0 || rd.hardState !== undefined) {
      n.store.appendSync({ entries: rd.entries, hardState: rd.hardState, snapshot: rd.snapshot });
    }
    if (rd.snapshot !== undefined) {
      sm.restore(rd.snapshot.data);
      this.stats.snapshotsInstalled++;
    }
    if (!early) {
      for (const m of rd.messages) this.net.send(this.now, this.#wire(m));
      this.#applyCommitted(n, rd.committedEntries);
    }
    for (const rs of rd.readStates) {
      const r = n.reads.find((x) => x.state === null && sameBytes(x.ctx, rs.ctx));
      if (r) r.state = rs;
    }
    raw.advance();
    this.#serveReads(n);
    const compactEvery = 5 + (this.seed % 25);
    if (sm.applied - raw.raft.log.snapIndex() >= compactEvery) {
      const snap = raw.compact(logIndex(sm.applied), sm.snapshot());
      n.store.appendSync({ entries: [], snapshot: snap });
      n.store.compactSync(snap.meta.index);
    }
  }

  /** Sometimes sends a message through msgpack, as the real transport does. */
  #wire(m: Message): Message {
    return this.rng.chance(0.02) ? decode(encode(m)) as Message : m;
  }

  #serveReads(n: SimNode): void {
    const sm = n.sm!;
    n.reads = n.reads.filter((r) => {
      if (r.state === null || sm.applied < r.state.index) return true;
      for (let i = 0; i < r.ackedBefore; i++) {
        if (!sm.seen.has(this.acked[i])) {
          throw new Violation(
            "linearizable read",
            `node ${n.id} served a read at index ${r.state.index} missing write ${this.acked[i]} ` +
              "acknowledged before the read began",
          );
        }
      }
      this.stats.readsServed++;
      return false;
    });
  }

  #onConfApplied(index: number, data: Uint8Array): void {
    if (this.#confApplied.has(index)) return;
    this.#confApplied.add(index);
    if (index > 2 * this.#initialVoters) this.stats.confChanges++; // not the bootstrap ones
    const cc = decodeConfChange(data);
    this.#trace(`${cc.kind} ${cc.node} applied at ${index}`);
    const target = this.nodes[cc.node - 1];
    if (cc.kind !== "remove" || target === undefined || target.removed) return;
    target.removed = true;
    this.#trace(`node ${cc.node} removed`);
    // Without pre-vote and check-quorum a removed node can disrupt; operators stop it.
    if (!(this.cfg.preVote && this.cfg.checkQuorum)) target.crash();
  }

  // ---- faults and clients ---------------------------------------------------------------------

  #leader(): Raft | null {
    let best: Raft | null = null;
    for (const n of this.nodes) {
      const r = n.raw?.raft;
      if (r?.role === "leader" && (best === null || r.term > best.term)) best = r;
    }
    return best;
  }

  #randomEvents(): void {
    const rng = this.rng;
    if (rng.chance(0.1)) this.#propose();
    if (rng.chance(0.02)) this.#read();
    if (rng.chance(this.#crashRate)) this.#crash();
    this.#churn();
    if (!this.#partitioned && rng.chance(0.003)) this.#partition();
    if (rng.chance(0.004)) this.#changeMembership();
    if (rng.chance(0.001)) {
      const leader = this.#leader();
      if (leader !== null) {
        const to = rng.pick(leader.conf.voters);
        this.#trace(`transfer ${leader.id} -> ${to}`);
        leader.transferLeader(to);
      }
    }
  }

  #propose(): void {
    const leaders = this.nodes.filter((n) => n.raw?.raft.role === "leader");
    if (leaders.length === 0) return;
    const n = this.rng.pick(leaders);
    const id = `w${this.#writes++}`;
    try {
      n.raw!.propose(enc.encode(id));
      this.#pending.set(id, n.id);
      this.stats.proposals++;
    } catch (e) {
      if (!(e instanceof RaftError)) throw e;
    }
  }

  #read(): void {
    const up = this.nodes.filter((n) => n.raw !== null);
    if (up.length === 0) return;
    const n = this.rng.pick(up);
    const ctx = enc.encode(`r${this.#readsIssued++}`);
    try {
      n.raw!.readIndex(ctx);
      n.reads.push({ ctx, ackedBefore: this.acked.length, state: null });
    } catch (e) {
      if (!(e instanceof RaftError)) throw e;
    }
  }

  #crash(): void {
    const up = this.nodes.filter((n) => n.raw !== null && !n.removed);
    if (up.length === 0) return;
    const leaders = up.filter((n) => n.raw!.raft.role === "leader");
    const n = leaders.length > 0 && this.rng.chance(0.6)
      ? this.rng.pick(leaders)
      : this.rng.pick(up);
    this.#crashNode(n);
  }

  /**
   * Leader churn: a new leader is sometimes crashed soon after it wins, before its entries
   * reach everyone. Short-lived leaders leave the divergent logs of the paper's Figure 8,
   * which is what exposes commit-rule bugs.
   */
  #churn(): void {
    const leader = this.#leader();
    if (leader === null || leader.term === this.#lastLeaderTerm) return;
    this.#lastLeaderTerm = leader.term;
    if (!this.rng.chance(this.#churnRate)) return;
    const n = this.nodes[leader.id - 1];
    const t = leader.term;
    this.#scheduled.push({
      at: this.now + this.rng.int(1, 25),
      run: () => {
        if (n.raw?.raft.role === "leader" && n.raw.raft.term === t) this.#crashNode(n);
      },
    });
  }

  #crashNode(n: SimNode): void {
    this.stats.crashes++;
    // Sometimes crash in the middle of handling a Ready: after persisting or before it.
    if (n.inflight === null && n.raw!.hasReady() && this.rng.chance(0.5)) {
      n.inflight = { rd: n.raw!.ready(), doneAt: this.now, early: false };
    }
    if (n.inflight !== null) {
      const rd = n.inflight.rd;
      if (this.rng.chance(0.5)) {
        n.store.appendSync({ entries: rd.entries, hardState: rd.hardState, snapshot: rd.snapshot });
      }
    }
    n.crash();
    this.#trace(`crash ${n.id}`);
    this.#scheduled.push({
      at: this.now + this.rng.int(10, 200),
      run: () => {
        if (n.raw === null && !(n.removed && !(this.cfg.preVote && this.cfg.checkQuorum))) {
          n.start();
          this.#trace(`restart ${n.id}`);
        }
      },
    });
  }

  #partition(): void {
    const rng = this.rng;
    const ids = this.nodes.map((n) => n.id);
    const leader = this.#leader();
    const kind = rng.int(0, 3);
    if (kind === 0) {
      const side = new Set(ids.filter(() => rng.chance(0.5)));
      for (const a of ids) for (const b of ids) if (side.has(a) !== side.has(b)) this.net.cut(a, b);
      this.#trace(`partition symmetric [${[...side]}]`);
    } else if (kind === 1) {
      for (const a of ids) for (const b of ids) if (a !== b && rng.chance(0.3)) this.net.cut(a, b);
      this.#trace(`partition asymmetric`);
    } else if (leader !== null) {
      for (const b of ids) {
        if (b === leader.id) continue;
        this.net.cut(b, leader.id);
        if (kind === 2) this.net.cut(leader.id, b);
      }
      this.#trace(`partition leader ${leader.id} ${kind === 2 ? "isolated" : "deaf"}`);
    } else return;
    this.#partitioned = true;
    this.stats.partitions++;
    this.#scheduled.push({
      at: this.now + rng.int(30, 400),
      run: () => {
        this.net.healAll();
        this.#partitioned = false;
        this.#trace("partition healed");
      },
    });
  }

  #changeMembership(): void {
    const leader = this.#leader();
    if (leader === null) return;
    const { voters, learners } = leader.conf;
    const members = new Set([...voters, ...learners]);
    const options: ConfChange[] = [];
    for (const n of this.nodes) {
      // Ids are never reused: a node whose removal was ever proposed never comes back.
      if (!members.has(n.id) && !this.#removalProposed.has(n.id)) {
        options.push({ kind: "add_learner", node: n.id });
      }
    }
    for (const l of learners) options.push({ kind: "promote", node: l });
    if (voters.length > 3) { for (const v of voters) options.push({ kind: "remove", node: v }); }
    for (const l of learners) options.push({ kind: "remove", node: l });
    if (options.length === 0) return;
    const cc = this.rng.pick(options);
    try {
      leader.proposeConfChange(cc);
      if (cc.kind === "remove") this.#removalProposed.add(cc.node);
      this.#trace(`propose ${cc.kind} ${cc.node} via ${leader.id}`);
    } catch (e) {
      if (!(e instanceof RaftError)) throw e;
    }
  }

  #heal(): void {
    this.#trace("heal");
    this.net.healAll();
    this.net.faults = { ...this.net.faults, dropRate: 0 };
    this.#scheduled = [];
    this.#partitioned = false;
    for (const n of this.nodes) {
      if (n.raw === null && !(n.removed && !(this.cfg.preVote && this.cfg.checkQuorum))) n.start();
    }
  }

  #describe(leader: Raft): string {
    const parts: string[] = [];
    for (const n of this.nodes) {
      if (n.raw === null) {
        parts.push(`${n.id}: down`);
        continue;
      }
      const r = n.raw.raft;
      const pr = leader.prs.get(n.id);
      parts.push(
        `${n.id}: ${r.role} t${r.term} commit ${r.log.committed} applied ${n.sm!.applied} ` +
          `last ${r.log.lastIndex()} snap ${r.log.snapIndex()}` +
          (pr ? ` [${pr.state} match ${pr.match} next ${pr.next}]` : "") +
          (n.removed ? " removed" : ""),
      );
    }
    const conf = leader.conf;
    const missing = this.acked.filter((w) =>
      [...conf.voters, ...conf.learners].some((id) => !this.nodes[id - 1].sm?.seen.has(w))
    );
    return `${parts.join("; ")}; conf ${JSON.stringify(conf)}; missing ${missing.slice(0, 5)}`;
  }

  #converged(): boolean {
    const leader = this.#leader();
    if (leader === null) return false;
    for (const id of [...leader.conf.voters, ...leader.conf.learners]) {
      const n = this.nodes[id - 1];
      if (n.sm === null || n.raw === null) return false;
      if (n.raw.raft.log.committed < leader.log.committed) return false;
      if (n.sm.applied < leader.log.committed) return false;
      for (const w of this.acked) if (!n.sm.seen.has(w)) return false;
    }
    return true;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
