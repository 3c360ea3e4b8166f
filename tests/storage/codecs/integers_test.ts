import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  decodeIntegers,
  decodeUnsigned,
  encodeIntegers,
  encodeUnsigned,
} from "../../../src/storage/codecs/mod.ts";
import { Rng, SEEDS, SIZES } from "./rng.ts";

const MIN = -(2n ** 63n), MAX = 2n ** 63n - 1n, UMAX = 2n ** 64n - 1n;

function rtInt(v: BigInt64Array): Uint8Array {
  const b = encodeIntegers(v);
  deepStrictEqual(decodeIntegers(b), v);
  return b;
}

function rtUint(v: BigUint64Array): Uint8Array {
  const b = encodeUnsigned(v);
  deepStrictEqual(decodeUnsigned(b), v);
  return b;
}

Deno.test("integers: extremes, empty and single values", () => {
  rtInt(new BigInt64Array(0));
  for (const x of [0n, 1n, -1n, MIN, MAX]) rtInt(BigInt64Array.of(x));
  rtInt(BigInt64Array.of(MIN, MAX, MIN, MAX, 0n, -1n, 1n, MAX, MAX, MIN, MIN));
  rtInt(BigInt64Array.of(MIN, MIN + 1n, MIN + 2n));
  rtInt(BigInt64Array.of(MAX, MAX - 1n, MAX - 2n, MAX - 2n));
  rtInt(BigInt64Array.from({ length: 300 }, (_, i) => (i % 3 ? MIN : MAX)));
  rtInt(BigInt64Array.from({ length: 300 }, (_, i) => 2n ** BigInt(i % 64) - 1n));
  rtInt(BigInt64Array.from({ length: 300 }, (_, i) => -(2n ** BigInt(i % 63))));
});

Deno.test("unsigned: full range to 2^64-1", () => {
  rtUint(new BigUint64Array(0));
  for (const x of [0n, 1n, UMAX, 2n ** 63n]) rtUint(BigUint64Array.of(x));
  rtUint(BigUint64Array.of(0n, UMAX, 0n, UMAX, 2n ** 63n, 2n ** 63n - 1n, UMAX - 1n));
  rtUint(BigUint64Array.from({ length: 300 }, (_, i) => UMAX - BigInt(i)));
  rtUint(BigUint64Array.from({ length: 300 }, (_, i) => 2n ** BigInt(i % 64)));
});

Deno.test("integers and unsigned: seeded random sequences round-trip", () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed);
    for (const n of SIZES) {
      rtInt(BigInt64Array.from({ length: n }, () => rng.i64()));
      rtInt(BigInt64Array.from({ length: n }, () => rng.i64Mixed()));
      let x = BigInt(rng.int(1e6)) - 500_000n;
      rtInt(BigInt64Array.from({ length: n }, () => (x += BigInt(rng.int(21) - 10))));
      let c = 0n;
      rtInt(BigInt64Array.from({ length: n }, () => (rng.int(50) ? (c += 1n) : (c = 0n))));
      rtUint(BigUint64Array.from({ length: n }, () => BigInt.asUintN(64, rng.i64())));
      rtUint(BigUint64Array.from({ length: n }, () => BigInt.asUintN(64, rng.i64Mixed())));
    }
  }
});

Deno.test("integers: constant and counter columns are tiny", () => {
  const constant = rtInt(new BigInt64Array(1000).fill(-12345n));
  ok(constant.length < 16, `${constant.length} bytes for 1000 equal integers`);
  const counter = rtInt(BigInt64Array.from({ length: 1000 }, (_, i) => 10n ** 12n + BigInt(i)));
  ok(counter.length < 16, `${counter.length} bytes for a counter`);
  const rng = new Rng(9);
  let x = 0n;
  const walk = rtInt(BigInt64Array.from({ length: 1000 }, () => (x += BigInt(rng.int(7) - 3))));
  ok(walk.length < 600, `${walk.length} bytes for a small random walk`);
});

Deno.test("integers: truncated and garbled buffers throw CorruptBlockError", () => {
  const rng = new Rng(5);
  const b = encodeIntegers(BigInt64Array.from({ length: 500 }, () => rng.i64Mixed()));
  for (let cut = 0; cut < b.length; cut += 5) {
    try {
      decodeIntegers(b.subarray(0, cut));
      throw new Error(`truncation at ${cut} was not detected`);
    } catch (e) {
      strictEqual((e as Error).name, "CorruptBlockError", `cut ${cut}: ${e}`);
    }
  }
  for (const bad of [[9, 1], [0, 1], [1, 0], [2, 0], [3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 99]]) {
    try {
      decodeIntegers(Uint8Array.from(bad));
      throw new Error(`garbage ${bad} was accepted`);
    } catch (e) {
      strictEqual((e as Error).name, "CorruptBlockError", `${bad}: ${e}`);
    }
  }
});

Deno.test("int64 columns: each storage mode is chosen for the data it suits", () => {
  const rng = new Rng(10);
  const mode = (v: BigInt64Array) => rtInt(v)[0];
  strictEqual(mode(new BigInt64Array(0)), 0); // empty
  strictEqual(mode(BigInt64Array.from({ length: 100 }, () => rng.i64())), 1); // raw
  strictEqual(mode(BigInt64Array.from({ length: 100 }, (_, i) => BigInt(3 * i))), 2); // run
  let x = 0n;
  strictEqual(mode(BigInt64Array.from({ length: 100 }, () => (x += BigInt(rng.int(9) - 4)))), 3);
  x = 0n;
  strictEqual(
    mode(BigInt64Array.from({ length: 100 }, () => (x += 1000n + BigInt(rng.int(4))))),
    4,
  );
});
