import {
  bootstrapState,
  MemoryLogStore,
  type NodeId,
  type RaftConfig,
  RawNode,
  type ReadState,
  type Ready,
} from "../../src/raft/mod.ts";
import type { Prng } from "./prng.ts";
import { SimStateMachine } from "./state_machine.ts";

/** The per-seed raft settings every simulated node shares. */
export type SimRaftConfig = Omit<RaftConfig, "id" | "random">;

/** A read waiting for its ReadIndex answer and then for the state machine to catch up. */
export interface SimRead {
  readonly ctx: Uint8Array;
  /** How many writes were acknowledged when the read began: all must be visible. */
  readonly ackedBefore: number;
  state: ReadState | null;
}

/**
 * One simulated host: a durable `MemoryLogStore` that survives crashes, and a volatile
 * `RawNode` + state machine that a crash throws away.
 */
export class SimNode {
  readonly store = new MemoryLogStore();
  raw: RawNode | null = null;
  sm: SimStateMachine | null = null;
  reads: SimRead[] = [];
  /**
   * A Ready taken from the node whose persistence completes at `doneAt`. `early`: a leader
   * that sent its messages and applied its committed entries before persisting, as the driver
   * does; it applies what commits while the write is in flight.
   */
  inflight: { rd: Ready; doneAt: number; early: boolean } | null = null;
  /** Removed from the cluster by a committed conf change (as seen by the test). */
  removed = false;
  /** Ticks happen when `now % tickEvery === phase`. */
  readonly phase: number;

  /** A node that starts crashed; call `bootstrap` or `start`. */
  constructor(
    readonly id: NodeId,
    readonly cfg: SimRaftConfig,
    readonly rng: Prng,
    tickEvery: number,
  ) {
    this.phase = rng.int(0, tickEvery - 1);
  }

  /** Persists the bootstrap membership (initial voters only). */
  bootstrap(voters: readonly NodeId[]): void {
    const s = bootstrapState(voters);
    this.store.appendSync({ entries: s.entries, hardState: s.hardState });
  }

  /** (Re)starts from what the store holds, as a restarted process would. */
  start(): void {
    const state = this.store.loadSync();
    const rng = this.rng.fork();
    this.raw = new RawNode({ ...this.cfg, id: this.id, random: () => rng.next() }, state);
    this.sm = new SimStateMachine();
    this.inflight = null;
    if (state.snapshot !== null) this.sm.restore(state.snapshot.data);
    this.reads = [];
  }

  /** Loses everything not persisted. */
  crash(): void {
    this.inflight = null;
    this.raw = null;
    this.sm = null;
    this.reads = [];
  }

  /** True when running. */
  get up(): boolean {
    return this.raw !== null;
  }
}
