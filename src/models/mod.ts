/**
 * Public surface of `models/`: the shared `Point` type and InfluxDB 1.x line protocol
 * (parse, format, escaping, series keys).
 */
export type { Field, FieldType, FieldValue, Point, Tag } from "./point.ts";
export { type Precision, precisionFromParam, precisionMultiplier } from "./precision.ts";
export {
  type BatchParseResult,
  type LineError,
  MAX_NANO_TIME,
  MIN_NANO_TIME,
  type ParseOptions,
  parsePointBatch,
  parsePoints,
  type ParseResult,
} from "./line_protocol.ts";
export { batchBuffers, concatBatches, releaseBatch, releaseBytes } from "./point_batch_ops.ts";
export {
  batchOf,
  FIELD_TYPE_CODES,
  FIELD_TYPE_NAMES,
  fieldValue,
  pointAt,
  type PointBatch,
  PointBatchBuilder,
  pointsOf,
  type SeriesRef,
  type TimeWords,
  timeWords,
} from "./point_batch.ts";
export { MAX_KEY_LENGTH } from "./line_scan.ts";
export { formatFloat, formatPoint, formatPoints, LineFormatError } from "./line_format.ts";
export {
  compareUtf8,
  makePoint,
  type ParsedSeriesKey,
  parseSeriesKey,
  seriesKey,
  sortTags,
  timeKeyViolation,
  timeTagViolation,
} from "./series_key.ts";
export {
  escapeFieldKey,
  escapeMeasurement,
  escapeStringField,
  escapeTag,
  unescapeFieldKey,
  unescapeMeasurement,
  unescapeStringField,
  unescapeTag,
} from "./escape.ts";
