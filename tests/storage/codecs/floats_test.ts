import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { decodeFloats, encodeFloats } from "../../../src/storage/codecs/mod.ts";
import { Rng, SEEDS, SIZES } from "./rng.ts";

/** Compares bit patterns, so NaN payloads and -0 count. */
function sameBits(a: Float64Array, b: Float64Array): void {
  strictEqual(a.length, b.length);
  deepStrictEqual(
    new Uint32Array(a.buffer, a.byteOffset, 2 * a.length),
    new Uint32Array(b.buffer, b.byteOffset, 2 * b.length),
  );
}

function roundTrip(v: Float64Array): Uint8Array {
  const b = encodeFloats(v);
  sameBits(decodeFloats(b), v);
  return b;
}

/** A float array built from raw (hi, lo) bit patterns, untouched by float arithmetic. */
function fromBits(pairs: [number, number][]): Float64Array {
  const u = new Uint32Array(2 * pairs.length);
  pairs.forEach(([hi, lo], i) => {
    u[2 * i] = lo;
    u[2 * i + 1] = hi;
  });
  return new Float64Array(u.buffer);
}

Deno.test("floats: special values keep their exact bits", () => {
  roundTrip(new Float64Array(0));
  roundTrip(Float64Array.of(-0));
  roundTrip(Float64Array.of(0, -0, 0, -0, Infinity, -Infinity, NaN, 1, NaN, NaN));
  roundTrip(Float64Array.of(Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 5e-324));
  roundTrip(fromBits([
    [0x7ff00000, 1],
    [0xfff80000, 0xdeadbeef],
    [0x7fffffff, 0xffffffff],
    [
      0xffffffff,
      0xffffffff,
    ],
    [0, 0],
    [0x80000000, 0],
    [0, 1],
  ]));
});

Deno.test("floats: seeded random sequences round-trip", () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed);
    for (const n of SIZES) {
      // Arbitrary bit patterns, including NaNs with payloads and subnormals.
      const raw = new Uint32Array(2 * n).map(() => rng.u32());
      roundTrip(new Float64Array(raw.buffer));
      // A random walk with occasional repeats and special values mixed in.
      let x = rng.float() * 100;
      const specials = [NaN, Infinity, -Infinity, -0, 0];
      roundTrip(Float64Array.from({ length: n }, () => {
        const r = rng.int(20);
        if (r === 0) return specials[rng.int(specials.length)];
        if (r < 5) return x;
        return (x += rng.float() - 0.5);
      }));
      // Integral values and two-decimal readings, as gauges report them.
      roundTrip(Float64Array.from({ length: n }, () => rng.int(1000)));
      roundTrip(Float64Array.from({ length: n }, () => Math.round(rng.float() * 10000) / 100));
    }
  }
});

Deno.test("floats: 1000 slowly-changing values cost well under 8 bytes each", () => {
  const rng = new Rng(42);
  let x = 50;
  const v = Float64Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? (x += 0.5) : x));
  const b = roundTrip(v);
  ok(b.length < 1000, `${b.length} bytes for 1000 step values`);
  const gauge = Float64Array.from({ length: 1000 }, () => Math.round(20 + rng.float() * 4));
  const g = roundTrip(gauge);
  ok(g.length < 2000, `${g.length} bytes for 1000 integral gauge values`);
  const constant = roundTrip(new Float64Array(1000).fill(3.25));
  ok(constant.length < 140, `${constant.length} bytes for 1000 equal values`);
});

Deno.test("floats: truncated buffers throw CorruptBlockError", () => {
  const rng = new Rng(3);
  const v = Float64Array.from({ length: 200 }, () => rng.float());
  const b = encodeFloats(v);
  for (let cut = 0; cut < b.length; cut += 7) {
    try {
      decodeFloats(b.subarray(0, cut));
      throw new Error(`truncation at ${cut} was not detected`);
    } catch (e) {
      strictEqual((e as Error).name, "CorruptBlockError", `cut ${cut}: ${e}`);
    }
  }
});
