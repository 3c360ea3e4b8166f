/**
 * One shard: a Deno KV file at `<dir>/shard.kv` holding the WAL, the series index and the
 * compressed blocks. Writes are acknowledged once their WAL record is committed; values then
 * live in the cache until compaction moves them into blocks.
 */

import { join } from "node:path";
import type { Point } from "../models/point.ts";
import { batchOf, type PointBatch } from "../models/point_batch.ts";
import type { BlockReadCache } from "./block_read_cache.ts";
import { BlockStore } from "./block_store.ts";
import { Cache } from "./cache.ts";
import { CommitBatcher, deleteMutation } from "./commit_batcher.ts";
import {
  type CompactionPolicy,
  type CompactionStats,
  compactSnapshots,
  DEFAULT_COMPACTION_POLICY,
  shouldCompact,
} from "./compactor.ts";
import { type PointError, ShardClosedError } from "./errors.ts";
import { fieldKey, MAX_TIME, MIN_TIME, tombstoneKey, type TombstoneRecord } from "./key_layout.ts";
import { openShardKv } from "./kv_file.ts";
import { silentLogger, type StorageLogger } from "./logger.ts";
import { Mutex } from "./mutex.ts";
import type { TagPredicate } from "./predicate.ts";
import { ShardReader } from "./reader.ts";
import { recoverShard } from "./recovery.ts";
import { SeriesIndex } from "./series_index.ts";
import { applyTombstoneToBlocks, applyTombstoneToCaches } from "./tombstones.ts";
import { appendWalRecord, type WalRef } from "./wal.ts";
import { WalRecordWriter } from "./wal_record.ts";
import { applyBatch, indexMutations, prepareBatch, rollbackBatch } from "./write_batch.ts";

/** How to open a shard. */
export interface ShardOptions {
  /** The shard's directory; the KV file is `<dir>/shard.kv`. */
  readonly dir: string;
  readonly logger?: StorageLogger;
  /** Milliseconds clock, for cache-age compaction. */
  readonly now?: () => number;
  readonly compaction?: Partial<CompactionPolicy>;
  /** Points per block (default 1000). */
  readonly blockSize?: number;
  /** Compact in the background when the policy says so (default true). */
  readonly autoCompact?: boolean;
  /** Where narrow reads remember the blocks they found (shared by a store's shards). */
  readonly readCache?: BlockReadCache;
}

/** The answer to `writePoints`: how many points were stored and why the others were not. */
export interface WriteResult {
  readonly written: number;
  readonly errors: PointError[];
}

/** What `Shard.stats()` reports. */
export interface ShardStats {
  readonly series: number;
  readonly measurements: number;
  /** Estimated bytes of values not yet in blocks. */
  readonly cacheBytes: number;
  /** WAL records not yet compacted. */
  readonly walRecords: number;
  readonly compacting: boolean;
}

/** An inclusive time range in nanoseconds. */
export interface TimeRange {
  readonly min: bigint;
  readonly max: bigint;
}

const TOMBSTONE_SERIES_PER_RECORD = 8000;

/** A shard of one node: write, delete, read, compact. */
export class Shard {
  readonly path: string;
  /** The read interface the query engine uses. */
  readonly reader: ShardReader;
  private kvHandle: Deno.Kv | undefined;
  private blockStore: BlockStore | undefined;
  private readonly logger: StorageLogger;
  private readonly now: () => number;
  private readonly policy: CompactionPolicy;
  private readonly blockSize: number;
  private readonly autoCompact: boolean;
  private readonly writeLock = new Mutex();
  private readonly compactLock = new Mutex();
  private readonly walWriter = new WalRecordWriter();
  private background: Promise<unknown> | undefined;
  private closing: Promise<void> | undefined;
  private seq = 0;
  /** Every record up to this seq is in the cache (or failed): what compaction may cover. */
  private appliedSeq = 0;
  /** Completes once every started write has been applied to the cache (or failed). */
  private applyTail: Promise<void> = Promise.resolve();
  private walRefs: WalRef[] = [];
  private firstWriteAt: number | undefined;
  /** The series index (read-only for callers). */
  readonly index = new SeriesIndex();
  private liveCache = new Cache();
  private compacting: Cache[] = [];

  constructor(private readonly options: ShardOptions) {
    this.path = join(options.dir, "shard.kv");
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.policy = { ...DEFAULT_COMPACTION_POLICY, ...options.compaction };
    this.blockSize = options.blockSize ?? 1000;
    this.autoCompact = options.autoCompact ?? true;
    this.reader = new ShardReader(this);
  }

  /** Values written since the last compaction began (newest data). */
  get cache(): Cache {
    return this.liveCache;
  }

  /** Caches being (or failed to be) compacted, oldest first; readers merge them under the cache. */
  get snapshots(): readonly Cache[] {
    return this.compacting;
  }

  /** True between a successful `open()` and `close()`. */
  get isOpen(): boolean {
    return this.kvHandle !== undefined && this.closing === undefined;
  }

  /** The open KV handle; throws ShardClosedError when closed. */
  get kv(): Deno.Kv {
    if (this.kvHandle === undefined) throw new ShardClosedError(this.options.dir);
    return this.kvHandle;
  }

  /** Block access; throws ShardClosedError when closed. */
  get blocks(): BlockStore {
    if (this.blockStore === undefined) throw new ShardClosedError(this.options.dir);
    return this.blockStore;
  }

  /** Opens the KV file, loads the series index and replays the WAL. */
  async open(): Promise<void> {
    if (this.kvHandle !== undefined) return;
    await Deno.mkdir(this.options.dir, { recursive: true });
    const kv = await openShardKv(this.path);
    this.kvHandle = kv;
    this.blockStore = new BlockStore(
      kv,
      this.blockSize,
      this.logger,
      (fid) => this.index.field(fid)?.type,
      this.options.readCache,
    );
    try {
      await this.load(kv);
    } catch (e) {
      kv.close();
      this.kvHandle = undefined;
      throw e;
    }
  }

  private async load(kv: Deno.Kv): Promise<void> {
    const r = await recoverShard({
      kv,
      index: this.index,
      cache: this.cache,
      logger: this.logger,
      path: this.path,
    });
    this.seq = this.appliedSeq = r.lastSeq;
    this.walRefs = r.wal;
    if (!this.cache.empty) this.firstWriteAt = this.now();
    // A DELETE interrupted by a crash is finished before anything else happens.
    for (const { seq, tombstone } of r.unapplied) await this.applyToBlocks(seq, tombstone);
  }

  /**
   * Writes a batch. Points whose fields conflict with the shard's field types are refused
   * (InfluxDB's error text in `errors`); the rest are committed to the WAL before this
   * resolves.
   */
  writePoints(points: readonly Point[]): Promise<WriteResult> {
    return this.writeBatch(batchOf(points));
  }

  /**
   * `writePoints` for the points of a columnar batch listed in `selection` (all when null);
   * error indexes are batch point indexes.
   */
  writeBatch(batch: PointBatch, selection: Int32Array | null = null): Promise<WriteResult> {
    return this.writeLock.run(() => this.stage(batch, selection)).then((w) => w.done);
  }

  /**
   * Prepares a batch and starts its WAL commit under the write lock; resolves (releasing the
   * lock) with the promise of its completion. The next batch is prepared while this one's
   * commit is in flight — the commit is most of a write's latency — and commits are applied
   * to the cache strictly in seq order. A batch that introduces series or fields keeps the
   * lock until it is durable, so no later record can refer to ids that might not persist.
   */
  private async stage(
    batch: PointBatch,
    selection: Int32Array | null,
  ): Promise<{ done: Promise<WriteResult> }> {
    const kv = this.kv;
    if (this.closing) throw new ShardClosedError(this.options.dir);
    const b = prepareBatch(this.index, this.walWriter, batch, selection);
    if (b.written === 0) return { done: Promise.resolve({ written: 0, errors: b.errors }) };
    const creates = b.newSeries.length > 0 || b.newFields.length > 0;
    const seq = ++this.seq;
    // appendWalRecord copies the writer's buffer before it first yields.
    const committed = appendWalRecord(
      kv,
      seq,
      this.walWriter.finish(),
      indexMutations(this.index, b),
    );
    const done = this.applyTail.then(async (): Promise<WriteResult> => {
      let chunks: number;
      try {
        chunks = await committed;
      } catch (e) {
        if (creates) rollbackBatch(this.index, b);
        this.appliedSeq = seq;
        throw e;
      }
      this.walRefs.push({ seq, chunks });
      this.appliedSeq = seq;
      const cache = this.cache;
      applyBatch(cache, batch, b);
      this.firstWriteAt ??= this.now();
      if (this.autoCompact && cache.bytes >= this.policy.maxCacheBytes) {
        this.compactInBackground();
        // Back-pressure: never let more than two caches' worth pile up.
        if (this.snapshots.length > 0 && cache.bytes >= this.policy.maxCacheBytes) {
          await this.background;
        }
      }
      return { written: b.written, errors: b.errors };
    });
    this.applyTail = done.then(() => {}, () => {});
    if (creates) await this.applyTail;
    // Wrapped: an async function returning a promise would wait for it (holding the lock).
    return { done };
  }

  /** Figures for diagnostics (`SHOW STATS`-like output and tests). */
  stats(): ShardStats {
    let cached = this.liveCache.bytes;
    for (const c of this.compacting) cached += c.bytes;
    return {
      series: this.index.seriesCount,
      measurements: this.index.measurements().length,
      cacheBytes: cached,
      walRecords: this.walRefs.length,
      compacting: this.compacting.length > 0,
    };
  }

  /** Resolves once any background compaction has finished (successfully or not). */
  async settled(): Promise<void> {
    await this.background;
  }

  /** Starts a compaction if the cache is over its size or age limit; returns at once. */
  maybeCompact(): void {
    if (!this.isOpen) return;
    if (shouldCompact(this.policy, this.cache.bytes, this.firstWriteAt, this.now())) {
      this.compactInBackground();
    }
  }

  private compactInBackground(): void {
    if (this.compactLock.locked) return;
    const run = this.compact().catch((e) => {
      this.logger.warn(
        "Compaction failed; its values stay in the WAL and cache and will be retried",
        {
          shard: this.path,
          error: String(e),
        },
      );
    });
    this.background = run;
  }

  /** Compacts everything cached now into blocks and deletes the covered WAL records. */
  compact(): Promise<CompactionStats> {
    return this.compactLock.run(async () => {
      const kv = this.kv;
      if (!this.liveCache.empty) {
        const hint = Math.ceil(this.liveCache.averageEntryLength * 1.1);
        this.compacting.push(this.liveCache);
        this.liveCache = new Cache(Math.min(4096, Math.max(64, hint)));
      }
      this.firstWriteAt = undefined;
      const wal = this.walRefs;
      this.walRefs = [];
      const upTo = this.appliedSeq;
      try {
        const stats = await compactSnapshots(kv, this.blocks, this.compacting, wal, upTo);
        this.compacting = [];
        return stats;
      } catch (e) {
        this.walRefs = [...wal, ...this.walRefs];
        this.firstWriteAt = this.now();
        throw e;
      }
    });
  }

  /**
   * Deletes the values of the series of `measurement` matching `predicate` in `range`
   * (DELETE); without a range the series are dropped from the index too (DROP SERIES).
   * Durable when it resolves. Returns the number of series affected.
   */
  deleteSeries(measurement: string, predicate: TagPredicate, range?: TimeRange): Promise<number> {
    return this.exclusive(() => this.deleteLocked(measurement, predicate, range));
  }

  /** Drops a measurement: all its series, their data and its fields (DROP MEASUREMENT). */
  dropMeasurement(name: string): Promise<void> {
    return this.exclusive(async () => {
      await this.deleteLocked(name, { kind: "all" });
      const batcher = new CommitBatcher(this.kv);
      for (const f of this.index.removeMeasurement(name)) {
        await batcher.add([deleteMutation(fieldKey(f.id))]);
      }
      await batcher.flush();
    });
  }

  /** Runs `fn` with neither writes nor compaction in progress. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.compactLock.run(() =>
      this.writeLock.run(async () => {
        await this.applyTail;
        return await fn();
      })
    );
  }

  private async deleteLocked(
    measurement: string,
    predicate: TagPredicate,
    range?: TimeRange,
  ): Promise<number> {
    const ids = this.index.match(measurement, predicate);
    for (let i = 0; i < ids.length; i += TOMBSTONE_SERIES_PER_RECORD) {
      const t: TombstoneRecord = {
        seriesIds: ids.slice(i, i + TOMBSTONE_SERIES_PER_RECORD),
        min: range?.min ?? MIN_TIME,
        max: range?.max ?? MAX_TIME,
        drop: range === undefined,
        applied: false,
      };
      const seq = ++this.seq;
      this.appliedSeq = seq;
      // Durable first: replay honours it even if the rewrite below is interrupted.
      await this.kv.set(tombstoneKey(seq), t);
      this.applyToCache(t);
      await this.applyToBlocks(seq, t);
    }
    return ids.length;
  }

  private applyToCache(t: TombstoneRecord): void {
    applyTombstoneToCaches(t, [...this.snapshots, this.cache]);
  }

  private async applyToBlocks(seq: number, t: TombstoneRecord): Promise<void> {
    await applyTombstoneToBlocks(this.kv, this.blocks, this.index, seq, t);
  }

  /** Flushes the cache into blocks and closes the KV handle; safe to call twice. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.kvHandle === undefined) return Promise.resolve();
    this.closing = (async () => {
      await this.writeLock.run(() => this.applyTail);
      try {
        await this.background;
        await this.compact();
      } catch (e) {
        this.logger.warn("Compaction on close failed; the WAL keeps the data", {
          shard: this.path,
          error: String(e),
        });
      }
      this.blockStore?.forgetCachedReads();
      this.kvHandle?.close();
      this.kvHandle = undefined;
      this.blockStore = undefined;
    })();
    return this.closing;
  }

  /**
   * Closes the KV handle without compacting, as a crash would leave things (tests use it to
   * simulate `kill -9` after the last acknowledged write).
   */
  abandon(): void {
    this.blockStore?.forgetCachedReads();
    this.kvHandle?.close();
    this.kvHandle = undefined;
    this.blockStore = undefined;
    this.closing = Promise.resolve();
  }
}
