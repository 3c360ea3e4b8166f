import { decodeInt64Column, encodeInt64Column } from "./int64_column.ts";

/** Encodes signed 64-bit integers: zigzag deltas, run-length or simple8b packed. */
export function encodeIntegers(v: BigInt64Array): Uint8Array {
  return encodeInt64Column(new Uint32Array(v.buffer, v.byteOffset, 2 * v.length), false);
}

/** Decodes a buffer written by `encodeIntegers`; throws `CorruptBlockError` if malformed. */
export function decodeIntegers(b: Uint8Array): BigInt64Array {
  return new BigInt64Array(decodeInt64Column("integers", b).buffer);
}

/**
 * Encodes unsigned 64-bit integers. Deltas wrap modulo 2^64, so the same codec as signed
 * integers covers 0..2^64-1 exactly (TSM stores unsigned the same way).
 */
export function encodeUnsigned(v: BigUint64Array): Uint8Array {
  return encodeInt64Column(new Uint32Array(v.buffer, v.byteOffset, 2 * v.length), false);
}

/** Decodes a buffer written by `encodeUnsigned`; throws `CorruptBlockError` if malformed. */
export function decodeUnsigned(b: Uint8Array): BigUint64Array {
  return new BigUint64Array(decodeInt64Column("unsigned", b).buffer);
}
