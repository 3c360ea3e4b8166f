/**
 * Gorilla float compression (Pelkonen et al., VLDB 2015), as TSM does it: the first value
 * raw, then each value XORed with the previous one; a zero XOR costs one bit, otherwise the
 * meaningful bits are written inside the previous leading/trailing-zero window when they fit
 * there, or with a new window (5 bits leading zeros, 6 bits length). Works on the IEEE bits
 * through a `Uint32Array` view, so NaN payloads, ±Inf and -0 round-trip exactly.
 */

import { BitWriter } from "./bit_writer.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { CodecInputError, CorruptBlockError } from "./errors.ts";
import { MAX_COLUMN_VALUES } from "./int64_column.ts";

/** Encodes floats with Gorilla XOR compression. */
export function encodeFloats(v: Float64Array): Uint8Array {
  const n = v.length;
  if (n > MAX_COLUMN_VALUES) {
    throw new CodecInputError(`${n} values is more than the ${MAX_COLUMN_VALUES} a column holds`);
  }
  const head = new ByteWriter(16);
  head.uvarint(n);
  if (n === 0) return head.finish();
  const src = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
  head.u32(src[0]);
  head.u32(src[1]);
  const w = new BitWriter(head.pos + 10 * n + 16); // 77 bits per value at worst
  const hb = head.buf;
  for (let i = 0; i < head.pos; i++) w.write(hb[i], 8);
  let plo = src[0], phi = src[1];
  let pLead = 64, pTrail = 0; // no window yet: lead 64 never fits
  for (let i = 1; i < n; i++) {
    const lo = src[2 * i], hi = src[2 * i + 1];
    const xlo = (lo ^ plo) >>> 0, xhi = (hi ^ phi) >>> 0;
    plo = lo;
    phi = hi;
    if ((xlo | xhi) === 0) {
      w.write(0, 1);
      continue;
    }
    let lead = xhi !== 0 ? Math.clz32(xhi) : 32 + Math.clz32(xlo);
    const trail = xlo !== 0 ? ctz32(xlo) : 32 + ctz32(xhi);
    if (lead > 31) lead = 31;
    let shift, sig;
    if (lead >= pLead && trail >= pTrail) {
      w.write(2, 2);
      shift = pTrail;
      sig = 64 - pLead - pTrail;
    } else {
      sig = 64 - lead - trail;
      w.write((3 << 11) | (lead << 6) | (sig & 63), 13); // control, leading zeros, length
      pLead = lead;
      pTrail = trail;
      shift = trail;
    }
    // The XOR shifted right by `shift`, written as `sig` bits.
    let l, h;
    if (shift === 0) {
      l = xlo;
      h = xhi;
    } else if (shift >= 32) {
      l = xhi >>> (shift - 32);
      h = 0;
    } else {
      l = ((xlo >>> shift) | (xhi << (32 - shift))) >>> 0;
      h = xhi >>> shift;
    }
    if (sig > 32) {
      w.write(h, sig - 32);
      w.write(l, 32);
    } else w.write(l, sig);
  }
  return w.finish();
}

/** Decodes a buffer written by `encodeFloats`. */
export function decodeFloats(b: Uint8Array): Float64Array {
  const r = new ByteReader("floats", b);
  const n = r.uvarint(MAX_COLUMN_VALUES);
  const out = new Float64Array(n);
  if (n === 0) {
    r.done();
    return out;
  }
  const dst = new Uint32Array(out.buffer);
  let plo = r.u32(), phi = r.u32();
  dst[0] = plo;
  dst[1] = phi;
  // Zero padding lets `peek` load four bytes anywhere without bounds checks; overruns into
  // the padding are caught after each value.
  const buf = new Uint8Array(b.length - r.pos + 16);
  buf.set(b.subarray(r.pos));
  const endBit = 8 * (b.length - r.pos);
  let bp = 0;
  let lead = 0, sig = 0;
  for (let i = 1; i < n; i++) {
    const ctl = peek(buf, bp, 2);
    if (ctl < 2) bp++;
    else {
      bp += 2;
      if (ctl === 3) {
        const win = peek(buf, bp, 11);
        bp += 11;
        lead = win >>> 6;
        sig = (win & 63) || 64;
        if (lead + sig > 64) {
          throw new CorruptBlockError(
            "floats",
            r.pos + (bp >>> 3),
            `float ${i} has a window of ${lead}+${sig} bits, more than 64`,
          );
        }
      } else if (sig === 0) {
        throw new CorruptBlockError("floats", r.pos + (bp >>> 3), `float ${i} reuses no window`);
      }
      let h = 0, l;
      if (sig <= 24) l = peek(buf, bp, sig);
      else if (sig <= 32) {
        l = ((peek(buf, bp, sig - 16) << 16) | peek(buf, bp + sig - 16, 16)) >>> 0;
      } else {
        const hn = sig - 32;
        h = hn <= 24
          ? peek(buf, bp, hn)
          : (peek(buf, bp, hn - 16) << 16) | peek(buf, bp + hn - 16, 16);
        l = ((peek(buf, bp + hn, 16) << 16) | peek(buf, bp + hn + 16, 16)) >>> 0;
      }
      bp += sig;
      const trail = 64 - lead - sig;
      if (trail === 0) {
        plo = (plo ^ l) >>> 0;
        phi = (phi ^ h) >>> 0;
      } else if (trail >= 32) {
        phi = (phi ^ (l << (trail - 32))) >>> 0;
      } else {
        plo = (plo ^ (l << trail)) >>> 0;
        phi = (phi ^ ((h << trail) | (l >>> (32 - trail)))) >>> 0;
      }
    }
    if (bp > endBit) {
      throw new CorruptBlockError("floats", b.length, "bit stream ends before its last value");
    }
    dst[2 * i] = plo;
    dst[2 * i + 1] = phi;
  }
  // Only zero padding, less than a byte of it, may follow the last value.
  if (((bp + 7) >>> 3) !== endBit >>> 3 || (bp & 7 && peek(buf, bp, 8 - (bp & 7)) !== 0)) {
    throw new CorruptBlockError("floats", r.pos + (bp >>> 3), "unexpected trailing bits");
  }
  return out;
}

/** The `n` bits (1..24) starting at bit `bp`, MSB first. */
function peek(buf: Uint8Array, bp: number, n: number): number {
  const i = bp >>> 3;
  const w = (buf[i] << 24) | (buf[i + 1] << 16) | (buf[i + 2] << 8) | buf[i + 3];
  return (w << (bp & 7)) >>> (32 - n);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}
