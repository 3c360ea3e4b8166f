/**
 * The shared codec for 64-bit integer columns (timestamps, integers, unsigned), like TSM's:
 * the first value raw, then the deltas (wrapping, so any int64/uint64 sequence works,
 * including equal and decreasing values): run-length encoded when every delta is equal,
 * otherwise simple8b-packed as zigzag values or, when that is smaller, as offsets from the
 * smallest delta (frame of reference: sorted, jittered times); all values raw when a delta
 * needs more than 60 bits. Timestamps also divide the deltas by the largest power of ten that
 * divides them all (ns data written at s or ms precision). Values are handled as (lo, hi)
 * uint32 pairs through a typed-array view: no BigInt in the loops (measured ~2x faster than
 * BigInt64Array arithmetic for the prefix sum).
 *
 * Layout: u8 mode, uvarint count, then by mode — 0 empty: nothing; 1 raw: count × 8 bytes;
 * 2 run: first (8 bytes), u8 scale exponent, uvarint64 zigzag delta; 3 simple8b: first,
 * exponent, words; 4 simple8b with base: first, exponent, uvarint64 zigzag base, words.
 */

import { ByteReader, ByteWriter } from "./bytes.ts";
import { CodecInputError } from "./errors.ts";
import { bitWidth, decodeSimple8b, encodeSimple8b, SIMPLE8B_MAX_WIDTH } from "./simple8b.ts";

/**
 * The most values one column may hold (about a million): far above a block of the engine,
 * and it bounds what a corrupt count can make a decoder allocate.
 */
export const MAX_COLUMN_VALUES = 1 << 20;

const MODE_EMPTY = 0, MODE_RAW = 1, MODE_RLE = 2, MODE_S8B = 3, MODE_S8B_FOR = 4;
const TWO32 = 4294967296;
const MAX_EXP = 12;
const POW10: number[] = Array.from({ length: MAX_EXP + 1 }, (_, e) => 10 ** e);

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("Chronoraft's codecs need a little-endian CPU (x86-64 or ARM64).");
}

/** Encodes `n` 64-bit values given as (lo, hi) pairs; `scale` allows power-of-ten deltas. */
export function encodeInt64Column(src: Uint32Array, scale: boolean): Uint8Array {
  const n = src.length >>> 1;
  if (n > MAX_COLUMN_VALUES) {
    throw new CodecInputError(`${n} values is more than the ${MAX_COLUMN_VALUES} a column holds`);
  }
  if (n === 0) return new Uint8Array([MODE_EMPTY, 0]);
  const m = n - 1;
  const zz = new Uint32Array(2 * m);
  const widths = new Uint8Array(m);
  let allEqual = true, small = true, maxWidth = 0;
  let plo = src[0], phi = src[1];
  for (let i = 0; i < m; i++) {
    const lo = src[2 * i + 2], hi = src[2 * i + 3];
    const dlo = (lo - plo) >>> 0;
    const dhi = (hi - phi - (lo < plo ? 1 : 0)) | 0;
    plo = lo;
    phi = hi;
    const sign = dhi >> 31;
    const zlo = ((dlo << 1) ^ sign) >>> 0;
    const zhi = (((dhi << 1) | (dlo >>> 31)) ^ sign) >>> 0;
    zz[2 * i] = zlo;
    zz[2 * i + 1] = zhi;
    const wd = bitWidth(zhi, zlo);
    widths[i] = wd;
    if (wd > maxWidth) maxWidth = wd;
    if (wd > 53) small = false;
    if (zlo !== zz[0] || zhi !== zz[1]) allEqual = false;
  }
  let exp = 0;
  if (scale && small && m > 0) {
    exp = powerOfTenExponent(zz, allEqual ? 1 : m);
    if (exp > 0) maxWidth = rescale(zz, widths, allEqual ? 1 : m, POW10[exp]);
  }
  const base = new Uint32Array(2);
  let useBase = false;
  if (!allEqual && m > 1 && maxWidth <= SIMPLE8B_MAX_WIDTH) {
    const w = frameOfReference(zz, widths, m, base);
    if (w >= 0) {
      useBase = true;
      maxWidth = w;
    }
  }
  const w = new ByteWriter(m > 0 && maxWidth <= SIMPLE8B_MAX_WIDTH ? 24 + m : 16 + 8 * n);
  if (m > 0 && allEqual) {
    w.u8(MODE_RLE);
    w.uvarint(n);
    writeRaw(w, src, 0, 1);
    w.u8(exp);
    w.uvarint64(zz[1], zz[0]);
  } else if (maxWidth > SIMPLE8B_MAX_WIDTH) {
    w.u8(MODE_RAW);
    w.uvarint(n);
    writeRaw(w, src, 0, n);
  } else {
    w.u8(useBase ? MODE_S8B_FOR : MODE_S8B);
    w.uvarint(n);
    writeRaw(w, src, 0, 1);
    w.u8(exp);
    if (useBase) w.uvarint64(base[1], base[0]);
    encodeSimple8b(w, zz, widths, 0, m);
  }
  return w.finish();
}

/** Decodes a column into `(lo, hi)` pairs backed by a fresh 8-byte-per-value buffer. */
export function decodeInt64Column(codec: string, b: Uint8Array): Uint32Array {
  const r = new ByteReader(codec, b);
  const mode = r.u8();
  const n = r.uvarint(MAX_COLUMN_VALUES);
  // A packed column cannot hold more than 240 values per 8-byte word: refuse an implausible
  // count before allocating for it.
  const left = r.end - r.pos;
  if ((mode === MODE_RAW && 8 * n > left) || (mode !== MODE_RLE && n > 1 + 30 * left)) {
    throw r.corrupt(`count ${n} does not fit in the ${left} bytes that follow`);
  }
  const out = new Uint32Array(2 * n);
  if (mode === MODE_EMPTY) {
    if (n !== 0) throw r.corrupt("empty column with a non-zero count");
  } else if (mode === MODE_RAW) {
    if (n === 0) throw r.corrupt("raw column with no values");
    new Uint8Array(out.buffer).set(r.take(8 * n));
  } else if (mode === MODE_RLE || mode === MODE_S8B || mode === MODE_S8B_FOR) {
    if (n === 0) throw r.corrupt("column with no values");
    new Uint8Array(out.buffer, 0, 8).set(r.take(8));
    const exp = r.u8();
    if (exp > MAX_EXP) throw r.corrupt(`delta scale 10^${exp} is out of range`);
    if (mode === MODE_RLE) expandRun(r, out, n, exp);
    else {
      const base = new Uint32Array(2);
      if (mode === MODE_S8B_FOR) r.uvarint64(base);
      decodeSimple8b(r, out, 1, n - 1);
      prefixSum(out, n, exp, mode === MODE_S8B_FOR, base);
    }
  } else throw r.corrupt(`unknown column mode ${mode}`);
  r.done();
  return out;
}

function writeRaw(w: ByteWriter, src: Uint32Array, from: number, to: number): void {
  w.ensure(8 * (to - from));
  for (let i = from; i < to; i++) {
    w.u32(src[2 * i]);
    w.u32(src[2 * i + 1]);
  }
}

/** The zigzag value `hi * 2^32 + lo` as a signed Number (exact below 2^53). */
function unzigzagNumber(lo: number, hi: number): number {
  const z = hi * TWO32 + lo;
  return lo & 1 ? -(z + 1) / 2 : z / 2;
}

/** Largest e <= MAX_EXP with 10^e dividing every delta (all below 2^53). */
function powerOfTenExponent(zz: Uint32Array, m: number): number {
  let e = MAX_EXP;
  for (let i = 0; i < m && e > 0; i++) {
    const d = unzigzagNumber(zz[2 * i], zz[2 * i + 1]);
    while (e > 0 && d % POW10[e] !== 0) e--;
  }
  return e;
}

/** Divides every delta by `div` in place, re-zigzagging; returns the new widest value. */
function rescale(zz: Uint32Array, widths: Uint8Array, m: number, div: number): number {
  let maxWidth = 0;
  for (let i = 0; i < m; i++) {
    const d = unzigzagNumber(zz[2 * i], zz[2 * i + 1]) / div;
    const z = d >= 0 ? 2 * d : -2 * d - 1;
    const lo = z >>> 0, hi = Math.floor(z / TWO32);
    zz[2 * i] = lo;
    zz[2 * i + 1] = hi;
    const wd = bitWidth(hi, lo);
    widths[i] = wd;
    if (wd > maxWidth) maxWidth = wd;
  }
  return maxWidth;
}

/**
 * Frame of reference: when deltas cluster away from zero (sorted, jittered timestamps), store
 * `delta - minDelta` instead of the zigzag delta. Replaces `zz`/`widths` and returns the new
 * widest value when the summed widths shrink, else returns -1 and changes nothing. The
 * zigzag minimum is left in `base` as (lo, hi).
 */
function frameOfReference(
  zz: Uint32Array,
  widths: Uint8Array,
  m: number,
  base: Uint32Array,
): number {
  let minLo = 0, minHi = 0x7fffffff, minI = 0, zzCost = 0;
  for (let i = 0; i < m; i++) {
    const zlo = zz[2 * i], zhi = zz[2 * i + 1];
    const sign = -(zlo & 1);
    const dlo = (((zlo >>> 1) | (zhi << 31)) ^ sign) >>> 0;
    const dhi = ((zhi >>> 1) ^ sign) | 0;
    if (dhi < minHi || (dhi === minHi && dlo < minLo)) {
      minHi = dhi;
      minLo = dlo;
      minI = i;
    }
    zzCost += widths[i];
  }
  let cost = 0;
  for (let i = 0; i < m && cost < zzCost; i++) {
    const zlo = zz[2 * i], zhi = zz[2 * i + 1];
    const sign = -(zlo & 1);
    const dlo = (((zlo >>> 1) | (zhi << 31)) ^ sign) >>> 0;
    const dhi = ((zhi >>> 1) ^ sign) | 0;
    const uhi = (dhi - minHi - (dlo < minLo ? 1 : 0)) >>> 0;
    const wd = bitWidth(uhi, (dlo - minLo) >>> 0);
    if (wd > SIMPLE8B_MAX_WIDTH) return -1;
    cost += wd;
  }
  if (cost >= zzCost) return -1;
  base[0] = zz[2 * minI];
  base[1] = zz[2 * minI + 1];
  let maxWidth = 0;
  for (let i = 0; i < m; i++) {
    const zlo = zz[2 * i], zhi = zz[2 * i + 1];
    const sign = -(zlo & 1);
    const dlo = (((zlo >>> 1) | (zhi << 31)) ^ sign) >>> 0;
    const dhi = ((zhi >>> 1) ^ sign) | 0;
    const ulo = (dlo - minLo) >>> 0;
    const uhi = (dhi - minHi - (dlo < minLo ? 1 : 0)) >>> 0;
    zz[2 * i] = ulo;
    zz[2 * i + 1] = uhi;
    const wd = bitWidth(uhi, ulo);
    widths[i] = wd;
    if (wd > maxWidth) maxWidth = wd;
  }
  return maxWidth;
}

function expandRun(r: ByteReader, out: Uint32Array, n: number, exp: number): void {
  const z = new Uint32Array(2);
  r.uvarint64(z);
  // One delta: BigInt is fine here and keeps the scaled product exact.
  let d = (BigInt(z[1]) << 32n) | BigInt(z[0]);
  d = (d & 1n ? -((d + 1n) >> 1n) : d >> 1n) * 10n ** BigInt(exp);
  d = BigInt.asUintN(64, d);
  const dlo = Number(d & 0xffffffffn), dhi = Number(d >> 32n);
  let lo = out[0], hi = out[1];
  for (let i = 1; i < n; i++) {
    const s = lo + dlo;
    lo = s >>> 0;
    hi = (hi + dhi + (s > 0xffffffff ? 1 : 0)) >>> 0;
    out[2 * i] = lo;
    out[2 * i + 1] = hi;
  }
}

/**
 * Turns the decoded deltas at values 1..n-1 back into values, in place. With `useBase` they
 * are offsets from the zigzag-encoded minimum delta in `base`, otherwise zigzag deltas.
 */
function prefixSum(
  out: Uint32Array,
  n: number,
  exp: number,
  useBase: boolean,
  base: Uint32Array,
): void {
  let lo = out[0], hi = out[1];
  const mul = POW10[exp];
  const bsign = -(base[0] & 1);
  const blo = (((base[0] >>> 1) | (base[1] << 31)) ^ bsign) >>> 0;
  const bhi = ((base[1] >>> 1) ^ bsign) >>> 0;
  const bnum = unzigzagNumber(base[0], base[1]);
  for (let i = 1; i < n; i++) {
    const zlo = out[2 * i], zhi = out[2 * i + 1];
    let dlo, dhi;
    if (useBase) {
      if (exp === 0) {
        const s = zlo + blo;
        dlo = s >>> 0;
        dhi = (zhi + bhi + (s > 0xffffffff ? 1 : 0)) >>> 0;
      } else {
        const d = (zhi * TWO32 + zlo + bnum) * mul;
        dlo = d >>> 0;
        dhi = Math.floor(d / TWO32) >>> 0;
      }
    } else if (exp === 0) {
      const sign = -(zlo & 1);
      dlo = (((zlo >>> 1) | (zhi << 31)) ^ sign) >>> 0;
      dhi = ((zhi >>> 1) ^ sign) >>> 0;
    } else {
      const d = unzigzagNumber(zlo, zhi) * mul;
      dlo = d >>> 0;
      dhi = Math.floor(d / TWO32) >>> 0;
    }
    const s = lo + dlo;
    lo = s >>> 0;
    hi = (hi + dhi + (s > 0xffffffff ? 1 : 0)) >>> 0;
    out[2 * i] = lo;
    out[2 * i + 1] = hi;
  }
}
