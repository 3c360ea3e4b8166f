import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import {
  BLOCK_HEADER_BYTES,
  blockTimeRange,
  type BlockValues,
  CodecInputError,
  CorruptBlockError,
  decodeBlock,
  encodeBlock,
} from "../../../src/storage/codecs/mod.ts";
import { Rng } from "./rng.ts";

const BASE = 1_700_000_000_000_000_000n;

function sample(rng: Rng, type: BlockValues["type"], n: number): BlockValues {
  switch (type) {
    case "float":
      return { type, values: Float64Array.from({ length: n }, () => rng.float() * 100) };
    case "integer":
      return { type, values: BigInt64Array.from({ length: n }, () => rng.i64Mixed()) };
    case "unsigned":
      return {
        type,
        values: BigUint64Array.from({ length: n }, () => BigInt.asUintN(64, rng.i64Mixed())),
      };
    case "boolean":
      return { type, values: Array.from({ length: n }, () => rng.int(2) === 1) };
    case "string":
      return { type, values: Array.from({ length: n }, () => `v${rng.int(30)} ✓`) };
  }
}

const TYPES = ["float", "integer", "unsigned", "boolean", "string"] as const;

Deno.test("block: every type round-trips with its times and range", () => {
  const rng = new Rng(1);
  for (const type of TYPES) {
    for (const n of [0, 1, 2, 50, 1000]) {
      let t = BASE;
      const times = BigInt64Array.from({ length: n }, () => (t += BigInt(rng.int(3)) * 10n ** 9n));
      const v = sample(rng, type, n);
      const b = encodeBlock(times, v);
      deepStrictEqual(decodeBlock(b), { times, ...v });
      const range = blockTimeRange(b);
      strictEqual(range.count, n);
      strictEqual(range.min, n ? times[0] : 0n);
      strictEqual(range.max, n ? times[n - 1] : 0n);
    }
  }
});

Deno.test("block: min and max cover unsorted and extreme times", () => {
  const times = BigInt64Array.of(5n, -(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 32n);
  const b = encodeBlock(times, { type: "boolean", values: new Array(6).fill(false) });
  deepStrictEqual(blockTimeRange(b), { min: -(2n ** 63n), max: 2n ** 63n - 1n, count: 6 });
  const t2 = BigInt64Array.of(-(2n ** 32n), -1n, -(2n ** 32n) - 1n, 4294967295n, 4294967296n);
  const b2 = encodeBlock(t2, { type: "integer", values: new BigInt64Array(5) });
  deepStrictEqual(blockTimeRange(b2), { min: -(2n ** 32n) - 1n, max: 4294967296n, count: 5 });
  deepStrictEqual(decodeBlock(b2).times, t2);
});

Deno.test("block: mismatched lengths are refused", () => {
  throws(
    () => encodeBlock(new BigInt64Array(2), { type: "float", values: new Float64Array(3) }),
    CodecInputError,
  );
});

Deno.test("block: every flipped bit and every truncation is detected", () => {
  const rng = new Rng(2);
  for (const type of TYPES) {
    let t = BASE;
    const times = BigInt64Array.from({ length: 40 }, () => (t += BigInt(1 + rng.int(5))));
    const b = encodeBlock(times, sample(rng, type, 40));
    for (let bit = 0; bit < 8 * b.length; bit++) {
      const bad = b.slice();
      bad[bit >>> 3] ^= 1 << (bit & 7);
      throws(() => decodeBlock(bad), CorruptBlockError, `${type}: bit ${bit} flipped`);
      if (bit < 8 * BLOCK_HEADER_BYTES) {
        throws(() => blockTimeRange(bad), CorruptBlockError, `${type}: header bit ${bit}`);
      }
    }
    for (let cut = 0; cut < b.length; cut++) {
      throws(() => decodeBlock(b.subarray(0, cut)), CorruptBlockError, `${type}: cut ${cut}`);
    }
    // Appended bytes are damage too.
    const longer = new Uint8Array(b.length + 1);
    longer.set(b);
    throws(() => decodeBlock(longer), CorruptBlockError);
  }
});

Deno.test("block: decodes from a view into a larger buffer", () => {
  const times = BigInt64Array.of(BASE, BASE + 10n);
  const b = encodeBlock(times, { type: "string", values: ["x", ""] });
  const big = new Uint8Array(b.length + 13);
  big.set(b, 5);
  const view = big.subarray(5, 5 + b.length);
  deepStrictEqual(decodeBlock(view), { times, type: "string", values: ["x", ""] });
  strictEqual(blockTimeRange(view).max, BASE + 10n);
});

Deno.test("block: a regular float series costs a few bytes per point", () => {
  const times = BigInt64Array.from({ length: 1000 }, (_, i) => BASE + BigInt(i) * 10n ** 10n);
  const values = Float64Array.from({ length: 1000 }, (_, i) => 20 + Math.floor(i / 100));
  const b = encodeBlock(times, { type: "float", values });
  ok(b.length < 300, `${b.length} bytes`);
});
