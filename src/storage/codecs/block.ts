/**
 * A self-describing column block for one (series, field): a 34-byte header, the encoded
 * timestamps, then the encoded values.
 *
 * ```
 * 0  u8   format version (1)
 * 1  u8   value type: 0 float, 1 integer, 2 unsigned, 3 boolean, 4 string
 * 2  u32  point count
 * 6  i64  min time       14 i64 max time       (ns; 0 and 0 when the block is empty)
 * 22 u32  byte length of the encoded timestamps
 * 26 u32  CRC-32 of bytes 34..end      30 u32 CRC-32 of bytes 0..30
 * ```
 * All little-endian. The header has its own CRC so `blockTimeRange` can trust it without
 * reading the body; `decodeBlock` checks both.
 */

import { crc32 } from "./crc32.ts";
import { CodecInputError, CorruptBlockError } from "./errors.ts";
import { decodeBooleans, encodeBooleans } from "./booleans.ts";
import { decodeFloats, encodeFloats } from "./floats.ts";
import { decodeIntegers, decodeUnsigned, encodeIntegers, encodeUnsigned } from "./integers.ts";
import { decodeStrings, encodeStrings } from "./strings.ts";
import { decodeTimestamps, encodeTimestamps } from "./timestamps.ts";

/** The values of one block, discriminated by their field type. */
export type BlockValues =
  | { type: "float"; values: Float64Array }
  | { type: "integer"; values: BigInt64Array }
  | { type: "unsigned"; values: BigUint64Array }
  | { type: "boolean"; values: boolean[] }
  | { type: "string"; values: string[] };

/** A decoded block: its timestamps alongside its typed values. */
export type DecodedBlock = { times: BigInt64Array } & BlockValues;

/** What `blockTimeRange` reads from a header. */
export interface BlockTimeRange {
  readonly min: bigint;
  readonly max: bigint;
  readonly count: number;
}

/** Size of the fixed block header in bytes. */
export const BLOCK_HEADER_BYTES = 34;
const VERSION = 1;
const TYPE_TAGS = ["float", "integer", "unsigned", "boolean", "string"] as const;

/** Encodes timestamps and values (same length) into one block with CRCs. */
export function encodeBlock(times: BigInt64Array, v: BlockValues): Uint8Array {
  if (times.length !== v.values.length) {
    throw new CodecInputError(
      `${times.length} timestamps but ${v.values.length} ${v.type} values; they must pair up`,
    );
  }
  const t = encodeTimestamps(times);
  const vals = encodeValues(v);
  const out = new Uint8Array(BLOCK_HEADER_BYTES + t.length + vals.length);
  out.set(t, BLOCK_HEADER_BYTES);
  out.set(vals, BLOCK_HEADER_BYTES + t.length);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, VERSION);
  dv.setUint8(1, TYPE_TAGS.indexOf(v.type));
  dv.setUint32(2, times.length, true);
  writeMinMax(dv, times);
  dv.setUint32(22, t.length, true);
  dv.setUint32(26, crc32(out, BLOCK_HEADER_BYTES), true);
  dv.setUint32(30, crc32(out, 0, 30), true);
  return out;
}

/** Decodes a block, verifying both CRCs; throws `CorruptBlockError` on any damage. */
export function decodeBlock(b: Uint8Array): DecodedBlock {
  const dv = checkHeader(b);
  if (crc32(b, BLOCK_HEADER_BYTES) !== dv.getUint32(26, true)) {
    throw new CorruptBlockError("block", BLOCK_HEADER_BYTES, "body CRC-32 does not match");
  }
  const count = dv.getUint32(2, true);
  const tEnd = BLOCK_HEADER_BYTES + dv.getUint32(22, true);
  if (tEnd > b.length) {
    throw new CorruptBlockError("block", 22, "timestamps run past the end of the block");
  }
  const times = decodeTimestamps(b.subarray(BLOCK_HEADER_BYTES, tEnd));
  const vb = b.subarray(tEnd);
  const type = TYPE_TAGS[dv.getUint8(1)];
  let block: DecodedBlock;
  switch (type) {
    case "float":
      block = { times, type, values: decodeFloats(vb) };
      break;
    case "integer":
      block = { times, type, values: decodeIntegers(vb) };
      break;
    case "unsigned":
      block = { times, type, values: decodeUnsigned(vb) };
      break;
    case "boolean":
      block = { times, type, values: decodeBooleans(vb) };
      break;
    case "string":
      block = { times, type, values: decodeStrings(vb) };
      break;
  }
  if (times.length !== count || block.values.length !== count) {
    throw new CorruptBlockError(
      "block",
      2,
      `header says ${count} points, found ${times.length} times and ${block.values.length} values`,
    );
  }
  return block;
}

/** Reads a block's time range and point count from its header alone (header CRC checked). */
export function blockTimeRange(b: Uint8Array): BlockTimeRange {
  const dv = checkHeader(b);
  return {
    min: dv.getBigInt64(6, true),
    max: dv.getBigInt64(14, true),
    count: dv.getUint32(2, true),
  };
}

function checkHeader(b: Uint8Array): DataView {
  if (b.length < BLOCK_HEADER_BYTES) {
    throw new CorruptBlockError(
      "block",
      b.length,
      `shorter than its ${BLOCK_HEADER_BYTES}-byte header`,
    );
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  if (crc32(b, 0, 30) !== dv.getUint32(30, true)) {
    throw new CorruptBlockError("block", 30, "header CRC-32 does not match");
  }
  const version = dv.getUint8(0);
  if (version !== VERSION) {
    throw new CorruptBlockError("block", 0, `unknown format version ${version}`);
  }
  if (dv.getUint8(1) >= TYPE_TAGS.length) {
    throw new CorruptBlockError("block", 1, `unknown value type ${dv.getUint8(1)}`);
  }
  return dv;
}

function encodeValues(v: BlockValues): Uint8Array {
  switch (v.type) {
    case "float":
      return encodeFloats(v.values);
    case "integer":
      return encodeIntegers(v.values);
    case "unsigned":
      return encodeUnsigned(v.values);
    case "boolean":
      return encodeBooleans(v.values);
    case "string":
      return encodeStrings(v.values);
  }
}

/** Writes min and max time at offsets 6 and 14, comparing (signed hi, unsigned lo) halves. */
function writeMinMax(dv: DataView, times: BigInt64Array): void {
  const n = times.length;
  if (n === 0) return; // both stay 0
  const lo = new Uint32Array(times.buffer, times.byteOffset, 2 * n);
  const hi = new Int32Array(times.buffer, times.byteOffset, 2 * n);
  let minI = 0, maxI = 0;
  for (let i = 1; i < n; i++) {
    const h = hi[2 * i + 1], l = lo[2 * i];
    const mh = hi[2 * minI + 1];
    if (h < mh || (h === mh && l < lo[2 * minI])) minI = i;
    const xh = hi[2 * maxI + 1];
    if (h > xh || (h === xh && l > lo[2 * maxI])) maxI = i;
  }
  dv.setBigInt64(6, times[minI], true);
  dv.setBigInt64(14, times[maxI], true);
}
