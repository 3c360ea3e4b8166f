/**
 * The persistence contract (etcd's storage.go habit): the raft core reads only its own
 * synchronous in-memory log; the host persists what `Ready` hands it through the async
 * `LogStore` below, and at start-up rebuilds the core from `LogStore.load()`.
 */
import type { Entry, HardState, LogIndex, Snapshot } from "./types.ts";

/** Everything a node persisted: the input to `RawNode` at start-up. */
export interface PersistedState {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | null;
  /** Stored entries in index order with no gaps (see `LogStore.load`). */
  readonly entries: readonly Entry[];
}

/** One atomic unit of persistence, usually built from one `Ready`. */
export interface PersistBatch {
  /** Entries to write; contiguous indexes, in order. */
  readonly entries: readonly Entry[];
  /** Replaces the stored hard state when present. */
  readonly hardState?: HardState;
  /** Replaces the stored snapshot when present (see `LogStore.append` for what it does to entries). */
  readonly snapshot?: Snapshot;
}

/**
 * Durable storage of one node's raft log, hard state and latest snapshot.
 *
 * Contract, which every implementation must meet exactly (the conformance suite checks it):
 * - `load()` returns the stored state. A store that never saw an `append` returns
 *   `{ hardState: { term: 0, vote: 0, commit: 0 }, snapshot: null, entries: [] }`.
 *   `entries` are in index order without gaps; when a snapshot is stored, the first entry's
 *   index is <= snapshot index + 1 (entries at or below the snapshot index may remain until
 *   `compact`, and the core ignores them). Returned arrays are fresh: the caller owns them.
 * - `append(batch)` applies, in this order:
 *   1. `snapshot`: if its index is below the stored snapshot's index, it fails with
 *      `RaftError("snapshot_out_of_date")` and changes nothing. Otherwise it replaces the
 *      stored snapshot. If the stored entry at `snapshot.meta.index` has `snapshot.meta.term`,
 *      the stored entries are kept (the snapshot covers a prefix; drop it with `compact`);
 *      otherwise every stored entry is removed (a follower's log replaced by the leader's).
 *   2. `entries`: let f be the first new entry's index. f must be > the snapshot index (after
 *      step 1) and <= last stored index + 1 (or = snapshot index + 1 when no entry is
 *      stored), else `RaftError("log_gap")`, and nothing of the batch is applied. Every stored
 *      entry with index >= f is removed, then the new entries are stored.
 *   3. `hardState`: replaces the stored one.
 *   The promise resolves only once the whole batch is durable. A batch is atomic: after a
 *   crash `load()` shows all of it or none of it. An implementation that must split a batch
 *   into several commits must still never show, after a crash, new entries followed by
 *   older stored entries (remove the truncated suffix first), nor entries without the
 *   snapshot they follow; the hard state may show old or new.
 * - `compact(upTo)` removes stored entries with index <= min(upTo, stored snapshot index); it
 *   never removes an entry after the stored snapshot's index, and is a no-op without one.
 * - `close()` releases resources; it is idempotent. Any other call after it fails with
 *   `RaftError("store_closed")`.
 * - Entries, snapshots and hard states passed in are treated as immutable and may be kept by
 *   reference; callers must not mutate them afterwards.
 */
export interface LogStore {
  /** Reads back everything stored. */
  load(): Promise<PersistedState>;
  /** Durably applies one batch (snapshot, then entries, then hard state). */
  append(batch: PersistBatch): Promise<void>;
  /** Drops stored entries covered by the stored snapshot, up to `upTo`. */
  compact(upTo: LogIndex): Promise<void>;
  /** Releases the store; idempotent. */
  close(): Promise<void>;
}

/**
 * The replicated state machine, driven by the host with committed entries. Raft knows
 * nothing of what entries carry; `apply` sees every committed entry, including `empty` and
 * `conf_change` ones, in index order exactly once per process lifetime after a restore.
 */
export interface StateMachine {
  /** Applies one committed entry; the result is what the proposer is answered with. */
  apply(entry: Entry): unknown | Promise<unknown>;
  /** Serialises the state that results from every entry applied so far. */
  snapshot(): Uint8Array | Promise<Uint8Array>;
  /** Replaces the whole state with a snapshot's data. */
  restore(data: Uint8Array): void | Promise<void>;
}
