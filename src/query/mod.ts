/** The InfluxQL executor: SELECT with pushed-down aggregation, SHOW, DDL and DELETE. */
export { StatementExecutor } from "./executor.ts";
export type { ExecuteOptions, ExecutorDeps } from "./executor.ts";
export type {
  ColumnLike,
  QueryDatabase,
  QueryMeta,
  QueryRetentionPolicy,
  QueryRetentionPolicySpec,
  QueryShardGroup,
  QueryShardInfo,
  QueryShards,
  QueryUser,
  QueryUserAdmin,
  SegmentLike,
  SeriesLike,
  ShardHandle,
  ShardReaderLike,
  TagPredicate,
  Value,
  WritePointsFn,
} from "./deps.ts";
export type { Cell, ResultMessage, ResultSeries, StatementResult } from "./result.ts";
export { QueryError } from "./errors.ts";
export { isValidZone, zoneOffsetSeconds } from "./zone.ts";
export { Chunker, chunkResult } from "./chunk.ts";
