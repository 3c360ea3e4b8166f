import type { Entry, NodeId } from "../raft/mod.ts";
import { ProposalDroppedError, RaftTimeoutError } from "./raft_driver_errors.ts";

interface Waiter {
  readonly deadline: number;
  readonly reject: (e: Error) => void;
}
interface Proposal extends Waiter {
  readonly term: number;
  readonly resolve: (v: unknown) => void;
}
interface Read extends Waiter {
  index: number | null;
  readonly resolve: () => void;
}
interface Transfer extends Waiter {
  readonly target: NodeId;
  readonly resolve: () => void;
}

/**
 * The driver's outstanding requests and the rules that settle them: a proposal when its
 * index is applied (with its term: answered; with another term: dropped), a read when the
 * state machine reaches its read index, a transfer when the target is seen leading, and any
 * of them when its deadline (in ticks) passes. Deadlines grow with insertion order, so
 * expiry stops at the first live request.
 */
export class PendingRequests {
  readonly #proposals = new Map<number, Proposal>();
  readonly #reads = new Map<string, Read>();
  #transfers: Transfer[] = [];

  /** Waits for the entry proposed at (`index`, `term`) to be applied. */
  proposal(index: number, term: number, deadline: number): Promise<unknown> {
    const earlier = this.#proposals.get(index);
    if (earlier !== undefined) {
      // A new entry was just written at this index, so the earlier one there was truncated.
      this.#proposals.delete(index);
      earlier.reject(new ProposalDroppedError(`Entry ${index} was overwritten; retry`));
    }
    return new Promise((resolve, reject) => {
      this.#proposals.set(index, { term, resolve, reject, deadline });
    });
  }

  /** Settles the proposal at `e.index`, if any, now that `e` was applied with `result`. */
  applied(e: Entry, result: unknown): void {
    const p = this.#proposals.get(e.index);
    if (p === undefined) return;
    this.#proposals.delete(e.index);
    if (p.term === e.term) p.resolve(result);
    else {
      p.reject(
        new ProposalDroppedError(
          `Entry ${e.index} was overwritten by a new leader (term ${e.term}); retry`,
        ),
      );
    }
  }

  /** Fails proposals at or below `index`, whose entries a received snapshot replaced. */
  replacedBySnapshot(index: number): void {
    for (const [i, p] of this.#proposals) {
      if (i > index) continue;
      this.#proposals.delete(i);
      p.reject(new ProposalDroppedError(`Entry ${i} was replaced by a snapshot; retry`));
    }
  }

  /** Waits for the read `key` to get its read index and for `applied` to reach it. */
  read(key: string, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#reads.set(key, { index: null, resolve, reject, deadline });
    });
  }

  /** Records the read index the leader answered for `key`. */
  readIndex(key: string, index: number): void {
    const r = this.#reads.get(key);
    if (r !== undefined) r.index = index;
  }

  /** Answers every read whose index the state machine has reached. */
  releaseReads(applied: number): void {
    for (const [key, r] of this.#reads) {
      if (r.index !== null && r.index <= applied) {
        this.#reads.delete(key);
        r.resolve();
      }
    }
  }

  /** Waits until `target` is seen leading. */
  transfer(target: NodeId, deadline: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#transfers.push({ target, resolve, reject, deadline });
    });
  }

  /** Targets of pending transfers (the driver re-asks the core each tick). */
  transferTargets(): NodeId[] {
    return this.#transfers.map((t) => t.target);
  }

  /** Answers the transfers to `leader`. */
  leaderIs(leader: NodeId): void {
    this.#transfers = this.#transfers.filter((t) => {
      if (t.target !== leader) return true;
      t.resolve();
      return false;
    });
  }

  /** Fails every request whose deadline is at or before tick `now`. */
  expire(now: number): void {
    for (const [index, p] of this.#proposals) {
      if (p.deadline > now) break;
      this.#proposals.delete(index);
      p.reject(new RaftTimeoutError(`entry ${index} to be applied`));
    }
    for (const [key, r] of this.#reads) {
      if (r.deadline > now) break;
      this.#reads.delete(key);
      r.reject(new RaftTimeoutError("a read index"));
    }
    this.#transfers = this.#transfers.filter((t) => {
      if (t.deadline > now) return true;
      t.reject(new RaftTimeoutError(`node ${t.target} to take over leadership`));
      return false;
    });
  }

  /** Fails everything with `reason`. */
  failAll(reason: Error): void {
    for (const p of this.#proposals.values()) p.reject(reason);
    for (const r of this.#reads.values()) r.reject(reason);
    for (const t of this.#transfers) t.reject(reason);
    this.#proposals.clear();
    this.#reads.clear();
    this.#transfers = [];
  }
}
