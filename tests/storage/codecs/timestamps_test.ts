import { deepStrictEqual, ok } from "node:assert/strict";
import { decodeTimestamps, encodeTimestamps } from "../../../src/storage/codecs/mod.ts";
import { Rng, SEEDS, SIZES } from "./rng.ts";

const MIN = -(2n ** 63n), MAX = 2n ** 63n - 1n;
const BASE = 1_700_000_000_000_000_000n;

function roundTrip(ts: BigInt64Array): Uint8Array {
  const b = encodeTimestamps(ts);
  deepStrictEqual(decodeTimestamps(b), ts);
  return b;
}

function series(n: number, f: (i: number) => bigint): BigInt64Array {
  return BigInt64Array.from({ length: n }, (_, i) => f(i));
}

Deno.test("timestamps: 1000 regular-interval points encode to under 16 bytes", () => {
  for (
    const step of [1n, 1_000n, 1_000_000n, 1_000_000_000n, 10_000_000_000n, 3_600n * 10n ** 9n]
  ) {
    const b = roundTrip(series(1000, (i) => BASE + BigInt(i) * step));
    ok(b.length < 16, `step ${step}: ${b.length} bytes`);
  }
});

Deno.test("timestamps: empty, single, equal and decreasing", () => {
  roundTrip(new BigInt64Array(0));
  roundTrip(BigInt64Array.of(BASE));
  roundTrip(BigInt64Array.of(MIN));
  roundTrip(series(500, () => BASE));
  roundTrip(series(500, (i) => BASE - BigInt(i) * 1_000_000_000n));
  roundTrip(BigInt64Array.of(5n, 5n, 3n, 9n, 9n, 9n, -1n, 0n));
});

Deno.test("timestamps: full int64 range, wrapping deltas", () => {
  roundTrip(BigInt64Array.of(MIN, MAX, MIN, MAX));
  roundTrip(BigInt64Array.of(MAX, MIN, 0n, -1n, 1n));
  roundTrip(series(300, (i) => (i % 2 ? MIN : MAX)));
  roundTrip(series(300, (i) => MAX - BigInt(i)));
  roundTrip(series(300, (i) => MIN + BigInt(i) * 7n));
});

Deno.test("timestamps: seeded random sequences round-trip", () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed);
    for (const n of SIZES) {
      // Jittered regular interval, scaled by a power of ten: the common real-world shape.
      const unit = 10n ** BigInt(rng.int(10));
      let t = BASE;
      roundTrip(series(n, () => (t += BigInt(rng.int(5)) * unit)));
      // Mostly-sorted with some going back in time.
      t = BASE;
      roundTrip(series(n, () => (t += BigInt(rng.int(2000) - 200) * 1000n)));
      // Arbitrary 64-bit values of mixed widths.
      roundTrip(series(n, () => rng.i64Mixed()));
      roundTrip(series(n, () => rng.i64()));
    }
  }
});

Deno.test("timestamps: second-precision jittered data stays compact", () => {
  const rng = new Rng(7);
  let t = BASE;
  const b = roundTrip(series(1000, () => (t += BigInt(9 + rng.int(3)) * 1_000_000_000n)));
  ok(b.length < 320, `${b.length} bytes`);
});
