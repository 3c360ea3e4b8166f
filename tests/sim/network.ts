import type { Message, NodeId } from "../../src/raft/mod.ts";
import type { Prng } from "./prng.ts";

/** Fault knobs of the simulated network, drawn per seed. */
export interface NetworkFaults {
  dropRate: number;
  duplicateRate: number;
  minDelay: number;
  maxDelay: number;
}

/**
 * A simulated network: every message gets a random delay (so messages reorder), may be
 * dropped or duplicated, and is lost when its link is cut at send or delivery time. Links are
 * directed, so asymmetric partitions are just some cut links.
 */
export class Network {
  #buckets = new Map<number, Message[]>();
  #count = 0;
  #cut = new Set<number>();
  faults: NetworkFaults;

  /** A network drawing delays and losses from `rng`. */
  constructor(readonly rng: Prng, faults: NetworkFaults) {
    this.faults = faults;
  }

  #key(from: NodeId, to: NodeId): number {
    return from * 65536 + to;
  }

  /** Cuts the directed link from → to. */
  cut(from: NodeId, to: NodeId): void {
    this.#cut.add(this.#key(from, to));
  }

  /** True when from → to is cut. */
  isCut(from: NodeId, to: NodeId): boolean {
    return this.#cut.size > 0 && this.#cut.has(this.#key(from, to));
  }

  /** Restores every link. */
  healAll(): void {
    this.#cut.clear();
  }

  /** Queues a message sent at time `now`. */
  send(now: number, msg: Message): void {
    const f = this.faults;
    if (this.isCut(msg.from, msg.to) || this.rng.chance(f.dropRate)) return;
    const copies = this.rng.chance(f.duplicateRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const at = now + this.rng.int(f.minDelay, f.maxDelay);
      const bucket = this.#buckets.get(at);
      if (bucket === undefined) this.#buckets.set(at, [msg]);
      else bucket.push(msg);
      this.#count++;
    }
  }

  /** Removes and returns the messages due at `now` (call once per time unit), in send order. */
  due(now: number): Message[] {
    const bucket = this.#buckets.get(now);
    if (bucket === undefined) return [];
    this.#buckets.delete(now);
    this.#count -= bucket.length;
    return this.#cut.size === 0 ? bucket : bucket.filter((m) => !this.isCut(m.from, m.to));
  }

  /** Messages still in flight. */
  get pending(): number {
    return this.#count;
  }
}
