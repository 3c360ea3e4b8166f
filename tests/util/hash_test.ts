import assert from "node:assert/strict";
import { fnv64a, fnv64aModulo } from "../../src/util/hash.ts";

// Vectors from the FNV reference test suite (fnv-1a 64-bit).
const VECTORS: ReadonlyArray<[string, bigint]> = [
  ["", 0xcbf29ce484222325n],
  ["a", 0xaf63dc4c8601ec8cn],
  ["b", 0xaf63df4c8601f1a5n],
  ["foo", 0xdcb27518fed9d577n],
  ["foob", 0xdd120e790c2512afn],
  ["fooba", 0xcac165afa2fef40an],
  ["foobar", 0x85944171f73967e8n],
  ["chongo was here!\n", 0x46810940eff5f915n],
];

/** Straightforward BigInt reference implementation to compare against. */
function reference(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

Deno.test("fnv64a matches the FNV-1a 64-bit test vectors", () => {
  for (const [input, want] of VECTORS) {
    assert.equal(fnv64a(input), want, JSON.stringify(input));
  }
});

Deno.test("fnv64a hashes strings as UTF-8 and agrees with bytes input", () => {
  for (const s of ["cpu,host=serverA,region=us-west", "mesure,tag=é€😀", "x".repeat(1000)]) {
    assert.equal(fnv64a(s), reference(s));
    assert.equal(fnv64a(new TextEncoder().encode(s)), reference(s));
  }
});

Deno.test("fnv64aModulo equals fnv64a % n", () => {
  const keys = ["", "a", "cpu,host=a", "cpu,host=b", "mem,host=a,region=eu", "日本語"];
  for (const k of keys) {
    for (const n of [1, 2, 3, 5, 7, 16, 1000, 2 ** 21 - 1]) {
      assert.equal(fnv64aModulo(k, n), Number(fnv64a(k) % BigInt(n)), `${k} % ${n}`);
    }
  }
});

Deno.test("fnv64aModulo rejects a bad modulus", () => {
  assert.throws(() => fnv64aModulo("a", 0), RangeError);
  assert.throws(() => fnv64aModulo("a", 1.5), RangeError);
});
