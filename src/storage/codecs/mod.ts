/**
 * Compressed column codecs for the storage engine: pure, synchronous, no I/O. Each
 * `encodeX` output is self-describing (it carries its count); `encodeBlock` pairs timestamps
 * with one field's values under a CRC-checked header. Every decoder throws
 * `CorruptBlockError` on malformed input rather than returning partial data.
 */

export { CodecInputError, CorruptBlockError } from "./errors.ts";
export { crc32 } from "./crc32.ts";
export { decodeTimestamps, encodeTimestamps } from "./timestamps.ts";
export { decodeFloats, encodeFloats } from "./floats.ts";
export { decodeIntegers, decodeUnsigned, encodeIntegers, encodeUnsigned } from "./integers.ts";
export { decodeBooleans, encodeBooleans } from "./booleans.ts";
export { decodeStrings, encodeStrings } from "./strings.ts";
export { MAX_COLUMN_VALUES } from "./int64_column.ts";
export { BLOCK_HEADER_BYTES, blockTimeRange, decodeBlock, encodeBlock } from "./block.ts";
export type { BlockTimeRange, BlockValues, DecodedBlock } from "./block.ts";
