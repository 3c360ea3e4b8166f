// FNV-1a, 64-bit (http://www.isthe.com/chongo/tech/comp/fnv/), as Go's hash/fnv New64a.
// The hash is kept as two 32-bit halves in plain numbers: BigInt arithmetic per byte is
// an order of magnitude slower, and this runs once per written point.

const encoder = new TextEncoder();
const TWO_32 = 4294967296;
const PRIME_LOW = 0x1b3; // the 64-bit prime is 2^40 + 0x1b3

function fnv64aHalves(input: string | Uint8Array): [hi: number, lo: number] {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    // (hi:lo) * (2^40 + 0x1b3) mod 2^64; every intermediate stays below 2^53.
    const l = lo * PRIME_LOW;
    const carry = Math.floor(l / TWO_32);
    hi = (hi * PRIME_LOW + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = l >>> 0;
  }
  return [hi, lo];
}

/** The 64-bit FNV-1a hash of `input` (a string is hashed as its UTF-8 bytes). */
export function fnv64a(input: string | Uint8Array): bigint {
  const [hi, lo] = fnv64aHalves(input);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * `fnv64a(input) % modulus` without BigInt, for picking a shard per point.
 * `modulus` must be a positive integer below 2^21 (shard counts are far smaller).
 */
export function fnv64aModulo(input: string | Uint8Array, modulus: number): number {
  if (!Number.isInteger(modulus) || modulus < 1 || modulus >= 2 ** 21) {
    throw new RangeError(`modulus must be an integer in [1, 2^21), got ${modulus}`);
  }
  const [hi, lo] = fnv64aHalves(input);
  return ((hi % modulus) * TWO_32 + lo) % modulus;
}
