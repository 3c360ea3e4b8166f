/**
 * Compaction: moves cached values into compressed blocks, then deletes the WAL records they
 * came from. Order is what makes it crash-safe: blocks are committed before the WAL records
 * they cover are deleted, so a crash in between only replays values already in blocks (and
 * merging them again changes nothing: last write wins with the same values).
 */

import type { BlockStore } from "./block_store.ts";
import type { Cache } from "./cache.ts";
import { CommitBatcher } from "./commit_batcher.ts";
import { COMPACTED_SEQ_KEY, TOMBSTONE_PREFIX, type TombstoneRecord } from "./key_layout.ts";
import { truncateWal, type WalRef } from "./wal.ts";

/** When to compact: cache size, cache age, and the block size to aim for. */
export interface CompactionPolicy {
  /** Compact once the cache holds this many (estimated) bytes. */
  readonly maxCacheBytes: number;
  /** Compact once the oldest cached value is this old (ms). */
  readonly maxCacheAgeMs: number;
}

/** Default policy: 16 MiB or 10 minutes, whichever comes first. */
export const DEFAULT_COMPACTION_POLICY: CompactionPolicy = {
  maxCacheBytes: 16 * 1024 * 1024,
  maxCacheAgeMs: 10 * 60 * 1000,
};

/** True when the cache should be compacted now. */
export function shouldCompact(
  policy: CompactionPolicy,
  cacheBytes: number,
  firstWriteAtMs: number | undefined,
  nowMs: number,
): boolean {
  if (firstWriteAtMs === undefined) return false;
  return cacheBytes >= policy.maxCacheBytes || nowMs - firstWriteAtMs >= policy.maxCacheAgeMs;
}

/** What one compaction did. */
export interface CompactionStats {
  readonly entries: number;
  readonly values: number;
  readonly walRecords: number;
  readonly commits: number;
}

/**
 * Merges the snapshots (oldest first) into blocks, then deletes the WAL records `wal`,
 * records `upTo` as compacted and drops applied tombstones that no WAL record needs.
 */
export async function compactSnapshots(
  kv: Deno.Kv,
  blocks: BlockStore,
  snapshots: readonly Cache[],
  wal: readonly WalRef[],
  upTo: number,
): Promise<CompactionStats> {
  const batcher = blocks.writes.batcher();
  let entries = 0;
  let values = 0;
  await blocks.writes.writing(async () => {
    try {
      for (const snap of snapshots) {
        const items = [];
        for (const e of snap.entries()) {
          const col = e.column();
          if (col.times.length > 0) {
            items.push({ sid: e.seriesId, fid: e.fieldId, min: col.times[0] });
          }
        }
        await blocks.prefetchTails(items);
        for (const e of snap.entries()) {
          const col = e.column();
          if (col.times.length === 0) continue;
          await blocks.merge(e.seriesId, e.fieldId, e.type, col, batcher);
          entries++;
          values += col.times.length;
        }
      }
      await batcher.flush();
    } finally {
      blocks.clearPrefetched();
    }
  });
  await truncateWal(kv, wal);
  await kv.set(COMPACTED_SEQ_KEY, upTo);
  // Tombstones only filter WAL replay; once every older record is gone they are done.
  const done = new CommitBatcher(kv);
  const iter = kv.list<TombstoneRecord>({
    prefix: TOMBSTONE_PREFIX,
    end: [...TOMBSTONE_PREFIX, upTo + 1],
  });
  for await (const t of iter) {
    if (t.value.applied) await done.add([{ kind: "delete", key: t.key, bytes: 20 }]);
  }
  await done.flush();
  return { entries, values, walRecords: wal.length, commits: batcher.commits };
}
