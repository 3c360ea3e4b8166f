/** An MSB-first bit stream writer for the Gorilla float codec. */

/** Writes bits MSB-first, a 32-bit word at a time, into a growable buffer. */
export class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  /** Pending bits, left-aligned. */
  private cur = 0;
  /** How many bits of `cur` are still free (1..32). */
  private free = 32;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Appends the low `n` bits of `v`, 1 <= n <= 32; the other bits of `v` must be zero. */
  write(v: number, n: number): void {
    const free = this.free;
    if (n < free) {
      this.cur |= v << (free - n);
      this.free = free - n;
      return;
    }
    const over = n - free; // bits of v that do not fit in this word
    const word = this.cur | (v >>> over);
    if (this.pos + 4 > this.buf.length) this.grow();
    const buf = this.buf, p = this.pos;
    buf[p] = word >>> 24;
    buf[p + 1] = word >>> 16;
    buf[p + 2] = word >>> 8;
    buf[p + 3] = word;
    this.pos = p + 4;
    this.free = 32 - over;
    this.cur = over === 0 ? 0 : v << (32 - over);
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }

  /** Pads the last byte with zero bits and returns an exact-size copy. */
  finish(): Uint8Array {
    const used = 32 - this.free;
    if (this.pos + 4 > this.buf.length) this.grow();
    for (let k = 0; k < used; k += 8) this.buf[this.pos++] = this.cur >>> (24 - k);
    this.cur = 0;
    this.free = 32;
    return this.buf.slice(0, this.pos);
  }
}
