import { strictEqual } from "node:assert/strict";
import * as c from "../../../src/storage/codecs/mod.ts";
import { Rng } from "./rng.ts";

/** Decoders must return something or throw CorruptBlockError: nothing else, and no hang. */
function onlyCorrupt(decode: (b: Uint8Array) => unknown, b: Uint8Array, what: string): void {
  try {
    decode(b);
  } catch (e) {
    strictEqual((e as Error).name, "CorruptBlockError", `${what}: ${(e as Error).stack}`);
  }
}

const DECODERS: [string, (b: Uint8Array) => unknown][] = [
  ["timestamps", c.decodeTimestamps],
  ["floats", c.decodeFloats],
  ["integers", c.decodeIntegers],
  ["unsigned", c.decodeUnsigned],
  ["booleans", c.decodeBooleans],
  ["strings", c.decodeStrings],
  ["block", c.decodeBlock],
  ["blockTimeRange", c.blockTimeRange],
];

Deno.test("fuzz: random bytes only ever raise CorruptBlockError", () => {
  const rng = new Rng(77);
  for (let trial = 0; trial < 400; trial++) {
    const b = new Uint8Array(rng.int(64)).map(() => rng.u32() & 0xff);
    // Small counts and valid mode bytes reach deeper than uniform noise.
    if (b.length > 2 && rng.int(2)) {
      b[0] = rng.int(6);
      b[1] = rng.int(40);
    }
    for (const [name, decode] of DECODERS) onlyCorrupt(decode, b, `${name} trial ${trial}`);
  }
});

Deno.test("fuzz: mutated valid encodings only ever raise CorruptBlockError", () => {
  const rng = new Rng(78);
  let t = 1_700_000_000_000_000_000n;
  const times = BigInt64Array.from({ length: 300 }, () => (t += BigInt(1 + rng.int(9)) * 1000n));
  const valid: [string, Uint8Array, (b: Uint8Array) => unknown][] = [
    ["timestamps", c.encodeTimestamps(times), c.decodeTimestamps],
    [
      "floats",
      c.encodeFloats(Float64Array.from({ length: 300 }, () => rng.float() * 9)),
      c.decodeFloats,
    ],
    [
      "integers",
      c.encodeIntegers(BigInt64Array.from({ length: 300 }, () => rng.i64Mixed())),
      c.decodeIntegers,
    ],
    [
      "booleans",
      c.encodeBooleans(Array.from({ length: 300 }, () => rng.int(2) === 0)),
      c.decodeBooleans,
    ],
    [
      "strings",
      c.encodeStrings(Array.from({ length: 300 }, (_, i) => `value ${i % 17} ✓`)),
      c.decodeStrings,
    ],
  ];
  for (const [name, b, decode] of valid) {
    for (let trial = 0; trial < 300; trial++) {
      const bad = b.slice(0, rng.int(4) === 0 ? rng.int(b.length) : b.length);
      for (let k = 1 + rng.int(3); k > 0 && bad.length > 0; k--) {
        bad[rng.int(bad.length)] ^= 1 << rng.int(8);
      }
      onlyCorrupt(decode, bad, `${name} trial ${trial}`);
    }
  }
});
