/**
 * Opening a shard: load the series and field records into the index, then replay the WAL
 * into the cache in history order, letting each tombstone remove what older records wrote.
 */

import type { Cache } from "./cache.ts";
import {
  COMPACTED_SEQ_KEY,
  FIELD_PREFIX,
  NEXT_FIELD_ID_KEY,
  NEXT_SERIES_ID_KEY,
  SERIES_PREFIX,
  TOMBSTONE_PREFIX,
  type TombstoneRecord,
} from "./key_layout.ts";
import type { StorageLogger } from "./logger.ts";
import { fieldFromRecord, seriesFromRecord, type SeriesIndex } from "./series_index.ts";
import { applyTombstoneToCaches } from "./tombstones.ts";
import { replayWal, type WalRef } from "./wal.ts";
import { decodeWalRecord } from "./wal_record.ts";
import type { FieldType, FieldValue } from "../models/point.ts";

/** What recovery needs: the KV, an empty index and cache to fill, where to report. */
export interface RecoveryTarget {
  readonly kv: Deno.Kv;
  readonly index: SeriesIndex;
  readonly cache: Cache;
  readonly logger: StorageLogger;
  readonly path: string;
}

/** What recovery found. */
export interface RecoveryResult {
  /** Highest sequence number in use (WAL, tombstones, compacted mark). */
  readonly lastSeq: number;
  /** WAL records present, good or bad; compaction deletes them. */
  readonly wal: WalRef[];
  /** Tombstones whose block rewrite did not finish (a crash during DELETE). */
  readonly unapplied: { seq: number; tombstone: TombstoneRecord }[];
}

/** Loads the index and replays the WAL into the cache. */
export async function recoverShard(target: RecoveryTarget): Promise<RecoveryResult> {
  const { kv, index, cache, logger, path } = target;
  for await (const e of kv.list({ prefix: FIELD_PREFIX })) {
    const f = fieldFromRecord(e.key[1] as number, e.value);
    if (f) index.addField(f);
    else logger.warn("Skipping a malformed field record", { shard: path, key: e.key });
  }
  for await (const e of kv.list({ prefix: SERIES_PREFIX })) {
    const s = seriesFromRecord(e.key[1] as number, e.value);
    if (s === undefined) {
      logger.warn("Skipping a malformed series record", { shard: path, key: e.key });
      continue;
    }
    // A batch whose commit failed half-way can leave a record no data uses; ids ascend, so
    // the later record of a key is the live one.
    const older = index.seriesByKey(s.key);
    if (older !== undefined) index.removeSeries(older.id);
    index.addSeries(s);
  }
  const [nextSid, nextFid, compacted] = await kv.getMany<[number, number, number]>([
    NEXT_SERIES_ID_KEY,
    NEXT_FIELD_ID_KEY,
    COMPACTED_SEQ_KEY,
  ]);
  index.nextSeriesId = Math.max(index.nextSeriesId, nextSid.value ?? 1);
  index.nextFieldId = Math.max(index.nextFieldId, nextFid.value ?? 1);
  const tombstones: { seq: number; tombstone: TombstoneRecord }[] = [];
  for await (const e of kv.list<TombstoneRecord>({ prefix: TOMBSTONE_PREFIX })) {
    tombstones.push({ seq: e.key[1] as number, tombstone: e.value });
  }
  let ti = 0;
  let unknown = 0;
  const replay = await replayWal(kv, logger, path, ({ seq, body }) => {
    while (ti < tombstones.length && tombstones[ti].seq < seq) {
      applyTombstoneToCaches(tombstones[ti++].tombstone, [cache]);
    }
    // Decode fully before applying, so a record that fails half-way adds nothing.
    const values: [number, bigint, number, FieldType, FieldValue][] = [];
    try {
      decodeWalRecord(body, (sid, time, fid, type, value) => {
        values.push([sid, time, fid, type, value]);
      });
    } catch (e) {
      // The CRC matched, so this is a bug or a format change rather than damage.
      logger.warn("Skipping a WAL record that does not decode", {
        shard: path,
        seq,
        error: String(e),
      });
      return;
    }
    for (const [sid, time, fid, type, value] of values) {
      const f = index.field(fid);
      if (f === undefined || f.type !== type) {
        // Fields of a dropped measurement are expected to be gone; others are not.
        if (index.series(sid) !== undefined) unknown++;
        continue;
      }
      cache.append(sid, fid, type, time, value);
    }
  });
  while (ti < tombstones.length) applyTombstoneToCaches(tombstones[ti++].tombstone, [cache]);
  for (const e of [...cache.entries()]) {
    if (index.series(e.seriesId) === undefined) {
      unknown += e.length;
      cache.deleteSeries(e.seriesId);
    }
  }
  if (unknown > 0) {
    logger.warn("Skipped WAL values of series or fields that no longer exist", {
      shard: path,
      values: unknown,
    });
  }
  if (replay.records > 0 || replay.skipped > 0) {
    logger.info("Replayed WAL", { shard: path, records: replay.records, skipped: replay.skipped });
  }
  let lastSeq = Math.max(compacted.value ?? 0, replay.lastSeq);
  for (const t of tombstones) lastSeq = Math.max(lastSeq, t.seq);
  return {
    lastSeq,
    wal: replay.found,
    unapplied: tombstones.filter((t) => !t.tombstone.applied),
  };
}
