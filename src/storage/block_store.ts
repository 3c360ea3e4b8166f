/**
 * Compressed blocks of one shard: `["b", series, field, maxTime]` → encoded block. Blocks of
 * one (series, field) never overlap in time, hold at most `blockSize` points, and are
 * rewritten (merged) when new values land inside or right after them.
 */

import { blockTimeRange, decodeBlock, encodeBlock } from "./codecs/mod.ts";
import { BatchedGet } from "./batched_get.ts";
import type { BlockReadCache } from "./block_read_cache.ts";
import { BlockWrites } from "./block_writes.ts";
import { silentLogger, type StorageLogger } from "./logger.ts";
import type { FieldType, FieldValue } from "../models/point.ts";
import {
  type Column,
  concatColumns,
  emptyColumn,
  mergeColumns,
  sliceColumn,
  withoutRange,
} from "./column.ts";
import {
  type CommitBatcher,
  deleteMutation,
  type Mutation,
  setMutation,
} from "./commit_batcher.ts";
import {
  BLOCK_MAX_BYTES,
  blockKey,
  blockPrefix,
  MAX_TIME,
  MIN_TIME,
  seriesBlockPrefix,
} from "./key_layout.ts";

/** A stored block located by a key-range read: its key, time range and point count. */
export interface StoredBlock {
  readonly key: Deno.KvKey;
  readonly bytes: Uint8Array;
  readonly min: bigint;
  readonly max: bigint;
  readonly count: number;
}

/** The last block of a (series, field), remembered so compaction need not look it up. */
interface TailInfo {
  readonly key: Deno.KvKey;
  readonly min: bigint;
  readonly max: bigint;
  readonly count: number;
  /** The block's newest value (at `max`), when compaction wrote it. */
  readonly newest?: FieldValue;
}

/** What a reader may know of the newest block without reading it. */
export interface KnownLast {
  readonly max: bigint;
  /** The value at `max`, when known. */
  readonly newest?: FieldValue;
}

const PARALLEL_READS = 32;

/**
 * Only reads that find at most this many blocks are remembered: a dashboard's recent window
 * fills the read cache, a scan neither fills nor churns it.
 */
const NARROW_READ_BLOCKS = 2;

/** Reads and rewrites the blocks of a shard. */
export class BlockStore {
  /** Last block per (series, field); null when it has none; absent when not known yet. */
  private readonly tails = new Map<number, Map<number, TailInfo | null>>();
  /** Bytes of tail blocks fetched ahead of a compaction. */
  private tailBytes = new Map<TailInfo, Uint8Array>();
  /** Bumped whenever `tails` changes, so a read that raced a change learns nothing. */
  private gen = 0;
  /** Newest-block lookups of many readers, batched into few KV reads. */
  private readonly gets: BatchedGet;
  /** This store's id in the shared read cache. */
  private readonly owner: number;
  /** Compactions and deletes of this store, and their commits, as readers need to know them. */
  readonly writes: BlockWrites;

  constructor(
    private readonly kv: Deno.Kv,
    readonly blockSize: number,
    private readonly logger: StorageLogger = silentLogger,
    private readonly type: (fid: number) => FieldType | undefined = () => undefined,
    private readonly readCache?: BlockReadCache,
  ) {
    this.gets = new BatchedGet(kv);
    this.owner = readCache?.newOwner() ?? 0;
    // Cached reads are dropped when a compaction or delete starts and again when it ends.
    this.writes = new BlockWrites(kv, () => readCache?.dropOwner(this.owner));
  }

  /** Drops this store's cached reads (the shard is closing). */
  forgetCachedReads(): void {
    this.readCache?.dropOwner(this.owner);
  }

  /** Header of a listed block, or undefined (reported) when the value is damaged. */
  private header(e: { key: Deno.KvKey; value: Uint8Array }): StoredBlock | undefined {
    try {
      const r = blockTimeRange(e.value);
      return { key: e.key, bytes: e.value, min: r.min, max: r.max, count: r.count };
    } catch (err) {
      this.reportCorrupt(e.key, err);
      return undefined;
    }
  }

  private reportCorrupt(key: Deno.KvKey, err: unknown): void {
    this.logger.warn("Skipping a corrupt block; its values are not served", {
      key: key.map(String).join("/"),
      error: String(err),
    });
  }

  /**
   * Reads ahead, many at a time, the last blocks that merging these (series, field, first
   * new time) items will need, so compaction does not pay one KV round trip per item.
   */
  async prefetchTails(items: readonly { sid: number; fid: number; min: bigint }[]): Promise<void> {
    const unknown = items.filter((i) => this.tail(i.sid, i.fid) === undefined);
    for (let i = 0; i < unknown.length; i += PARALLEL_READS) {
      await Promise.all(unknown.slice(i, i + PARALLEL_READS).map((u) => this.last(u.sid, u.fid)));
    }
    const wanted: TailInfo[] = [];
    for (const i of items) {
      const t = this.tail(i.sid, i.fid);
      if (t && t.max < i.min && t.count < this.blockSize && !this.tailBytes.has(t)) wanted.push(t);
    }
    const groups: TailInfo[][] = [];
    for (let i = 0; i < wanted.length; i += 10) groups.push(wanted.slice(i, i + 10));
    for (let i = 0; i < groups.length; i += PARALLEL_READS) {
      const batch = groups.slice(i, i + PARALLEL_READS);
      const got = await Promise.all(
        batch.map((g) => this.kv.getMany<Uint8Array[]>(g.map((t) => t.key))),
      );
      got.forEach((res, gi) =>
        res.forEach((e, k) => {
          if (e.value instanceof Uint8Array) this.tailBytes.set(batch[gi][k], e.value);
        })
      );
    }
  }

  /** Forgets bytes read ahead (after a compaction). */
  clearPrefetched(): void {
    this.tailBytes = new Map();
  }

  /** Forgets what is known about a series' blocks (after they were deleted or rewritten). */
  forgetSeries(sid: number): void {
    this.gen++;
    this.tails.delete(sid);
  }

  private tail(sid: number, fid: number): TailInfo | null | undefined {
    return this.tails.get(sid)?.get(fid);
  }

  private setTail(sid: number, fid: number, t: TailInfo | null): void {
    this.gen++;
    let m = this.tails.get(sid);
    if (m === undefined) this.tails.set(sid, m = new Map());
    m.set(fid, t);
  }

  /**
   * Streams the blocks of (series, field) that may hold times in `[min, max]`, in time
   * order, stopping at the first block that reaches `max`.
   */
  async *blocks(sid: number, fid: number, min: bigint, max: bigint): AsyncGenerator<StoredBlock> {
    const prefix = blockPrefix(sid, fid);
    let from = min;
    const cache = this.writes.active ? undefined : this.readCache;
    // What the read cache proves needs no KV read: it knows the first block from `from` on.
    for (let b = cache?.find(this.owner, sid, fid, from); b !== undefined;) {
      if (b.min > max) return;
      yield b;
      if (b.max >= max) return;
      from = b.max + 1n;
      b = this.writes.active ? undefined : cache?.find(this.owner, sid, fid, from);
    }
    const gen = this.writes.gen;
    // (from, block): the read from `from` found `block` first. Kept while the read is narrow.
    let found: [bigint, StoredBlock][] | null = cache === undefined ? null : [];
    try {
      // A range narrower than a block (as wide as the newest one) usually needs one or two
      // blocks: fetch those alone first. A wider one is a scan: big batches, one list.
      const tail = this.tail(sid, fid);
      const narrow = tail !== undefined && tail !== null && max - min < tail.max - tail.min;
      for (const opts of narrow ? [{ limit: 2 }, { batchSize: 16 }] : [{ batchSize: 16 }]) {
        const iter = this.kv.list<Uint8Array>({ prefix, start: [...prefix, from] }, opts);
        let seen = false;
        for await (const e of iter) {
          seen = true;
          const keyMax = e.key[3] as bigint;
          const b = this.header(e);
          if (b !== undefined && found !== null) {
            found = found.length < NARROW_READ_BLOCKS ? [...found, [from, b]] : null;
          }
          if (b !== undefined && b.min > max) return;
          if (b !== undefined) yield b;
          if (keyMax >= max) return; // blocks never overlap: later ones start after `max`
          from = keyMax + 1n;
        }
        if (!seen) return;
      }
    } finally {
      if (found !== null && this.writes.gen === gen && !this.writes.active) {
        for (const [at, b] of found) cache?.add(this.owner, sid, fid, at, b);
      }
    }
  }

  /**
   * The blocks of (series, field) that may hold times in `[min, max]`, newest first. Blocks
   * never overlap, so only the first block keyed after `max` can reach into the range; it is
   * looked up only when the known last block (`tail`) does not rule it out.
   */
  async *blocksDescending(
    sid: number,
    fid: number,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<StoredBlock> {
    const prefix = blockPrefix(sid, fid);
    const tail = this.tail(sid, fid);
    if (tail === null) return;
    // An unknown last block is learned from this read when it is sure to see it, and only
    // if no compaction or delete changed what is known meanwhile (`gen`).
    const gen = this.gen;
    let learn = tail === undefined;
    let end = max < MAX_TIME ? max + 1n : MAX_TIME + 1n;
    if (tail !== undefined && tail.max <= max && tail.max >= min) {
      // The newest block is known: fetch it by key, batched with other readers' lookups.
      const bytes = await this.gets.get(tail.key);
      const b = bytes === null ? undefined : this.header({ key: tail.key, value: bytes });
      if (b !== undefined && b.max === tail.max) {
        yield b;
        end = b.max;
      }
    }
    if (max < MAX_TIME && (tail === undefined || tail.max > max)) {
      const iter = this.kv.list<Uint8Array>({ prefix, start: [...prefix, max + 1n] }, {
        limit: 1,
      });
      for await (const e of iter) {
        learn = false;
        const b = this.header(e);
        if (b !== undefined && b.min <= max) yield b;
      }
    }
    const iter = this.kv.list<Uint8Array>(
      { start: [...prefix, min], end: [...prefix, end] },
      { reverse: true, batchSize: 4 },
    );
    const mayLearn = () => learn && this.gen === gen && this.tail(sid, fid) === undefined;
    for await (const e of iter) {
      const b = this.header(e);
      if (mayLearn() && b !== undefined && e.key[3] === b.max) {
        this.setTail(sid, fid, { key: b.key, min: b.min, max: b.max, count: b.count });
      }
      learn = false;
      if (b !== undefined) yield b;
    }
    if (mayLearn() && min <= MIN_TIME) this.setTail(sid, fid, null);
  }

  /**
   * The newest block of (series, field) as this store last wrote or read it: null when it
   * has no blocks, undefined when not known. Never reads KV.
   */
  knownLast(sid: number, fid: number): KnownLast | null | undefined {
    return this.tail(sid, fid);
  }

  /** Decodes a stored block into a column (once, for a block the read cache holds). */
  decode(b: StoredBlock): Column {
    const cache = this.readCache;
    if (cache === undefined) return this.decodeStored(b);
    const [, sid, fid] = b.key as [string, number, number];
    return cache.column(this.owner, sid, fid, b, () => this.decodeStored(b));
  }

  private decodeStored(b: StoredBlock): Column {
    const fid = b.key[2] as number;
    const type = this.type(fid);
    try {
      const c = decodeBlock(b.bytes) as Column;
      if (type === undefined || c.type === type) return c;
      throw new Error(`block holds ${c.type} values but field ${fid} is ${type}`);
    } catch (err) {
      // A damaged block decodes to nothing: merging drops it, reading skips it.
      this.reportCorrupt(b.key, err);
      return emptyColumn(type ?? "float");
    }
  }

  /**
   * Merges a sorted column of new values into the blocks of (series, field), new values
   * winning on equal times; the mutations for this (series, field) go into one group.
   */
  async merge(
    sid: number,
    fid: number,
    type: FieldType,
    col: Column,
    batcher: CommitBatcher,
  ): Promise<void> {
    this.writes.require("merge");
    const n = col.times.length;
    if (n === 0) return;
    const newMin = col.times[0];
    const newMax = col.times[n - 1];
    const old: StoredBlock[] = [];
    let tail = this.tail(sid, fid);
    if (tail === undefined) tail = (await this.last(sid, fid)) ?? null;
    if (tail !== null && tail.max < newMin) {
      // Appending after everything: top up a partial last block instead of adding a small one.
      if (tail.count < this.blockSize) {
        const bytes = this.tailBytes.get(tail) ??
          (await this.kv.get<Uint8Array>(tail.key)).value;
        if (bytes instanceof Uint8Array) old.push({ ...tail, bytes });
      }
    } else if (tail !== null) {
      for await (const b of this.blocks(sid, fid, newMin, newMax)) old.push(b);
    }
    const merged = old.length === 0
      ? col
      : mergeColumns(concatColumns(type, old.map((b) => this.decode(b))), col);
    const { mutations, last } = this.rewrite(sid, fid, old, merged);
    await batcher.add(mutations);
    if (last !== undefined && (tail === null || last.max >= tail.max)) this.setTail(sid, fid, last);
  }

  /** Removes the values of (series, field) in `[min, max]`. */
  async deleteRange(
    sid: number,
    fid: number,
    type: FieldType,
    min: bigint,
    max: bigint,
    batcher: CommitBatcher,
  ): Promise<void> {
    this.writes.require("deleteRange");
    for await (const b of this.blocks(sid, fid, min, max)) {
      if (b.min >= min && b.max <= max) {
        await batcher.add([deleteMutation(b.key)]);
        continue;
      }
      const kept = withoutRange(this.decode(b), min, max);
      if (kept.times.length === b.count) continue;
      if (kept.type !== type) continue;
      await batcher.add(this.rewrite(sid, fid, [b], kept).mutations);
    }
    this.forgetSeries(sid);
  }

  /** Deletes every block of a series. */
  async deleteSeries(sid: number, batcher: CommitBatcher): Promise<void> {
    this.writes.require("deleteSeries");
    const iter = this.kv.list({ prefix: seriesBlockPrefix(sid) }, { batchSize: 100 });
    for await (const e of iter) await batcher.add([deleteMutation(e.key)]);
    this.forgetSeries(sid);
  }

  /** Encodes a sorted column into blocks of at most `blockSize` points and 60 KiB each. */
  encode(col: Column): Uint8Array[] {
    const out: Uint8Array[] = [];
    const n = col.times.length;
    for (let start = 0; start < n; start += this.blockSize) {
      this.encodeFitting(sliceColumn(col, start, Math.min(n, start + this.blockSize)), out);
    }
    return out;
  }

  private encodeFitting(col: Column, out: Uint8Array[]): void {
    const b = encodeBlock(col.times, col);
    const n = col.times.length;
    if (b.length <= BLOCK_MAX_BYTES || n === 1) {
      out.push(b);
      return;
    }
    const half = n >>> 1;
    this.encodeFitting(sliceColumn(col, 0, half), out);
    this.encodeFitting(sliceColumn(col, half, n), out);
  }

  private rewrite(
    sid: number,
    fid: number,
    old: readonly StoredBlock[],
    col: Column,
  ): { mutations: Mutation[]; last: TailInfo | undefined } {
    const sets: Mutation[] = [];
    const newMax = new Set<bigint>();
    let last: TailInfo | undefined;
    for (const bytes of this.encode(col)) {
      const r = blockTimeRange(bytes);
      newMax.add(r.max);
      const key = blockKey(sid, fid, r.max);
      sets.push(setMutation(key, bytes, bytes.length));
      last = { key, min: r.min, max: r.max, count: r.count };
    }
    const n = col.times.length;
    if (last !== undefined && n > 0 && col.times[n - 1] === last.max) {
      last = { ...last, newest: col.values[n - 1] };
    }
    const deletes = old.filter((b) => !newMax.has(b.key[3] as bigint)).map((b) =>
      deleteMutation(b.key)
    );
    return { mutations: [...sets, ...deletes], last };
  }

  private async last(sid: number, fid: number): Promise<StoredBlock | undefined> {
    const iter = this.kv.list<Uint8Array>({ prefix: blockPrefix(sid, fid) }, {
      reverse: true,
      limit: 1,
    });
    for await (const e of iter) {
      const b = this.header(e);
      if (b === undefined) break;
      const t: TailInfo = { key: b.key, min: b.min, max: b.max, count: b.count };
      this.setTail(sid, fid, t);
      this.tailBytes.set(t, b.bytes);
      return b;
    }
    this.setTail(sid, fid, null);
    return undefined;
  }
}
