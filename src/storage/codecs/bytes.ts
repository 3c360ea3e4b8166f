import { CorruptBlockError } from "./errors.ts";

/** An append-only byte buffer that grows by doubling; `finish()` returns an exact-size copy. */
export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends one byte. */
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Appends a little-endian unsigned 32-bit value. */
  u32(v: number): void {
    this.ensure(4);
    const b = this.buf, p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  /** Appends an unsigned LEB128 varint of a value below 2^53. */
  uvarint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** Appends an unsigned LEB128 varint of the 64-bit value `hi * 2^32 + lo`. */
  uvarint64(hi: number, lo: number): void {
    this.ensure(10);
    hi >>>= 0;
    lo >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  /** Appends raw bytes. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The written bytes, copied into a buffer of exactly that size. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** A bounds-checked cursor over a buffer; every overrun throws `CorruptBlockError`. */
export class ByteReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  readonly codec: string;

  constructor(codec: string, buf: Uint8Array, start = 0, end: number = buf.length) {
    this.codec = codec;
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (this.pos + n > this.end) {
      throw new CorruptBlockError(this.codec, this.pos, `needs ${n} more bytes, buffer ends`);
    }
  }

  /** A `CorruptBlockError` at the current position. */
  corrupt(detail: string): CorruptBlockError {
    return new CorruptBlockError(this.codec, this.pos, detail);
  }

  /** Reads one byte. */
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  /** Reads a little-endian unsigned 32-bit value. */
  u32(): number {
    this.need(4);
    const b = this.buf, p = this.pos;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Reads an unsigned varint that must be at most `max` (and below 2^53). */
  uvarint(max: number): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      v += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (v > max) throw this.corrupt(`value ${v} exceeds the limit ${max}`);
        return v;
      }
      scale *= 128;
    }
    throw this.corrupt("varint too long");
  }

  /** Reads an unsigned 64-bit varint into `out[0]` (lo) and `out[1]` (hi). */
  uvarint64(out: Uint32Array): void {
    let lo = 0, hi = 0;
    for (let i = 0, shift = 0; i < 10; i++, shift += 7) {
      const byte = this.u8();
      const bits = byte & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if (byte < 0x80) {
        if (i === 9 && bits > 1) break;
        out[0] = lo >>> 0;
        out[1] = hi >>> 0;
        return;
      }
    }
    throw this.corrupt("64-bit varint too long");
  }

  /** Returns a view of the next `n` bytes and advances past them. */
  take(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Throws unless the whole range was consumed. */
  done(): void {
    if (this.pos !== this.end) {
      throw this.corrupt(`${this.end - this.pos} unexpected trailing bytes`);
    }
  }
}
