/** A seeded PRNG (mulberry32) and generators shared by the codec tests. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Next uint32. */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniformly random 64 bits as a signed bigint. */
  i64(): bigint {
    return BigInt.asIntN(64, (BigInt(this.u32()) << 32n) | BigInt(this.u32()));
  }

  /** A signed 64-bit value of a random bit width, so small and huge values both appear. */
  i64Mixed(): bigint {
    const bits = BigInt(this.int(65));
    return BigInt.asIntN(64, this.i64() & ((1n << bits) - 1n)) * (this.int(2) ? -1n : 1n);
  }
}

/** Block sizes every property test covers. */
export const SIZES = [0, 1, 2, 3, 7, 119, 120, 121, 239, 240, 241, 1000];

/** Seeds per size; enough to hit the rare branches, few enough to stay fast. */
export const SEEDS = 12;
