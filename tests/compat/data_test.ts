import assert from "node:assert/strict";
import { compatBatches, DATA_END_NS, DATA_START_NS, pointCount, Prng } from "./data.ts";

const UNIT: Record<string, bigint> = {
  ns: 1n,
  u: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

Deno.test("the PRNG is seeded: same seed, same stream; different seed, different stream", () => {
  const a = new Prng(7);
  const b = new Prng(7);
  const c = new Prng(8);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.next()));
  for (const x of xs) assert.ok(x >= 0 && x < 1);
});

Deno.test("the data set is deterministic and every time lies in the documented span", () => {
  const batches = compatBatches();
  assert.deepEqual(batches, compatBatches());
  assert.notDeepEqual(batches, compatBatches(1));
  assert.ok(pointCount(batches) > 1000);
  for (const b of batches) {
    for (const line of b.lines) {
      const t = BigInt(line.slice(line.lastIndexOf(" ") + 1)) * UNIT[b.precision];
      assert.ok(t >= DATA_START_NS && t < DATA_END_NS, line);
    }
  }
});

Deno.test("the data set has every field type, missing tags and several precisions", () => {
  const batches = compatBatches();
  const text = batches.flatMap((b) => b.lines).join("\n");
  assert.match(text, /used=\d+i/); // integer
  assert.match(text, /usage_user=\d+\.\d+/); // float
  assert.match(text, /message="/); // string
  assert.match(text, /ok=(true|false)/); // boolean
  assert.match(text, /used=-\d+i/); // negative integer
  assert.match(text, /available=900719925474\d{4}i/); // near 2^53
  assert.match(text, /^cpu,cpu=cpu\d,host=host_3 /m); // a missing tag
  assert.deepEqual(new Set(batches.map((b) => b.precision)), new Set(Object.keys(UNIT)));
});
