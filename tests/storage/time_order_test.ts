import assert from "node:assert/strict";
import { timeOrder } from "../../src/storage/time_order.ts";
import { mulberry32 } from "../../src/util/random.ts";

/** The reference: a comparison sort, ties by index. */
function reference(times: bigint[]): number[] {
  return times.map((_, i) => i).sort((a, b) =>
    times[a] < times[b] ? -1 : times[a] > times[b] ? 1 : a - b
  );
}

Deno.test("timeOrder: stable time order of runs, ties, negatives and 64-bit extremes", () => {
  const rand = mulberry32(11);
  const pool = [
    0n,
    -1n,
    1n,
    (1n << 32n) - 1n,
    1n << 32n,
    -(1n << 32n),
    9223372036854775807n,
    -9223372036854775808n,
    1_451_606_400_000_000_000n,
  ];
  for (let round = 0; round < 300; round++) {
    const n = Math.floor(rand() * 200);
    const times: bigint[] = [];
    // A mix of ascending runs (batches) with repeats and wild values.
    let t = BigInt(Math.floor(rand() * 1000)) - 500n;
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.1) t = pool[Math.floor(rand() * pool.length)];
      else if (r < 0.2) t -= BigInt(Math.floor(rand() * 100));
      else if (r < 0.6) t += BigInt(Math.floor(rand() * 3));
      else t += 10n;
      if (t > 9223372036854775807n || t < -9223372036854775808n) t = 0n;
      times.push(t);
    }
    const got = [...timeOrder(BigInt64Array.from(times), n)];
    assert.deepEqual(got, reference(times), `round ${round}`);
  }
});
