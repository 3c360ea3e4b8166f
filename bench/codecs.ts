/**
 * Codec throughput and size on DevOps-like series (blocks of 1000 points, like the engine
 * writes them). Run: `deno run bench/codecs.ts [--quick]`.
 * MB/s counts the uncompressed input: 8 bytes per timestamp and per numeric value, 1 byte per
 * boolean, UTF-8 bytes for strings.
 */

import * as c from "../src/storage/codecs/mod.ts";

const N = 1000;
const BASE = 1_700_000_000_000_000_000n;
const QUICK = Deno.args.includes("--quick");
const TARGET_MS = QUICK ? 150 : 800;

/** Seeded PRNG (mulberry32) so every run measures the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r = rng(2026);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// TSBS cpu-only style: 10 s interval; usage_* are random walks in [0, 100] at full precision.
const regularTimes = BigInt64Array.from({ length: N }, (_, i) => BASE + BigInt(i) * 10n ** 10n);
let jt = BASE;
const jitterTimes = BigInt64Array.from(
  { length: N },
  () => (jt += 10n ** 10n + BigInt(Math.floor(r() * 2e6) - 1e6)),
);
let u = 50;
const usage = Float64Array.from({ length: N }, () => (u = clamp(u + (r() - 0.5) * 2, 0, 100)));
let g = 40;
const gauge2dp = Float64Array.from(
  { length: N },
  () => Math.round((g = clamp(g + (r() - 0.5), 0, 100)) * 100) / 100,
);
const steps = Float64Array.from({ length: N }, (_, i) => 20 + Math.floor(i / 50) * 0.5);
let mem = 8_000_000_000n;
const memUsed = BigInt64Array.from(
  { length: N },
  () => (mem += BigInt(Math.floor((r() - 0.5) * 4_000_000))),
);
let req = 0n;
const counter = BigUint64Array.from({ length: N }, () => (req += BigInt(Math.floor(r() * 50))));
const bools = Array.from({ length: N }, () => r() < 0.9);
const levels = ["info", "info", "info", "warn", "error"];
const logs = Array.from(
  { length: N },
  (_, i) => `level=${levels[Math.floor(r() * 5)]} msg="GET /api/items/${i % 97}" status=200`,
);
const stringBytes = logs.reduce((n, s) => n + new TextEncoder().encode(s).length, 0);

interface Case {
  name: string;
  rawBytes: number;
  encode: () => Uint8Array;
  decode: (b: Uint8Array) => unknown;
}

const cases: Case[] = [
  {
    name: "timestamps regular 10s",
    rawBytes: 8 * N,
    encode: () => c.encodeTimestamps(regularTimes),
    decode: c.decodeTimestamps,
  },
  {
    name: "timestamps jittered ±1ms",
    rawBytes: 8 * N,
    encode: () => c.encodeTimestamps(jitterTimes),
    decode: c.decodeTimestamps,
  },
  {
    name: "floats cpu usage walk",
    rawBytes: 8 * N,
    encode: () => c.encodeFloats(usage),
    decode: c.decodeFloats,
  },
  {
    name: "floats gauge 2 decimals",
    rawBytes: 8 * N,
    encode: () => c.encodeFloats(gauge2dp),
    decode: c.decodeFloats,
  },
  {
    name: "floats slow steps",
    rawBytes: 8 * N,
    encode: () => c.encodeFloats(steps),
    decode: c.decodeFloats,
  },
  {
    name: "integers mem bytes walk",
    rawBytes: 8 * N,
    encode: () => c.encodeIntegers(memUsed),
    decode: c.decodeIntegers,
  },
  {
    name: "unsigned request counter",
    rawBytes: 8 * N,
    encode: () => c.encodeUnsigned(counter),
    decode: c.decodeUnsigned,
  },
  {
    name: "booleans 90% true",
    rawBytes: N,
    encode: () => c.encodeBooleans(bools),
    decode: c.decodeBooleans,
  },
  {
    name: "strings log lines",
    rawBytes: stringBytes,
    encode: () => c.encodeStrings(logs),
    decode: c.decodeStrings,
  },
  {
    name: "block float (jittered times)",
    rawBytes: 16 * N,
    encode: () => c.encodeBlock(jitterTimes, { type: "float", values: usage }),
    decode: c.decodeBlock,
  },
  {
    name: "block integer (regular times)",
    rawBytes: 16 * N,
    encode: () => c.encodeBlock(regularTimes, { type: "integer", values: memUsed }),
    decode: c.decodeBlock,
  },
];

/**
 * Ms per call of `f`: the best of several short rounds after a warm-up, so other processes
 * on a shared machine disturb the figure less.
 */
function time(f: () => unknown): number {
  for (let i = 0; i < 200; i++) f();
  let best = Infinity;
  for (let round = 0; round < 8; round++) {
    let iters = 0;
    const start = performance.now();
    let now = start;
    while (now - start < TARGET_MS / 8) {
      for (let i = 0; i < 20; i++) f();
      iters += 20;
      now = performance.now();
    }
    best = Math.min(best, (now - start) / iters);
  }
  return best;
}

const rows: string[][] = [[
  "case",
  "bytes/value",
  "encode MB/s",
  "decode MB/s",
  "decode Mvalues/s",
]];
for (const k of cases) {
  const b = k.encode();
  const enc = time(k.encode);
  const dec = time(() => k.decode(b));
  rows.push([
    k.name,
    (b.length / N).toFixed(3),
    (k.rawBytes / 1e3 / enc).toFixed(0),
    (k.rawBytes / 1e3 / dec).toFixed(0),
    (N / 1e3 / dec).toFixed(1),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) {
  console.log(
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "),
  );
}
