// The meta state machine Raft drives: decode each committed entry, apply it, swap in the
// new state, then wake whoever waits for that index (InfluxDB's client.go commit habit).
// It matches `StateMachine` in src/raft/storage.ts structurally; it does not import raft.

import { applyCommand } from "./apply.ts";
import type { ApplyResult } from "./apply_result.ts";
import { decodeCommand } from "./commands.ts";
import { MetaError } from "./errors.ts";
import { decodeMetaData, encodeMetaData } from "./snapshot.ts";
import { emptyMetaData, type MetaData } from "./types.ts";

/** The fields of a Raft log entry the meta state machine reads. */
export interface MetaLogEntry {
  readonly index: number;
  /** Only "normal" entries carry commands; "empty" and "conf_change" just advance the index. */
  readonly kind: string;
  readonly data: Uint8Array;
}

/** Called after every applied entry with the new state. */
export type MetaListener = (data: MetaData) => void;

interface Waiter {
  readonly index: number;
  readonly resolve: (data: MetaData) => void;
}

const STALE: ApplyResult = { kind: "ok" };

/** Holds the current MetaData and advances it one committed entry at a time. */
export class MetaStateMachine {
  #data: MetaData;
  #waiters: Waiter[] = [];
  #listeners = new Set<MetaListener>();

  /** Starts from `initial` (default: the empty state). */
  constructor(initial: MetaData = emptyMetaData()) {
    this.#data = initial;
  }

  /** The current state. It is immutable: keep it as long as you like. */
  data(): MetaData {
    return this.#data;
  }

  /** Index of the last applied entry. */
  appliedIndex(): number {
    return this.#data.index;
  }

  /**
   * Applies one committed entry and returns the proposer's result. Entries at or below the
   * applied index are ignored (already reflected, e.g. by a restored snapshot). A normal
   * entry that does not decode is rejected with a `badCommand` error, identically on every
   * replica, and still advances the index.
   */
  apply(entry: MetaLogEntry): ApplyResult {
    if (entry.index <= this.#data.index) return STALE;
    let result: ApplyResult = { kind: "ok" };
    let next = this.#data;
    if (entry.kind === "normal" && entry.data.length > 0) {
      try {
        const applied = applyCommand(next, decodeCommand(entry.data));
        next = applied.data;
        result = applied.result;
      } catch (err) {
        if (!(err instanceof MetaError)) throw err;
        result = { kind: "error", error: err.toData() };
      }
    }
    this.#publish({ ...next, index: entry.index });
    return result;
  }

  /** The current state as snapshot bytes. */
  snapshot(): Uint8Array {
    return encodeMetaData(this.#data);
  }

  /** Replaces the state with a snapshot's; throws SnapshotError on unreadable bytes. */
  restore(bytes: Uint8Array): void {
    this.#publish(decodeMetaData(bytes));
  }

  /**
   * Resolves with the state once the applied index is at least `index` (at once if it
   * already is). Rejects with the signal's reason if `signal` aborts first. Used for long
   * polling: wait for `lastSeenIndex + 1`.
   */
  waitForIndex(index: number, signal?: AbortSignal): Promise<MetaData> {
    if (this.#data.index >= index) return Promise.resolve(this.#data);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        index,
        resolve: (d) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(d);
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Calls `listener` after every applied entry or restore; returns an unsubscribe function. */
  subscribe(listener: MetaListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #publish(next: MetaData): void {
    this.#data = next;
    if (this.#waiters.length > 0) {
      const ready = this.#waiters.filter((w) => w.index <= next.index);
      if (ready.length > 0) {
        this.#waiters = this.#waiters.filter((w) => w.index > next.index);
        for (const w of ready) w.resolve(next);
      }
    }
    for (const l of this.#listeners) l(next);
  }
}
