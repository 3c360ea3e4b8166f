import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import {
  formatPoint,
  LineFormatError,
  parsePoints,
  type ParseResult,
} from "../../src/models/mod.ts";
import { prng, randomBytes, randomPoint } from "./random_points.ts";

const enc = new TextEncoder();

/** Whatever the input, parse returns well-formed results, and good points round-trip. */
function check(body: Uint8Array): ParseResult {
  const r = parsePoints(body, { precision: "ns", now: 7n });
  let lastLine = 0;
  for (const e of r.errors) {
    ok(e.line >= lastLine && e.line >= 1);
    lastLine = e.line;
    assertEquals(e.message, `unable to parse '${e.text}': ${e.reason}`);
    ok(e.reason.length > 0);
  }
  for (const p of r.points) {
    ok(p.fields.length > 0 && p.measurement.length > 0);
    // Invalid UTF-8 decodes to U+FFFD, which re-encodes to other bytes and so may sort
    // tags differently: only keys that were valid UTF-8 must come back identical.
    if (p.key.includes("\ufffd")) continue;
    let text: string;
    try {
      text = formatPoint(p);
    } catch (err) {
      ok(err instanceof LineFormatError);
      continue;
    }
    const again = parsePoints(enc.encode(text), { precision: "ns", now: 7n });
    assertEquals(again.errors, [], text);
    assertEquals(again.points, [p], text);
  }
  return r;
}

Deno.test("fuzz: random bytes never throw and yield well-formed results", () => {
  const rnd = prng(1);
  for (let i = 0; i < 3000; i++) check(randomBytes(rnd, 80));
});

Deno.test("fuzz: mutated valid lines never throw and yield well-formed results", () => {
  const rnd = prng(2);
  const special = [10, 13, 32, 44, 61, 34, 92, 35, 9, 0, 45, 46, 105, 117];
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const lines = [randomPoint(rnd), randomPoint(rnd)].map((p) => formatPoint(p));
    const bytes = enc.encode(lines.join("\n"));
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
      const at = Math.floor(rnd() * bytes.length);
      bytes[at] = rnd() < 0.8
        ? special[Math.floor(rnd() * special.length)]
        : Math.floor(rnd() * 256);
    }
    const cut = rnd() < 0.2 ? Math.floor(rnd() * bytes.length) : bytes.length;
    parsed += check(bytes.subarray(0, cut)).points.length;
  }
  ok(parsed > 0);
});

Deno.test("fuzz: one parse of a large random body terminates", () => {
  const r = check(randomBytes(prng(3), 1 << 18));
  ok(r.points.length + r.errors.length > 0);
});
