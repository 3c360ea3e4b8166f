import { RaftError } from "./errors.ts";
import type { LogStore, PersistBatch, PersistedState } from "./storage.ts";
import type { Entry, HardState, LogIndex, Snapshot } from "./types.ts";
import { logIndex, NO_NODE, term } from "./types.ts";

/** The hard state of a node that never persisted anything. */
export const EMPTY_HARD_STATE: HardState = { term: term(0), vote: NO_NODE, commit: logIndex(0) };

/**
 * An in-memory `LogStore` with exactly the documented contract. Each call is atomic. The
 * `*Sync` variants do the same work synchronously, for the deterministic simulator.
 */
export class MemoryLogStore implements LogStore {
  #hardState: HardState = EMPTY_HARD_STATE;
  #snapshot: Snapshot | null = null;
  #entries: Entry[] = [];
  #closed = false;

  /**
   * A store holding `state` as if it had been appended (hosts that keep the log elsewhere
   * rebuild it with this). Entries must be contiguous.
   */
  static from(state: PersistedState): MemoryLogStore {
    const s = new MemoryLogStore();
    assertContiguous(state.entries);
    s.#hardState = state.hardState;
    s.#snapshot = state.snapshot;
    s.#entries = [...state.entries];
    return s;
  }

  /** The hard state on "disk". */
  get hardState(): HardState {
    return this.#hardState;
  }

  /** The snapshot on "disk". */
  get snapshot(): Snapshot | null {
    return this.#snapshot;
  }

  /** Synchronous `load()`. */
  loadSync(): PersistedState {
    this.#open();
    return { hardState: this.#hardState, snapshot: this.#snapshot, entries: [...this.#entries] };
  }

  /** Synchronous `append()`: validates the whole batch first, so a failure changes nothing. */
  appendSync(batch: PersistBatch): void {
    this.#open();
    let entries = this.#entries;
    let snapshot = this.#snapshot;
    if (batch.snapshot !== undefined) {
      const meta = batch.snapshot.meta;
      if (snapshot !== null && meta.index < snapshot.meta.index) {
        throw new RaftError(
          "snapshot_out_of_date",
          `Snapshot at index ${meta.index} is older than the stored one at ${snapshot.meta.index}; ` +
            "persist only newer snapshots.",
        );
      }
      snapshot = batch.snapshot;
      const at = entries.find((e) => e.index === meta.index);
      if (at === undefined || at.term !== meta.term) entries = [];
    }
    if (batch.entries.length > 0) {
      const first = batch.entries[0].index;
      const snapIndex = snapshot?.meta.index ?? 0;
      const last = entries.length > 0 ? entries[entries.length - 1].index : snapIndex;
      if (first <= snapIndex || first > last + 1) {
        throw new RaftError(
          "log_gap",
          `Cannot store entries from index ${first}: the log holds up to ${last} and the ` +
            `snapshot covers up to ${snapIndex}; append from at most ${last + 1}.`,
        );
      }
      assertContiguous(batch.entries);
      if (first === last + 1 && entries === this.#entries) {
        // The common case, an append at the end: O(batch), not O(log).
        for (const e of batch.entries) entries.push(e);
      } else entries = entries.filter((e) => e.index < first).concat(batch.entries);
    }
    this.#entries = entries;
    this.#snapshot = snapshot;
    if (batch.hardState !== undefined) this.#hardState = batch.hardState;
  }

  /** Synchronous `compact()`. */
  compactSync(upTo: LogIndex): void {
    this.#open();
    if (this.#snapshot === null) return;
    const limit = Math.min(upTo, this.#snapshot.meta.index);
    this.#entries = this.#entries.filter((e) => e.index > limit);
  }

  /** Reads back everything stored. */
  load(): Promise<PersistedState> {
    return Promise.resolve().then(() => this.loadSync());
  }

  /** Applies one batch atomically. */
  append(batch: PersistBatch): Promise<void> {
    return Promise.resolve().then(() => this.appendSync(batch));
  }

  /** Drops stored entries covered by the stored snapshot, up to `upTo`. */
  compact(upTo: LogIndex): Promise<void> {
    return Promise.resolve().then(() => this.compactSync(upTo));
  }

  /** Marks the store closed; idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #open(): void {
    if (this.#closed) {
      throw new RaftError("store_closed", "The log store is closed; open a new one to continue.");
    }
  }
}

function assertContiguous(entries: readonly Entry[]): void {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].index !== entries[0].index + i) {
      throw new RaftError(
        "log_gap",
        `Entries to store are not contiguous at index ${entries[0].index + i}.`,
      );
    }
  }
}
