import { strictEqual } from "node:assert/strict";
import { crc32 as zlibCrc32 } from "node:zlib";
import { crc32 } from "../../../src/storage/codecs/mod.ts";
import { Rng } from "./rng.ts";

Deno.test("crc32: known vectors", () => {
  strictEqual(crc32(new Uint8Array(0)), 0);
  strictEqual(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  strictEqual(
    crc32(new TextEncoder().encode("The quick brown fox jumps over the lazy dog")),
    0x414fa339,
  );
});

Deno.test("crc32: matches zlib on random buffers and sub-ranges", () => {
  const rng = new Rng(8);
  for (let n = 0; n < 70; n++) {
    const b = new Uint8Array(n).map(() => rng.u32() & 0xff);
    strictEqual(crc32(b), zlibCrc32(b) >>> 0, `length ${n}`);
    const start = rng.int(n + 1);
    strictEqual(crc32(b, start, n), zlibCrc32(b.subarray(start)) >>> 0);
  }
});
