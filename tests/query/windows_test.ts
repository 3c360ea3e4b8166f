import assert from "node:assert/strict";
import { windowStart, windowStarts } from "../../src/query/windows.ts";

const S = 1_000_000_000n;
const H = 3600n * S;

Deno.test("windows align to the epoch, shifted by the offset, also before 1970", () => {
  const w = { interval: 10n * S, offset: 0n, location: null };
  assert.equal(windowStart(w, 25n * S), 20n * S);
  assert.equal(windowStart(w, -1n), -10n * S);
  const off = { interval: 10n * S, offset: 3n * S, location: null };
  assert.equal(windowStart(off, 12n * S), 3n * S);
  assert.equal(windowStart(off, 13n * S), 13n * S);
  const neg = { interval: 10n * S, offset: -3n * S, location: null };
  assert.equal(windowStart(neg, 8n * S), 7n * S);
  assert.deepEqual(windowStarts(w, 0n, 29n * S, 100), [0n, 10n * S, 20n * S]);
});

Deno.test("tz() windows start at local midnight, across a DST change", () => {
  const day = { interval: 24n * H, offset: 0n, location: "Europe/Paris" };
  // 2020-01-01T12:00Z is in the local day starting 2019-12-31T23:00Z.
  assert.equal(windowStart(day, 1577880000n * S), 1577833200n * S);
  // 2020-03-29 starts at 23:00Z the day before and lasts 23 hours (DST begins that night).
  const starts = windowStarts(day, 1585432800n * S, 1585519200n * S, 10);
  assert.deepEqual(starts, [1585350000n * S, 1585436400n * S, 1585436400n * S + 23n * H]);
});
