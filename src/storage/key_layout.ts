/**
 * The KV key space of one shard, in one place. Every key starts with a one-letter tag so
 * each kind of record is one contiguous range:
 *
 * | key                                   | value                                             |
 * | ------------------------------------- | ------------------------------------------------- |
 * | `["w", seq, chunk]`                   | `Uint8Array`: chunk `chunk` of WAL record `seq`   |
 * | `["wm", seq]`                         | `WalMarker`: commit marker, written last          |
 * | `["s", seriesId]`                     | `SeriesRecord`: measurement, series key, tags     |
 * | `["f", fieldId]`                      | `FieldRecord`: measurement, field key, type       |
 * | `["b", seriesId, fieldId, maxTime]`   | `Uint8Array`: compressed block (codecs), by time  |
 * | `["t", seq]`                          | `TombstoneRecord`: a DELETE / DROP at `seq`       |
 * | `["meta", name]`                      | counters: next series/field id, compacted seq     |
 *
 * Long strings (series keys, field keys) live in values, never in keys, so the 2 KiB key
 * limit never refuses a point. Blocks of one (series, field) never overlap in time, so keying
 * them by their last timestamp lets a reader start at the first block that can hold `min`.
 */

import type { FieldType } from "../models/point.ts";

/** A series id, unique within one shard and never reused while referenced. */
export type SeriesId = number & { readonly __brand: "SeriesId" };
/** A field id, unique within one shard across measurements. */
export type FieldId = number & { readonly __brand: "FieldId" };
/** A WAL / tombstone sequence number; later operations have larger numbers. */
export type Seq = number & { readonly __brand: "Seq" };

/** The value of a `["wm", seq]` marker: how to reassemble and check record `seq`. */
export interface WalMarker {
  readonly chunks: number;
  readonly bytes: number;
  readonly crc: number;
}

/** The value of an `["s", id]` key: `[measurement, seriesKey, k1, v1, k2, v2, ...]`. */
export type SeriesRecord = readonly string[];

/** The value of an `["f", id]` key: `[measurement, fieldKey, type]`. */
export type FieldRecord = readonly [measurement: string, field: string, type: FieldType];

/**
 * The value of a `["t", seq]` key. WAL records with a smaller seq lose the listed series'
 * values in `[min, max]`; `drop` also removes the series from the index. `applied` becomes
 * true once the blocks were rewritten, so an interrupted delete is finished on open.
 */
export interface TombstoneRecord {
  readonly seriesIds: readonly number[];
  readonly min: bigint;
  readonly max: bigint;
  readonly drop: boolean;
  readonly applied: boolean;
}

/** Largest chunk of a WAL record stored in one KV value (the KV limit is 64 KiB). */
export const WAL_CHUNK_BYTES = 60 * 1024;
/** Bytes we allow in one atomic commit (the KV limit is 800 KiB, keys included). */
export const COMMIT_BYTES = 760 * 1024;
/** Mutations we allow in one atomic commit (the KV limit is 1000). */
export const COMMIT_MUTATIONS = 900;
/** Largest encoded block stored in one KV value. */
export const BLOCK_MAX_BYTES = 60 * 1024;

/** Smallest and largest time a point may carry (InfluxDB's range). */
export const MIN_TIME = -9223372036854775806n;
/** Largest time a point may carry. */
export const MAX_TIME = 9223372036854775806n;

/** Key of chunk `chunk` of WAL record `seq`. */
export const walChunkKey = (seq: number, chunk: number): Deno.KvKey => ["w", seq, chunk];
/** Prefix of all chunks of WAL record `seq`. */
export const walRecordPrefix = (seq: number): Deno.KvKey => ["w", seq];
/** Prefix of all WAL chunks. */
export const WAL_PREFIX: Deno.KvKey = ["w"];
/** Key of the commit marker of WAL record `seq`. */
export const walMarkerKey = (seq: number): Deno.KvKey => ["wm", seq];
/** Prefix of all WAL commit markers. */
export const WAL_MARKER_PREFIX: Deno.KvKey = ["wm"];
/** Key of a series record. */
export const seriesKey = (id: number): Deno.KvKey => ["s", id];
/** Prefix of all series records. */
export const SERIES_PREFIX: Deno.KvKey = ["s"];
/** Key of a field record. */
export const fieldKey = (id: number): Deno.KvKey => ["f", id];
/** Prefix of all field records. */
export const FIELD_PREFIX: Deno.KvKey = ["f"];
/** Key of the block of (series, field) whose last timestamp is `maxTime`. */
export const blockKey = (sid: number, fid: number, maxTime: bigint): Deno.KvKey => [
  "b",
  sid,
  fid,
  maxTime,
];
/** Prefix of all blocks of one (series, field). */
export const blockPrefix = (sid: number, fid: number): Deno.KvKey => ["b", sid, fid];
/** Prefix of all blocks of one series. */
export const seriesBlockPrefix = (sid: number): Deno.KvKey => ["b", sid];
/** Key of the tombstone written at `seq`. */
export const tombstoneKey = (seq: number): Deno.KvKey => ["t", seq];
/** Prefix of all tombstones. */
export const TOMBSTONE_PREFIX: Deno.KvKey = ["t"];
/** Key of the next series id to hand out. */
export const NEXT_SERIES_ID_KEY: Deno.KvKey = ["meta", "nextSeriesId"];
/** Key of the next field id to hand out. */
export const NEXT_FIELD_ID_KEY: Deno.KvKey = ["meta", "nextFieldId"];
/** Key of the highest WAL seq whose data is in blocks (its records are deleted). */
export const COMPACTED_SEQ_KEY: Deno.KvKey = ["meta", "compactedSeq"];

/** Rough byte size of a key as the commit-size limit counts it. */
export function keyBytes(key: Deno.KvKey): number {
  let n = 4;
  for (const part of key) n += typeof part === "string" ? part.length * 3 + 2 : 10;
  return n;
}
