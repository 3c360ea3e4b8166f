/**
 * The shard engine on Deno KV: a WAL per batch, an in-memory cache, compressed blocks per
 * (series, field), a series index, and the read interface the query engine uses.
 *
 * - `Store` owns the shards of a node: `acquire`/`withShard` open them lazily; a housekeeping
 *   timer (or the caller's `tick()`) closes idle ones and compacts caches by age; `close()`
 *   flushes everything.
 * - `Shard.writePoints` resolves once the batch's WAL record is committed (refused points come
 *   back in `errors` with InfluxDB's text); `deleteSeries` / `dropMeasurement` are durable
 *   when they resolve.
 * - `shard.reader` answers SHOW queries from the index and streams time-ordered segments per
 *   (series, field), merged from blocks and cache (last write wins).
 */

export { Shard } from "./shard.ts";
export type { ShardOptions, ShardStats, TimeRange, WriteResult } from "./shard.ts";
export { Store } from "./store.ts";
export type { ShardLease, ShardLocation, StoreOptions } from "./store.ts";
export { ShardReader } from "./reader.ts";
export type { ReadableShard, Row, Segment, SeriesRows } from "./reader.ts";
export type { FieldInfo, SeriesInfo } from "./series_index.ts";
export { tagPredicate } from "./predicate.ts";
export type { TagPredicate } from "./predicate.ts";
export type { Column, ColumnValues } from "./column.ts";
export type { CompactionPolicy, CompactionStats } from "./compactor.ts";
export { DEFAULT_COMPACTION_POLICY } from "./compactor.ts";
export type { StorageLogger } from "./logger.ts";
export { silentLogger } from "./logger.ts";
export type { FieldId, SeriesId } from "./key_layout.ts";
export {
  CorruptRecordError,
  FieldTypeConflictError,
  ShardClosedError,
  StorageError,
} from "./errors.ts";
export type { PointError } from "./errors.ts";
