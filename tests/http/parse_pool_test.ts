import assert from "node:assert/strict";
import { ParsePool } from "../../src/http/parse_pool.ts";
import { parsePointBatch, pointsOf } from "../../src/models/mod.ts";

const enc = new TextEncoder();

/** A body big enough for the worker: every field type, escapes, and two bad lines. */
function body(): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    lines.push(
      `cpu\\ load,host=h${i % 7},region=r\\,${i % 3} f=${i}.25,i=${i}i,u=${i}u,b=${
        i % 2 === 0
      },s="q\\"${i}" ${1_000_000 + i}`,
    );
    if (i === 100) lines.push("broken line without fields");
    if (i === 2000) lines.push("cpu f=1 notatime");
  }
  return enc.encode(lines.join("\n"));
}

Deno.test("parse pool: a worker parses a large body exactly as the inline parser does", async () => {
  const pool = new ParsePool({ workers: 1, inlineBelow: 1024, inlineWhenIdle: false });
  try {
    const opts = { precision: "ms" as const, now: 7_000_000n };
    const expected = parsePointBatch(body(), opts);
    const got = await pool.parse(body(), opts);
    assert.deepEqual(got.errors, expected.errors);
    assert.equal(got.errors.length, 2);
    assert.equal(got.batch.length, 3000);
    assert.deepEqual(pointsOf(got.batch), pointsOf(expected.batch));
  } finally {
    pool.close();
  }
});

Deno.test("parse pool: concurrent bodies each get their own answer; closed pools parse inline", async () => {
  const pool = new ParsePool({ workers: 2, inlineBelow: 0, inlineWhenIdle: false });
  const texts = Array.from({ length: 8 }, (_, i) => `m,k=${i} v=${i} ${i}`);
  const got = await Promise.all(
    texts.map((t) => pool.parse(enc.encode(t), { precision: "ns", now: 0n })),
  );
  got.forEach((r, i) => {
    assert.equal(r.batch.length, 1);
    assert.equal(pointsOf(r.batch)[0].key, `m,k=${i}`);
  });
  pool.close();
  const after = await pool.parse(enc.encode("m v=1 1"), { precision: "ns", now: 0n });
  assert.equal(after.batch.length, 1);
});

Deno.test("parse pool: a lone writer's body is split between threads with the same answer", async () => {
  const pool = new ParsePool({ workers: 1, inlineBelow: 1024 });
  try {
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      lines.push(`m${i % 3},host=h${i % 11} a=${i}.5,b=${i % 5}i,c=t${i % 4 ? "" : ` ${i}`}`);
      if (i === 10 || i === 3500) lines.push(`bad line ${i}`);
    }
    const text = lines.join("\n");
    const opts = { precision: "s" as const, now: 123_000_000_000n };
    const expected = parsePointBatch(enc.encode(text), opts);
    const got = await pool.parse(enc.encode(text), opts);
    assert.deepEqual(got.errors, expected.errors);
    assert.deepEqual(got.errors.map((e) => e.line), [12, 3503]);
    assert.deepEqual(pointsOf(got.batch), pointsOf(expected.batch));
    assert.equal(got.batch.series.length, expected.batch.series.length);
  } finally {
    pool.close();
  }
});
