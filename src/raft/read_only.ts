import type { LogIndex, NodeId } from "./types.ts";

/** One ReadIndex request waiting for a quorum of heartbeat acknowledgements. */
export interface PendingRead {
  readonly key: string;
  readonly ctx: Uint8Array;
  /** Who asked: the leader itself or a follower that forwarded the request. */
  readonly from: NodeId;
  /** The leader's commit index when the request arrived. */
  readonly index: LogIndex;
  readonly acks: Set<NodeId>;
}

/** Hex of a ctx, so requests can be matched by value. */
export function ctxKey(ctx: Uint8Array): string {
  let s = "";
  for (const b of ctx) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * The leader's queue of ReadIndex requests (etcd's read_only.go, safe mode): a request is
 * answered once a quorum acknowledged a heartbeat sent after it arrived, which proves no newer
 * leader existed when its commit index was recorded. Acknowledging a request also confirms
 * every request queued before it.
 */
export class ReadOnly {
  #queue: PendingRead[] = [];

  /** Queues a request unless one with the same ctx is already pending. */
  add(ctx: Uint8Array, from: NodeId, index: LogIndex, self: NodeId): void {
    const key = ctxKey(ctx);
    if (this.#queue.some((r) => r.key === key)) return;
    this.#queue.push({ key, ctx, from, index, acks: new Set([self]) });
  }

  /** Records `from`'s acknowledgement of the heartbeat carrying `ctx`; returns its ack count. */
  ack(ctx: Uint8Array, from: NodeId): Set<NodeId> | null {
    const key = ctxKey(ctx);
    const r = this.#queue.find((p) => p.key === key);
    if (r === undefined) return null;
    r.acks.add(from);
    return r.acks;
  }

  /** Removes and returns every request up to and including the one with `ctx`. */
  advance(ctx: Uint8Array): PendingRead[] {
    const key = ctxKey(ctx);
    const at = this.#queue.findIndex((p) => p.key === key);
    if (at < 0) return [];
    return this.#queue.splice(0, at + 1);
  }

  /** The ctx of the newest pending request, which a heartbeat should carry. */
  lastCtx(): Uint8Array | undefined {
    return this.#queue.at(-1)?.ctx;
  }

  /** Drops every pending request (on losing leadership). */
  reset(): void {
    this.#queue = [];
  }

  /** Number of requests waiting. */
  get size(): number {
    return this.#queue.length;
  }
}
