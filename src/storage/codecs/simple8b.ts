/**
 * Simple8b: packs runs of small unsigned integers into 64-bit words, a 4-bit selector in the
 * top bits saying how many values of what width follow (Anh & Moffat; TSM's variant with
 * two run-length selectors for zeros). Values are 64-bit, held as (lo, hi) pairs of
 * `Uint32Array` entries so no BigInt is touched; each must fit in 60 bits. The value count
 * is stored by the caller, so the last word may be partly filled.
 */

import type { ByteReader, ByteWriter } from "./bytes.ts";

/** Values per word, by selector. */
const COUNT = [240, 120, 60, 30, 20, 15, 12, 10, 8, 7, 6, 5, 4, 3, 2, 1];
/** Bits per value, by selector. */
const WIDTH = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30, 60];

/** The largest value width simple8b can hold. */
export const SIMPLE8B_MAX_WIDTH = 60;

/** Bit width of the 64-bit value `hi * 2^32 + lo` (0 for zero). */
export function bitWidth(hi: number, lo: number): number {
  return hi !== 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(lo);
}

/**
 * Appends `count` values from `pairs` (value i at `pairs[2i]` lo, `pairs[2i+1]` hi, starting
 * at value `first`) whose widths are in `widths[first..]`, all at most 60 bits.
 */
export function encodeSimple8b(
  w: ByteWriter,
  pairs: Uint32Array,
  widths: Uint8Array,
  first: number,
  count: number,
): void {
  const end = first + count;
  w.ensure(Math.ceil(count * 8));
  let i = first;
  while (i < end) {
    const rem = end - i;
    // Try selectors from fewest to most values per word; widths only widen as the look-ahead
    // grows, so the first selector that does not fit ends the search.
    let best = 15;
    let m = 0;
    let j = 0;
    for (let s = 15; s >= 0; s--) {
      const k = COUNT[s], n = WIDTH[s];
      const target = k < rem ? k : rem;
      while (j < target && m <= n) {
        const wd = widths[i + j];
        if (wd > m) m = wd;
        j++;
      }
      if (m > n) break;
      best = s;
      if (target < k) break; // the tail fits in this word
    }
    const k = COUNT[best], n = WIDTH[best];
    const take = k < rem ? k : rem;
    let lo = 0, hi = 0;
    if (best === 15) {
      lo = pairs[2 * i];
      hi = pairs[2 * i + 1];
    } else if (n > 0) {
      let p = 0;
      for (let q = 0; q < take; q++) {
        const x = pairs[2 * (i + q)];
        if (p + n <= 32) lo |= x << p;
        else if (p >= 32) hi |= x << (p - 32);
        else {
          lo |= x << p;
          hi |= x >>> (32 - p);
        }
        p += n;
      }
    }
    hi = (hi | (best << 28)) >>> 0;
    w.u32(lo >>> 0);
    w.u32(hi);
    i += take;
  }
}

/**
 * Reads words from `r` until `count` values are written to `out` as (lo, hi) pairs starting
 * at value index `first`.
 */
export function decodeSimple8b(
  r: ByteReader,
  out: Uint32Array,
  first: number,
  count: number,
): void {
  const end = first + count;
  const buf = r.buf;
  let i = first;
  while (i < end) {
    r.need(8);
    const p0 = r.pos;
    const lo = (buf[p0] | (buf[p0 + 1] << 8) | (buf[p0 + 2] << 16) | (buf[p0 + 3] << 24)) >>> 0;
    const hi = (buf[p0 + 4] | (buf[p0 + 5] << 8) | (buf[p0 + 6] << 16) | (buf[p0 + 7] << 24)) >>>
      0;
    r.pos = p0 + 8;
    const sel = hi >>> 28;
    const k = COUNT[sel];
    const take = k < end - i ? k : end - i;
    if (sel === 15) {
      out[2 * i] = lo;
      out[2 * i + 1] = hi & 0x0fffffff;
      i++;
      continue;
    }
    const n = WIDTH[sel];
    if (n === 0) {
      out.fill(0, 2 * i, 2 * (i + take));
      i += take;
      continue;
    }
    const mask = (1 << n) - 1;
    let p = 0;
    for (let q = 0; q < take; q++) {
      let x;
      if (p + n <= 32) x = (lo >>> p) & mask;
      else if (p >= 32) x = (hi >>> (p - 32)) & mask;
      else x = ((lo >>> p) | (hi << (32 - p))) & mask;
      out[2 * (i + q)] = x;
      out[2 * (i + q) + 1] = 0;
      p += n;
    }
    i += take;
  }
}
