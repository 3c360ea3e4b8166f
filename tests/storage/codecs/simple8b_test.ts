import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { ByteReader, ByteWriter } from "../../../src/storage/codecs/bytes.ts";
import { CorruptBlockError } from "../../../src/storage/codecs/errors.ts";
import { bitWidth, decodeSimple8b, encodeSimple8b } from "../../../src/storage/codecs/simple8b.ts";
import { Rng } from "./rng.ts";

/** Round-trips (lo, hi) pairs through simple8b and returns the encoded byte count. */
function roundTrip(pairs: Uint32Array): number {
  const n = pairs.length >>> 1;
  const widths = new Uint8Array(n).map((_, i) => bitWidth(pairs[2 * i + 1], pairs[2 * i]));
  const w = new ByteWriter(8);
  encodeSimple8b(w, pairs, widths, 0, n);
  const b = w.finish();
  const out = new Uint32Array(2 * n);
  const r = new ByteReader("test", b);
  decodeSimple8b(r, out, 0, n);
  strictEqual(r.pos, b.length);
  deepStrictEqual(out, pairs);
  return b.length;
}

/** A value of exactly `w` bits (0 for w = 0) as a (lo, hi) pair. */
function valueOfWidth(rng: Rng, w: number): [number, number] {
  if (w === 0) return [0, 0];
  const x = (1n << BigInt(w - 1)) |
    (((BigInt(rng.u32()) << 32n) | BigInt(rng.u32())) & ((1n << BigInt(w - 1)) - 1n));
  return [Number(x & 0xffffffffn), Number(x >> 32n)];
}

Deno.test("simple8b: every width 0..60 in runs of every length", () => {
  const rng = new Rng(4);
  for (let w = 0; w <= 60; w++) {
    for (const n of [1, 2, 5, 59, 60, 61, 119, 120, 121, 240, 241, 500]) {
      const pairs = new Uint32Array(2 * n);
      for (let i = 0; i < n; i++) [pairs[2 * i], pairs[2 * i + 1]] = valueOfWidth(rng, w);
      roundTrip(pairs);
    }
  }
});

Deno.test("simple8b: mixed widths and the packing it achieves", () => {
  const rng = new Rng(6);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + rng.int(600);
    const pairs = new Uint32Array(2 * n);
    for (let i = 0; i < n; i++) {
      [pairs[2 * i], pairs[2 * i + 1]] = valueOfWidth(rng, rng.int(4) ? rng.int(8) : rng.int(61));
    }
    roundTrip(pairs);
  }
  strictEqual(roundTrip(new Uint32Array(2 * 1000)), 40); // zeros: 4×240 + 1×120 (partial)
  strictEqual(roundTrip(new Uint32Array(2 * 600).map((_, i) => (i & 1 ? 0 : 1))), 80);
});

Deno.test("simple8b: a truncated stream throws", () => {
  const w = new ByteWriter(8);
  encodeSimple8b(w, new Uint32Array(20).fill(7), new Uint8Array(10).fill(3), 0, 10);
  const b = w.finish();
  throws(
    () => decodeSimple8b(new ByteReader("t", b.subarray(0, 4)), new Uint32Array(20), 0, 10),
    CorruptBlockError,
  );
  throws(
    () => decodeSimple8b(new ByteReader("t", b), new Uint32Array(40), 0, 20),
    CorruptBlockError,
  );
});
