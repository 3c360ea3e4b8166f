import type { AppendMessage, AppendRespMessage, Message } from "../raft/mod.ts";

/**
 * Merges the messages of one Ready that a peer would process back to back anyway, so a burst
 * of proposals costs one append (and one answer) per peer instead of one per proposal:
 *   - an append that continues the previous append to the same peer (its prevIndex/prevTerm
 *     is that append's last entry) joins it, carrying the later (higher) commit;
 *   - a successful append_resp replaces the previous successful one to the same peer in the
 *     same term when it acknowledges at least as much.
 * Only the latest message to a peer is ever merged into, so each peer still receives its
 * messages in order. What a peer ends up with is what it would have after the separate
 * messages; leaving out a redundant message is what a lossy network may do anyway.
 */
export function coalesceMessages(messages: readonly Message[]): Message[] {
  if (messages.length < 2) return messages as Message[];
  const out: Message[] = [];
  const lastTo = new Map<number, number>();
  for (const m of messages) {
    const at = lastTo.get(m.to);
    const prev = at === undefined ? undefined : out[at];
    if (prev !== undefined && at !== undefined) {
      const merged = mergePair(prev, m);
      if (merged !== null) {
        out[at] = merged;
        continue;
      }
    }
    lastTo.set(m.to, out.length);
    out.push(m);
  }
  return out;
}

function mergePair(a: Message, b: Message): Message | null {
  if (a.term !== b.term || a.from !== b.from) return null;
  if (a.kind === "append" && b.kind === "append") return mergeAppends(a, b);
  if (a.kind === "append_resp" && b.kind === "append_resp") return mergeAcks(a, b);
  return null;
}

function mergeAppends(a: AppendMessage, b: AppendMessage): AppendMessage | null {
  const n = a.entries.length;
  const lastIndex = a.prevIndex + n;
  const lastTerm = n === 0 ? a.prevTerm : a.entries[n - 1].term;
  if (b.prevIndex !== lastIndex || b.prevTerm !== lastTerm) return null;
  return {
    ...a,
    entries: b.entries.length === 0 ? a.entries : n === 0 ? b.entries : a.entries.concat(b.entries),
    commit: Math.max(a.commit, b.commit) as AppendMessage["commit"],
  };
}

function mergeAcks(a: AppendRespMessage, b: AppendRespMessage): AppendRespMessage | null {
  if (a.reject || b.reject || b.index < a.index) return null;
  return b;
}

/**
 * Sends a leader's messages, holding commit-only appends (no entries, to a peer that is
 * replicating) for up to `holdMs` so they ride along with the next append to that peer. Under
 * load a commit update then costs no message of its own, and it never sits between a commit
 * and the answer to the client. Holding a message is what a slow network does: harmless.
 */
export class Outbox {
  readonly #send: (m: Message) => void;
  readonly #holdMs: number;
  readonly #canHold: (m: AppendMessage) => boolean;
  readonly #held = new Map<number, Message>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `send` puts one message on the wire; `canHold` says whether a commit update may wait. */
  constructor(
    send: (m: Message) => void,
    holdMs: number,
    canHold: (m: AppendMessage) => boolean,
  ) {
    this.#send = send;
    this.#holdMs = holdMs;
    this.#canHold = canHold;
  }

  /** Sends one Ready's messages, merged where possible, keeping each peer's order. */
  send(messages: readonly Message[]): void {
    for (const m of coalesceMessages(messages)) {
      const held = this.#held.get(m.to);
      if (held !== undefined) this.#held.delete(m.to);
      const run = held === undefined ? [m] : coalesceMessages([held, m]);
      const last = run[run.length - 1];
      if (this.#holdMs > 0 && last.kind === "append" && last.entries.length === 0) {
        if (this.#canHold(last)) {
          for (const x of run.slice(0, -1)) this.#send(x);
          this.#held.set(m.to, last);
          continue;
        }
      }
      for (const x of run) this.#send(x);
    }
    if (this.#held.size > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), this.#holdMs);
    }
  }

  /** Sends everything held now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const held = [...this.#held.values()];
    this.#held.clear();
    for (const m of held) this.#send(m);
  }

  /** Drops what is held (the node is closing). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held.clear();
  }
}
