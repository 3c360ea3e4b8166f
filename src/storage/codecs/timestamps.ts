import { decodeInt64Column, encodeInt64Column } from "./int64_column.ts";

/**
 * Encodes nanosecond timestamps: deltas run-length encoded when regular (1000 points at a
 * fixed interval cost about a dozen bytes), otherwise zigzag deltas divided by their common
 * power of ten and packed with simple8b. Any order and the full int64 range are allowed.
 */
export function encodeTimestamps(ts: BigInt64Array): Uint8Array {
  return encodeInt64Column(new Uint32Array(ts.buffer, ts.byteOffset, 2 * ts.length), true);
}

/** Decodes a buffer written by `encodeTimestamps`; throws `CorruptBlockError` if malformed. */
export function decodeTimestamps(b: Uint8Array): BigInt64Array {
  return new BigInt64Array(decodeInt64Column("timestamps", b).buffer);
}
