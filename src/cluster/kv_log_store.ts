import {
  EMPTY_HARD_STATE,
  type Entry,
  type LogIndex,
  type LogStore,
  type PersistBatch,
  type PersistedState,
  RaftError,
  type Snapshot,
} from "../raft/mod.ts";
import {
  type Bounds,
  decodeBlock,
  decodeBounds,
  decodeHardState,
  decodeSnapshotHeader,
  encodeBlock,
  encodeBounds,
  encodeHardState,
  encodeSnapshotHeader,
  entryCost,
  keys,
  KvLogCorruptError,
  type SnapshotHeader,
  type StoredEntry,
  storedTerm,
} from "./raft_kv_codec.ts";
import { type Block, KvCommitter, type Unit } from "./raft_kv_commit.ts";
import { StoreQueue } from "./store_queue.ts";

/** Tuning and test hooks of the KV log store. */
export interface KvLogStoreOptions {
  /** Mutations per atomic commit (KV allows 1000). */
  readonly maxMutations?: number;
  /** Key + value bytes per atomic commit (KV allows 800 KiB). */
  readonly maxCommitBytes?: number;
  /** Largest single value written (KV allows 64 KiB). */
  readonly maxValueBytes?: number;
  /** Test hook: called before each commit with its ordinal; throwing simulates a crash. */
  readonly beforeCommit?: (n: number) => void;
}

/** Keys deleted per background sweep commit: small, so an append never waits long. */
const SWEEP_BATCH = 64;

/**
 * The raft `LogStore` on one Deno KV file: the log of earlier versions. Nodes now keep their
 * log in the WAL (WalLogStore); this store remains to read a `raft.kv` that openRaftLogStore
 * converts, and it still meets the whole contract (the conformance suite runs on it). Entries are packed into blocks (one KV value holds
 * many consecutive entries, keyed by the first one's index), so an append of a batch of
 * proposals is a handful of mutations in one atomic commit. The `bounds` record says which
 * stored indexes are valid; a block at a higher key overrides the tail of an earlier one, and
 * every block at or after an overwrite's first index is deleted before (or with) the first
 * new block. A batch too large for one commit is split so that any crash leaves a state the
 * contract allows: snapshot chunks (under a fresh id), then the snapshot header, then, for an
 * overwrite too large to do at once, a bounds record that cuts the old suffix before its
 * blocks are deleted, then blocks in index order each moving the bounds, and the hard state
 * in the last commit. Leftovers of a crash are swept on `load`.
 */
export class KvLogStore implements LogStore {
  readonly #kv: Deno.Kv;
  readonly #c: KvCommitter;
  readonly #maxValueBytes: number;
  #bounds: Bounds = { first: 1, last: 0 };
  #snap: SnapshotHeader | null = null;
  /** Blocks known to exist, by first index, ascending. */
  #blocks: Block[] = [];
  #loaded = false;
  #sweeping = false;
  readonly #queue = new StoreQueue();

  private constructor(kv: Deno.Kv, opts: KvLogStoreOptions) {
    this.#kv = kv;
    this.#c = new KvCommitter(kv, opts);
    this.#maxValueBytes = opts.maxValueBytes ?? 60 * 1024;
  }

  /** Opens (creating if needed) the store at `path`, e.g. `<raft_dir>/raft.kv`. */
  static async open(path: string, opts: KvLogStoreOptions = {}): Promise<KvLogStore> {
    return new KvLogStore(await Deno.openKv(path), opts);
  }

  /** Reads back everything stored, and sweeps what an interrupted write left behind. */
  load(): Promise<PersistedState> {
    return this.#queue.run(() => this.#load());
  }

  /** Durably applies one batch; see the class comment for how large batches are split. */
  append(batch: PersistBatch): Promise<void> {
    return this.#queue.run(() => this.#append(batch));
  }

  /** Drops entries up to min(upTo, snapshot index); their keys are deleted in the background. */
  compact(upTo: LogIndex): Promise<void> {
    return this.#queue.run(() => this.#compact(upTo));
  }

  /** Closes the KV file; idempotent. */
  async close(): Promise<void> {
    if (!await this.#queue.close()) return;
    this.#kv.close();
  }

  #enqueue(fn: () => Promise<void>): void {
    this.#queue.background(fn, () => (this.#sweeping = false));
  }

  async #load(): Promise<PersistedState> {
    const [hs, b, sh] = await this.#kv.getMany([keys.hardState, keys.bounds, keys.snapshot]);
    const hardState = hs.value === null ? EMPTY_HARD_STATE : decodeHardState(hs.value);
    this.#snap = sh.value === null ? null : decodeSnapshotHeader(sh.value);
    const snapIndex = this.#snap?.meta.index ?? 0;
    const bounds = b.value === null ? { first: snapIndex + 1, last: snapIndex } : decodeBounds(
      b.value,
    );
    this.#bounds = bounds;
    // Assemble the log: a block overrides whatever earlier blocks hold from its first index.
    const stale: Deno.KvKey[] = [];
    const blocks: Block[] = [];
    let log: StoredEntry[] = [];
    for await (const row of this.#kv.list({ prefix: keys.blockPrefix }, { batchSize: 200 })) {
      const first = row.key[2] as number;
      const rows = decodeBlock(first, row.value);
      const block = { first, last: first + rows.length - 1 };
      if (first > bounds.last || block.last < bounds.first) {
        stale.push(row.key);
        continue;
      }
      blocks.push(block);
      if (log.length > 0 && storedIndex(log[log.length - 1]) >= first) {
        log = log.slice(0, log.findIndex((e) => storedIndex(e) >= first));
      }
      log.push(...rows);
    }
    this.#blocks = blocks;
    log = log.filter((e) => storedIndex(e) >= bounds.first && storedIndex(e) <= bounds.last);
    const entries: Entry[] = [];
    for (const e of log) {
      const expected = bounds.first + entries.length;
      if (storedIndex(e) !== expected) throw new KvLogCorruptError(`entry ${expected}`, "missing");
      entries.push(await this.#readEntry(e));
    }
    if (bounds.last >= bounds.first && entries.length !== bounds.last - bounds.first + 1) {
      throw new KvLogCorruptError(`entry ${bounds.first + entries.length}`, "missing");
    }
    this.#loaded = true;
    await this.#sweep(stale);
    const snapshot = this.#snap === null ? null : await this.#readSnapshot(this.#snap);
    return { hardState, snapshot, entries };
  }

  async #readEntry(stored: StoredEntry): Promise<Entry> {
    if (stored.kind === "inline") return stored.entry;
    const data = new Uint8Array(stored.bytes);
    let off = 0;
    for (let n = 0; n < stored.parts; n++) {
      const part = await this.#kv.get<Uint8Array>(keys.part(stored.index, stored.term, n));
      if (!(part.value instanceof Uint8Array) || off + part.value.byteLength > stored.bytes) {
        throw new KvLogCorruptError(`entry ${stored.index}`, `part ${n} is missing`);
      }
      data.set(part.value, off);
      off += part.value.byteLength;
    }
    if (off !== stored.bytes) {
      throw new KvLogCorruptError(`entry ${stored.index}`, "parts do not add up");
    }
    return { term: stored.term, index: stored.index, kind: stored.entryKind, data };
  }

  async #readSnapshot(h: SnapshotHeader): Promise<Snapshot> {
    const data = new Uint8Array(h.bytes);
    let off = 0;
    let n = 0;
    for await (const row of this.#kv.list<Uint8Array>({ prefix: [...keys.chunkPrefix, h.id] })) {
      if (row.key[3] !== n || !(row.value instanceof Uint8Array)) break;
      if (off + row.value.byteLength > h.bytes) break;
      data.set(row.value, off);
      off += row.value.byteLength;
      n++;
    }
    if (n !== h.chunks || off !== h.bytes) {
      throw new KvLogCorruptError("the snapshot", `${n} of ${h.chunks} chunks readable`);
    }
    return { meta: h.meta, data };
  }

  /** Deletes `stale` blocks, parts outside the bounds and chunks of other snapshots. */
  async #sweep(stale: Deno.KvKey[]): Promise<void> {
    const { first, last } = this.#bounds;
    for await (const r of this.#kv.list({ prefix: keys.partPrefix })) {
      const i = r.key[2] as number;
      if (i < first || i > last) stale.push(r.key);
    }
    for await (const r of this.#kv.list({ prefix: keys.chunkPrefix })) {
      if (r.key[2] !== this.#snap?.id) stale.push(r.key);
    }
    await this.#c.deleteKeys(stale);
  }

  async #append(batch: PersistBatch): Promise<void> {
    if (!this.#loaded) await this.#load();
    const units: Unit[] = [];
    let bounds = this.#bounds;
    let snap = this.#snap;
    let truncateFrom = Infinity;
    if (batch.snapshot !== undefined) {
      const meta = batch.snapshot.meta;
      if (snap !== null && meta.index < snap.meta.index) {
        throw new RaftError(
          "snapshot_out_of_date",
          `Snapshot at index ${meta.index} is older than the stored one at ${snap.meta.index}; ` +
            "persist only newer snapshots.",
        );
      }
      const keep = await this.#termAt(meta.index) === meta.term;
      snap = this.#chunkSnapshot(batch.snapshot, units);
      const header: Unit = { puts: [{ key: keys.snapshot, value: encodeSnapshotHeader(snap) }] };
      if (!keep) {
        bounds = { first: meta.index + 1, last: meta.index };
        truncateFrom = meta.index + 1;
        header.puts.push({ key: keys.bounds, value: encodeBounds(bounds) });
      }
      units.push(header);
    }
    const cutFrom = bounds; // what the log is before the new entries
    const entries = batch.entries;
    const newBlocks: Block[] = [];
    if (entries.length > 0) {
      const f = entries[0].index;
      const snapIndex = snap?.meta.index ?? 0;
      const last = bounds.last >= bounds.first ? bounds.last : snapIndex;
      if (f <= snapIndex || f > last + 1) {
        throw new RaftError(
          "log_gap",
          `Cannot store entries from index ${f}: the log holds up to ${last} and the ` +
            `snapshot covers up to ${snapIndex}; append from at most ${last + 1}.`,
        );
      }
      for (let i = 1; i < entries.length; i++) {
        if (entries[i].index !== f + i) {
          throw new RaftError("log_gap", `Entries to store are not contiguous at index ${f + i}.`);
        }
      }
      truncateFrom = Math.min(truncateFrom, f);
      this.#blockUnits(entries, units, newBlocks);
      bounds = {
        first: bounds.last >= bounds.first ? bounds.first : f,
        last: entries[entries.length - 1].index,
      };
    }
    // Blocks the batch supersedes; one it rewrites at the same key needs no delete.
    const rewritten = new Set(newBlocks.map((b) => b.first));
    const keep = firstBlockFrom(this.#blocks, truncateFrom);
    const stale = this.#blocks.slice(keep).filter((b) => !rewritten.has(b.first));
    if (stale.length > 0) {
      const cut = { first: cutFrom.first, last: Math.min(cutFrom.last, truncateFrom - 1) };
      this.#attachDeletes(stale.map((b) => keys.block(b.first)), units, cut);
    }
    if (batch.hardState !== undefined) {
      units.push({ puts: [{ key: keys.hardState, value: encodeHardState(batch.hardState) }] });
    }
    const oldSnap = this.#snap;
    try {
      await this.#c.commitUnits(units, bounds.first);
    } catch (e) {
      this.#loaded = false; // some commits may have landed: re-read before the next call
      throw e;
    }
    this.#bounds = bounds;
    this.#snap = snap;
    // Appends are the common case: extend in place instead of copying every block per append.
    if (keep < this.#blocks.length) this.#blocks = this.#blocks.slice(0, keep);
    for (const b of newBlocks) this.#blocks.push(b);
    if (oldSnap !== null && snap !== oldSnap) {
      // A crash before this only leaves chunks for the next load to sweep.
      const old: Deno.KvKey[] = [];
      for (let n = 0; n < oldSnap.chunks; n++) old.push(keys.chunk(oldSnap.id, n));
      await this.#c.deleteKeys(old);
    }
    if (bounds.first > (this.#blocks[0]?.last ?? Infinity)) this.#scheduleSweep();
  }

  /**
   * Puts the deletion of blocks superseded by an overwrite in the commit of the first new
   * block when it fits; otherwise first cuts the bounds (so the old blocks are invisible),
   * then deletes them, all before the first new block.
   */
  #attachDeletes(stale: Deno.KvKey[], units: Unit[], cut: Bounds): void {
    const at = units.findIndex((u) => u.block !== undefined);
    const target = at >= 0 ? units[at] : units[units.length - 1];
    if (target !== undefined && stale.length + target.puts.length + 2 <= this.#c.maxMutations) {
      target.deletes = stale;
      return;
    }
    const marker: Unit = {
      puts: [{ key: keys.bounds, value: encodeBounds(cut) }],
      alone: true,
    };
    const deletes: Unit[] = [];
    for (let i = 0; i < stale.length; i += this.#c.maxMutations - 1) {
      deletes.push({
        puts: [],
        deletes: stale.slice(i, i + this.#c.maxMutations - 1),
        alone: true,
      });
    }
    units.splice(at >= 0 ? at : units.length, 0, marker, ...deletes);
  }

  /** Packs entries into blocks under the value limit; a too-large entry goes in parts. */
  #blockUnits(entries: readonly Entry[], units: Unit[], out: Block[]): void {
    const max = this.#maxValueBytes;
    let run: Entry[] = [];
    let size = 0;
    const flush = () => {
      if (run.length === 0) return;
      const block = { first: run[0].index, last: run[run.length - 1].index };
      units.push({ puts: [{ key: keys.block(block.first), value: encodeBlock(run) }], block });
      out.push(block);
      run = [];
      size = 0;
    };
    for (const e of entries) {
      if (entryCost(e) > max) {
        flush();
        const parts = Math.ceil(e.data.byteLength / max);
        for (let n = 0; n < parts; n++) {
          const value = e.data.subarray(n * max, (n + 1) * max);
          units.push({ puts: [{ key: keys.part(e.index, e.term, n), value }] });
        }
        const block = { first: e.index, last: e.index };
        const value = encodeBlock([e], parts);
        units.push({ puts: [{ key: keys.block(e.index), value }], block });
        out.push(block);
        continue;
      }
      if (size + entryCost(e) > max) flush();
      run.push(e);
      size += entryCost(e);
    }
    flush();
  }

  #chunkSnapshot(s: Snapshot, units: Unit[]): SnapshotHeader {
    const id = (this.#snap?.id ?? 0) + 1;
    const size = this.#maxValueBytes;
    const chunks = Math.ceil(s.data.byteLength / size);
    for (let n = 0; n < chunks; n++) {
      const value = s.data.subarray(n * size, (n + 1) * size);
      units.push({ puts: [{ key: keys.chunk(id, n), value }] });
    }
    return { meta: s.meta, id, chunks, bytes: s.data.byteLength };
  }

  /** The stored term at `index` (null when not stored). */
  async #termAt(index: number): Promise<number | null> {
    const { first, last } = this.#bounds;
    if (index < first || index > last) return null;
    let block: Block | undefined;
    for (const b of this.#blocks) if (b.first <= index) block = b;
    if (block === undefined || index > block.last) return null;
    const row = await this.#kv.get(keys.block(block.first));
    if (row.value === null) return null;
    const stored = decodeBlock(block.first, row.value)[index - block.first];
    return stored === undefined ? null : storedTerm(stored);
  }

  async #compact(upTo: LogIndex): Promise<void> {
    if (!this.#loaded) await this.#load();
    if (this.#snap === null) return;
    const limit = Math.min(upTo, this.#snap.meta.index);
    const { first, last } = this.#bounds;
    if (limit < first) return;
    const bounds = { first: limit + 1, last: Math.max(last, limit) };
    await this.#c.commit(this.#kv.atomic().set(keys.bounds, encodeBounds(bounds)));
    this.#bounds = bounds;
    this.#scheduleSweep();
  }

  /**
   * Deletes compacted blocks and parts in the background, a small commit at a time queued
   * between other calls, so compacting a long log never stalls appends.
   */
  #scheduleSweep(): void {
    if (this.#sweeping) return;
    this.#sweeping = true;
    const step = async (): Promise<void> => {
      if (this.#queue.closed) return;
      const below = this.#bounds.first;
      const blocks = this.#blocks.filter((b) => b.last < below).slice(0, SWEEP_BATCH);
      const stale = blocks.map((b) => keys.block(b.first));
      const end = [...keys.partPrefix, below];
      for await (
        const r of this.#kv.list({ prefix: keys.partPrefix, end }, { limit: SWEEP_BATCH })
      ) stale.push(r.key);
      await this.#c.deleteKeys(stale);
      this.#blocks = this.#blocks.filter((b) => !blocks.includes(b));
      if (stale.length > 0 && !this.#queue.closed) this.#enqueue(step);
      else this.#sweeping = false;
    };
    this.#enqueue(step);
  }
}

/** Position of the first block (blocks are in log order) that starts at or after `index`. */
function firstBlockFrom(blocks: readonly Block[], index: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (blocks[mid].first < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function storedIndex(e: StoredEntry): number {
  return e.kind === "inline" ? e.entry.index : e.index;
}
