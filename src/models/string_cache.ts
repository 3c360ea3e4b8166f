/**
 * A small direct-mapped cache from byte ranges to strings. Field keys repeat on every line of
 * a batch; sharing one string per key saves an allocation per field, which the garbage
 * collector would otherwise copy along with every point that is kept.
 */
export class ByteStringCache {
  private readonly bytes: (Uint8Array | undefined)[];
  private readonly strings: string[];
  private readonly mask: number;

  constructor(slots = 1024, private readonly maxLength = 64) {
    this.bytes = new Array(slots).fill(undefined);
    this.strings = new Array(slots).fill("");
    this.mask = slots - 1;
  }

  /** The string for b[s, e), made by `make` on a miss (`make` must decode exactly that range). */
  get(b: Uint8Array, s: number, e: number, make: (s: number, e: number) => string): string {
    const len = e - s;
    if (len > this.maxLength) return make(s, e);
    let h = 0x811c9dc5 ^ len;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const slot = (h >>> 0) & this.mask;
    const cached = this.bytes[slot];
    if (cached !== undefined && cached.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (cached[i] !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.strings[slot];
    }
    const str = detach(make(s, e));
    this.bytes[slot] = b.slice(s, e);
    this.strings[slot] = str;
    return str;
  }
}

/**
 * A copy of `s` that does not keep a larger string alive. V8 represents a substring of 13 or
 * more chars as a slice of its parent, so a short name cut from a multi-megabyte request body
 * would pin the whole body for as long as it is kept (in a cache, an index, a point).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}
