/**
 * A hand-driven cluster for scripted raft scenarios: messages move only when a test says
 * so, and nothing is random (`random` returns 0, so every election timeout is exactly
 * `electionTick`).
 */
import {
  bootstrapState,
  type Entry,
  type HardState,
  logIndex,
  MemoryLogStore,
  type Message,
  type NodeId,
  nodeId,
  type Raft,
  type RaftConfig,
  RawNode,
  type ReadState,
  term as raftTerm,
} from "../../src/raft/mod.ts";

/** One scripted node: its store, its RawNode and what it applied. */
export class TestNode {
  readonly store = new MemoryLogStore();
  raw!: RawNode;
  applied: Entry[] = [];
  readStates: ReadState[] = [];
  hardStates: HardState[] = [];

  /** A node with `id`; call `start` after seeding its store. */
  constructor(readonly id: NodeId, readonly cfg: Partial<RaftConfig>) {}

  /** (Re)starts from the store, dropping volatile state. */
  start(): this {
    this.raw = new RawNode(
      { electionTick: 10, heartbeatTick: 1, ...this.cfg, id: this.id, random: () => 0 },
      this.store.loadSync(),
    );
    this.applied = [];
    return this;
  }

  /** The raft state machine inside. */
  get raft(): Raft {
    return this.raw.raft;
  }

  /** Handles every pending Ready (persist, apply, advance); returns the messages to send. */
  process(): Message[] {
    const out: Message[] = [];
    while (this.raw.hasReady()) {
      const rd = this.raw.ready();
      this.store.appendSync({
        entries: rd.entries,
        hardState: rd.hardState,
        snapshot: rd.snapshot,
      });
      if (rd.hardState) this.hardStates.push(rd.hardState);
      out.push(...rd.messages);
      this.applied.push(...rd.committedEntries);
      this.readStates.push(...rd.readStates);
      this.raw.advance();
    }
    return out;
  }
}

/** Decides whether a message is delivered (true), dropped (false) or replaced (a Message). */
export type Filter = (m: Message) => boolean | Message;

/** A scripted cluster: `ids` bootstrapped as voters, extra nodes started empty. */
export class TestCluster {
  readonly nodes = new Map<number, TestNode>();
  /** Messages sent but not yet delivered. */
  inflight: Message[] = [];
  /** Every message ever sent, for assertions. */
  sent: Message[] = [];
  filter: Filter = () => true;

  /**
   * Builds and starts the nodes. `logs` gives, per voter, the terms of entries to add after
   * the bootstrap entries (same index and term → same data), and `term` their hard-state term.
   */
  constructor(
    voters: number[],
    cfg: Partial<RaftConfig> = {},
    extra: number[] = [],
    logs: Record<number, number[]> = {},
    term = 1,
  ) {
    const ids = voters.map(nodeId);
    for (const id of voters) {
      const n = new TestNode(nodeId(id), cfg);
      const s = bootstrapState(ids);
      const entries: Entry[] = [...s.entries];
      for (const t of logs[id] ?? []) {
        const index = logIndex(entries.length + 1);
        const data = new TextEncoder().encode(`t${t}i${index}`);
        entries.push({ term: raftTerm(t), index, kind: "normal", data });
      }
      n.store.appendSync({ entries, hardState: { ...s.hardState, term: raftTerm(term) } });
      this.nodes.set(id, n.start());
    }
    for (const id of extra) this.nodes.set(id, new TestNode(nodeId(id), cfg).start());
    this.flush();
  }

  /** The node with `id`. */
  n(id: number): TestNode {
    return this.nodes.get(id)!;
  }

  /** Collects the Ready output of every node into `inflight`. */
  flush(): void {
    for (const n of this.nodes.values()) {
      const msgs = n.process();
      this.sent.push(...msgs);
      this.inflight.push(...msgs);
    }
  }

  /** Delivers what is in flight (through `filter`) once; returns how many were delivered. */
  deliverOnce(): number {
    const batch = this.inflight;
    this.inflight = [];
    let n = 0;
    for (const m of batch) {
      const verdict = this.filter(m);
      if (verdict === false) continue;
      this.nodes.get(m.to)?.raw.step(verdict === true ? m : verdict);
      n++;
    }
    this.flush();
    return n;
  }

  /** Delivers until nothing is in flight. */
  stabilize(): void {
    for (let i = 0; i < 1000 && this.inflight.length > 0; i++) this.deliverOnce();
  }

  /** Ticks every node `times` times, stabilizing after each tick. */
  tick(times = 1, ids: number[] = [...this.nodes.keys()]): void {
    for (let i = 0; i < times; i++) {
      for (const id of ids) this.n(id).raw.tick();
      this.flush();
      this.stabilize();
    }
  }

  /** Makes `id` campaign and lets the election play out. */
  elect(id: number): void {
    this.n(id).raw.campaign();
    this.flush();
    this.stabilize();
  }

  /** Cuts `id` off from everyone (both directions). */
  isolate(id: number): void {
    this.filter = (m) => m.from !== id && m.to !== id;
  }

  /** Restores all links. */
  heal(): void {
    this.filter = () => true;
  }

  /** Proposes `text` on `id` and lets it replicate. */
  propose(id: number, text: string): void {
    this.n(id).raw.propose(new TextEncoder().encode(text));
    this.flush();
    this.stabilize();
  }

  /** Leaders currently believing they lead. */
  leaders(): number[] {
    return [...this.nodes.values()].filter((n) => n.raft.role === "leader").map((n) => n.id);
  }
}

/** The texts of the normal entries a node applied. */
export function appliedTexts(n: TestNode): string[] {
  const dec = new TextDecoder();
  return n.applied.filter((e) => e.kind === "normal").map((e) => dec.decode(e.data));
}
