/**
 * The simulator CLI: `deno task sim --seeds N [--from S] [--trace]` runs seeds S..S+N-1 and
 * prints, for a failing seed, the command that replays it exactly.
 */
import { parseArgs } from "node:util";
import { runSeed } from "./simulation.ts";

/** Runs the seeds named on the command line; returns the number of failing seeds. */
export function main(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      seeds: { type: "string", default: "100" },
      from: { type: "string", default: "1" },
      trace: { type: "boolean", default: false },
      "stop-on-failure": { type: "boolean", default: false },
    },
  });
  const count = Number(values.seeds);
  const from = Number(values.from);
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(from) || from < 0) {
    console.error("Usage: deno task sim --seeds N [--from S] [--trace] (N >= 1, S >= 0)");
    return 2;
  }
  const started = performance.now();
  let failures = 0;
  let ran = 0;
  const totals = {
    acked: 0,
    readsServed: 0,
    crashes: 0,
    partitions: 0,
    confChanges: 0,
    snapshotsInstalled: 0,
    appliedBeforePersist: 0,
    sentDuringPersist: 0,
  };
  for (let seed = from; seed < from + count; seed++) {
    const r = runSeed(seed, { trace: values.trace });
    ran++;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.stats[k];
    if (r.violation !== null) {
      failures++;
      console.log(`seed ${seed} FAILED: ${r.violation.message}`);
      console.log(`  replay: deno task sim --seeds 1 --from ${seed} --trace`);
      if (values["stop-on-failure"]) break;
    }
    if ((seed - from + 1) % 10000 === 0) {
      const s = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${seed - from + 1} seeds, ${failures} failing, ${s} s`);
    }
  }
  const secs = (performance.now() - started) / 1000;
  console.log(
    `seeds ${from}..${from + ran - 1}: ${ran} run, ${failures} failing, ` +
      `${secs.toFixed(1)} s (${((secs * 1000) / ran).toFixed(2)} ms/seed); totals ` +
      JSON.stringify(totals),
  );
  return failures;
}

if (import.meta.main) Deno.exit(main(Deno.args) === 0 ? 0 : 1);
