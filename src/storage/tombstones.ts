/**
 * DELETE and DROP SERIES. A tombstone `["t", seq]` is committed first; then the cached values
 * and the blocks are rewritten directly, and the tombstone is marked applied. Until the WAL
 * records older than it are compacted away, the tombstone also filters their replay, so a
 * crash never brings deleted values back and later writes are never hidden.
 */

import type { BlockStore } from "./block_store.ts";
import type { Cache } from "./cache.ts";
import { deleteMutation } from "./commit_batcher.ts";
import { seriesKey, tombstoneKey, type TombstoneRecord } from "./key_layout.ts";
import type { SeriesIndex } from "./series_index.ts";

/** Removes a tombstone's values from in-memory caches. */
export function applyTombstoneToCaches(t: TombstoneRecord, caches: readonly Cache[]): void {
  for (const sid of t.seriesIds) {
    for (const c of caches) {
      if (t.drop) c.deleteSeries(sid);
      else c.deleteSeries(sid, t.min, t.max);
    }
  }
}

/**
 * Rewrites the blocks a tombstone covers, removes dropped series from the index (and their
 * records), then marks the tombstone applied. Safe to run again after a crash.
 */
export async function applyTombstoneToBlocks(
  kv: Deno.Kv,
  blocks: BlockStore,
  index: SeriesIndex,
  seq: number,
  t: TombstoneRecord,
): Promise<void> {
  const batcher = blocks.writes.batcher();
  await blocks.writes.writing(async () => {
    for (const sid of t.seriesIds) {
      if (t.drop) {
        await blocks.deleteSeries(sid, batcher);
        continue;
      }
      const s = index.series(sid);
      if (s === undefined) continue;
      for (const f of index.fieldKeys(s.measurement)) {
        await blocks.deleteRange(sid, f.id, f.type, t.min, t.max, batcher);
      }
    }
    await batcher.flush();
  });
  if (t.drop) {
    for (const sid of t.seriesIds) await batcher.add([deleteMutation(seriesKey(sid))]);
    await batcher.flush();
    for (const sid of t.seriesIds) index.removeSeries(sid);
  }
  await kv.set(tombstoneKey(seq), { ...t, applied: true });
}
