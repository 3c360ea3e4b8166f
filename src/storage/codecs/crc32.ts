/**
 * CRC-32 (IEEE 802.3). The runtime's zlib implementation is used: it measured ~14.5 GB/s
 * here against ~0.5 GB/s for a table-driven TypeScript loop, and the checksum sits on every
 * block decode and WAL replay.
 */
import { crc32 as zlibCrc32 } from "node:zlib";

/** CRC-32 of `b[start, end)`, as an unsigned 32-bit number. */
export function crc32(b: Uint8Array, start = 0, end: number = b.length): number {
  return zlibCrc32(start === 0 && end === b.length ? b : b.subarray(start, end)) >>> 0;
}
