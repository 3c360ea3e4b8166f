import { RaftError } from "./errors.ts";
import type { Entry, LogIndex, Snapshot, Term } from "./types.ts";
import { logIndex, term as toTerm } from "./types.ts";

/**
 * The core's synchronous in-memory log: the latest snapshot, the entries after it, and the
 * marks that say what is persisted (`stable`), committed and handed out for applying.
 * Entries with index > `stable` still have to go through a `Ready`.
 */
export class RaftLog {
  /** The latest snapshot (taken locally or received), or null. */
  snapshot: Snapshot | null;
  /** A snapshot received from the leader that the host has not been handed yet. */
  pendingSnapshot: Snapshot | null = null;
  /** Entries with index snapIndex+1 .. lastIndex, in order. */
  entries: Entry[];
  committed: LogIndex;
  /** Highest index handed to the host for applying. */
  applied: LogIndex;
  /** Highest index known persisted by the host. */
  stable: LogIndex;
  /** Lowest index truncated since the last `ready()` (Infinity if none). */
  truncatedFrom = Infinity;

  /** Rebuilds the log from what the host loaded; entries at or below the snapshot are dropped. */
  constructor(snapshot: Snapshot | null, entries: readonly Entry[], committed: LogIndex) {
    this.snapshot = snapshot;
    const snapIndex = snapshot?.meta.index ?? 0;
    this.entries = entries.filter((e) => e.index > snapIndex);
    this.stable = this.lastIndex();
    this.applied = logIndex(snapIndex);
    this.committed = logIndex(Math.max(snapIndex, Math.min(committed, this.lastIndex())));
  }

  /** Index of the last entry covered by the snapshot (0 without one). */
  snapIndex(): LogIndex {
    return this.snapshot?.meta.index ?? logIndex(0);
  }

  /** The first index still held as an entry. */
  firstIndex(): LogIndex {
    return logIndex(this.snapIndex() + 1);
  }

  /** The last index in the log (the snapshot index when no entry follows it). */
  lastIndex(): LogIndex {
    const n = this.entries.length;
    return n > 0 ? this.entries[n - 1].index : this.snapIndex();
  }

  /** The term of the last entry. */
  lastTerm(): Term {
    return this.term(this.lastIndex()) ?? toTerm(0);
  }

  /** The term at `i`, or undefined when `i` is compacted away or beyond the log. */
  term(i: number): Term | undefined {
    const snapIndex = this.snapIndex();
    if (i === snapIndex) return this.snapshot?.meta.term ?? toTerm(0);
    if (i < snapIndex || i > this.lastIndex()) return undefined;
    return this.entries[i - snapIndex - 1].term;
  }

  /** True when the log holds an entry (or the snapshot point) at `i` with term `t`. */
  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t;
  }

  /** The §5.4.1 test: is a log ending at (index, term) at least as up to date as ours? */
  isUpToDate(index: number, t: number): boolean {
    const lastTerm = this.lastTerm();
    return t > lastTerm || (t === lastTerm && index >= this.lastIndex());
  }

  /** Entries lo..hi inclusive (both within the log, lo > snapIndex). */
  slice(lo: number, hi: number): Entry[] {
    const base = this.snapIndex() + 1;
    return this.entries.slice(lo - base, hi - base + 1);
  }

  /** Entries from `lo` while their data stays under `maxBytes` (always at least one). */
  entriesFrom(lo: number, maxBytes: number): Entry[] {
    const out: Entry[] = [];
    let size = 0;
    for (let i = lo; i <= this.lastIndex(); i++) {
      const e = this.entries[i - this.snapIndex() - 1];
      size += e.data.length + 16;
      if (out.length > 0 && size > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  /** Leader path: appends new entries at the end. */
  append(entries: readonly Entry[]): void {
    this.entries.push(...entries);
  }

  /**
   * Follower path (§5.3): if our entry at prevIndex has prevTerm, drops the first conflicting
   * entry and everything after it, appends the rest and returns the new last index, else null.
   */
  maybeAppend(prevIndex: number, prevTerm: number, entries: readonly Entry[]): LogIndex | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = logIndex(prevIndex + entries.length);
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k];
      if (this.matchTerm(e.index, e.term)) continue;
      if (e.index <= this.committed) {
        throw new RaftError(
          "invalid_state",
          `Entry ${e.index} conflicts with the committed log (committed ${this.committed}).`,
        );
      }
      this.truncateFrom(e.index);
      this.entries.push(...entries.slice(k));
      break;
    }
    return lastNew;
  }

  /** Removes entries with index >= `i`, remembering that storage must drop them too. */
  truncateFrom(i: number): void {
    if (i > this.lastIndex()) return;
    this.entries.length = i - this.snapIndex() - 1;
    this.stable = logIndex(Math.min(this.stable, i - 1));
    this.truncatedFrom = Math.min(this.truncatedFrom, i);
  }

  /**
   * The largest index <= `index` whose term is <= `t` (etcd's findConflictByTerm), used for
   * the fast back-off hint. Returns the snapshot point when nothing later qualifies.
   */
  findConflictByTerm(index: number, t: number): { index: LogIndex; term: Term } {
    let i = Math.min(index, this.lastIndex());
    for (; i > this.snapIndex(); i--) {
      const ti = this.term(i)!;
      if (ti <= t) return { index: logIndex(i), term: ti };
    }
    return { index: logIndex(i), term: this.term(i) ?? toTerm(0) };
  }

  /** Raises the commit index (never lowers it, never past the last entry). */
  commitTo(i: number): boolean {
    const target = Math.min(i, this.lastIndex());
    if (target <= this.committed) return false;
    this.committed = logIndex(target);
    return true;
  }

  /** Entries not yet known persisted (after a restore they may all be). */
  unstableEntries(): Entry[] {
    const from = Math.max(this.stable, this.snapIndex()) + 1;
    return from > this.lastIndex() ? [] : this.slice(from, this.lastIndex());
  }

  /** Entries committed but not yet handed out for applying. */
  nextCommitted(): Entry[] {
    if (this.committed <= this.applied) return [];
    return this.slice(this.applied + 1, this.committed);
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  restore(snapshot: Snapshot): void {
    this.truncatedFrom = Math.min(this.truncatedFrom, this.snapIndex() + 1);
    this.snapshot = snapshot;
    this.pendingSnapshot = snapshot;
    this.entries = [];
    this.committed = snapshot.meta.index;
    this.applied = snapshot.meta.index;
    this.stable = snapshot.meta.index;
  }

  /** Local compaction: `snapshot` covers up to its index, which must be applied already. */
  compact(snapshot: Snapshot): void {
    const i = snapshot.meta.index;
    this.entries = this.entries.filter((e) => e.index > i);
    this.snapshot = snapshot;
  }
}
