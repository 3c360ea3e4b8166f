import assert from "node:assert/strict";
import { runSeed } from "./simulation.ts";

const SEEDS = 1000;

Deno.test(`simulation: ${SEEDS} seeds keep every Raft invariant`, () => {
  const failures: string[] = [];
  let acked = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = runSeed(seed);
    acked += r.stats.acked;
    if (r.violation !== null) {
      failures.push(
        `seed ${seed}: ${r.violation.message}\n  replay: deno task sim --seeds 1 --from ${seed} --trace`,
      );
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(acked > SEEDS * 10, "the simulated clients got writes acknowledged");
});

Deno.test("simulation: a seed replays exactly", () => {
  const a = runSeed(4242);
  const b = runSeed(4242);
  assert.deepEqual(a.stats, b.stats);
  assert.equal(a.violation?.message, b.violation?.message);
});
