import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  decodeBooleans,
  decodeStrings,
  encodeBooleans,
  encodeStrings,
} from "../../../src/storage/codecs/mod.ts";
import { Rng, SEEDS, SIZES } from "./rng.ts";

function rtBool(v: boolean[]): Uint8Array {
  const b = encodeBooleans(v);
  deepStrictEqual(decodeBooleans(b), v);
  return b;
}

function rtStr(v: string[]): Uint8Array {
  const b = encodeStrings(v);
  deepStrictEqual(decodeStrings(b), v);
  return b;
}

function throwsCorrupt(f: () => unknown, what: string): void {
  try {
    f();
  } catch (e) {
    strictEqual((e as Error).name, "CorruptBlockError", `${what}: ${e}`);
    return;
  }
  throw new Error(`${what} was not detected`);
}

const UNICODE = [
  "",
  "a",
  "é",
  "日本語",
  "🚀",
  "emoji 👩‍👩‍👧 family",
  "\u0000nul",
  "tab\tnew\nline",
  "Ω≈ç√",
];

Deno.test("booleans: bit-packed, any length", () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed);
    for (const n of SIZES) rtBool(Array.from({ length: n }, () => rng.int(2) === 1));
  }
  strictEqual(rtBool(new Array(1000).fill(true)).length, 127);
});

Deno.test("booleans: truncation and set padding bits are corrupt", () => {
  const b = encodeBooleans([true, false, true]);
  throwsCorrupt(() => decodeBooleans(b.subarray(0, 1)), "truncated");
  throwsCorrupt(() => decodeBooleans(Uint8Array.of(3, 0xff)), "padding bits");
  throwsCorrupt(() => decodeBooleans(Uint8Array.of(3, 0xa0, 0)), "trailing byte");
});

Deno.test("strings: empty, unicode and random strings round-trip", () => {
  rtStr([]);
  rtStr([""]);
  rtStr(["", "", ""]);
  rtStr(UNICODE);
  rtStr(new Array(1000).fill("🚀 same value"));
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed);
    for (const n of SIZES) {
      rtStr(Array.from({ length: n }, () => {
        const len = rng.int(40);
        let s = "";
        for (let i = 0; i < len; i++) {
          const r = rng.int(10);
          if (r < 6) s += String.fromCharCode(32 + rng.int(95));
          else if (r < 8) s += String.fromCharCode(0xa0 + rng.int(0xd700 - 0xa0));
          else s += String.fromCodePoint(0x10000 + rng.int(0xfffff));
        }
        return s;
      }));
      rtStr(Array.from({ length: n }, () => UNICODE[rng.int(UNICODE.length)]));
    }
  }
});

Deno.test("strings: repetitive log lines are compressed", () => {
  const rng = new Rng(11);
  const levels = ["info", "warn", "error"];
  const v = Array.from(
    { length: 1000 },
    (_, i) => `level=${levels[rng.int(3)]} msg="request served" path=/api/v1/items/${i % 50}`,
  );
  const raw = v.reduce((n, s) => n + s.length, 0);
  const b = rtStr(v);
  ok(b.length < raw / 5, `${b.length} bytes for ${raw} bytes of text`);
});

Deno.test("strings: truncated or garbled buffers are corrupt", () => {
  const small = encodeStrings(["ab", "c"]);
  strictEqual(small[0], 0); // stored plain
  for (let cut = 0; cut < small.length; cut++) {
    throwsCorrupt(() => decodeStrings(small.subarray(0, cut)), `plain cut ${cut}`);
  }
  throwsCorrupt(() => decodeStrings(Uint8Array.of(0, 1, 2, 2, 0xff)), "invalid UTF-8");
  throwsCorrupt(() => decodeStrings(Uint8Array.of(0, 2, 3, 5, 0x61)), "lengths past payload");
  throwsCorrupt(() => decodeStrings(Uint8Array.of(7, 0, 0)), "unknown mode");
  const big = encodeStrings(new Array(200).fill("compressible text value"));
  strictEqual(big[0], 1); // deflated
  for (let cut = 0; cut < big.length; cut += 3) {
    throwsCorrupt(() => decodeStrings(big.subarray(0, cut)), `deflate cut ${cut}`);
  }
  const flipped = big.slice();
  flipped[flipped.length - 4] ^= 0x5a;
  throwsCorrupt(() => decodeStrings(flipped), "flipped deflate byte");
});
