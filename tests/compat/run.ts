/**
 * `deno task compat`: the differential run against InfluxDB 1.6.7. Prints agreement per feature
 * and overall; exits 1 below `--min-agreement` (percent) or when InfluxDB contradicts the corpus,
 * 0 otherwise (and 0, with the reason, when InfluxDB cannot be installed and the run skips).
 *
 *   deno run --allow-all tests/compat/run.ts [--min-agreement 99] [--seed N] [--diff]
 *     [--influxdb-only] [--feature "fill"] [--json out.json]
 */
import { parseArgs } from "node:util";
import { CORPUS } from "./corpus.ts";
import { formatDifferences, formatSummary } from "./report.ts";
import { runCompat } from "./runner.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    "min-agreement": { type: "string", default: "0" },
    seed: { type: "string" },
    diff: { type: "boolean", default: false },
    "influxdb-only": { type: "boolean", default: false },
    feature: { type: "string" },
    json: { type: "string" },
  },
});
const minAgreement = Number(args.values["min-agreement"]);
const feature = args.values.feature;
const corpus = feature ? CORPUS.filter((q) => q.feature.includes(feature)) : CORPUS;

const run = await runCompat({
  seed: args.values.seed === undefined ? undefined : Number(args.values.seed),
  influxdbOnly: args.values["influxdb-only"],
  corpus,
});
if (run.kind === "skipped") {
  console.log(`compat: SKIPPED — InfluxDB 1.6.7 is not available: ${run.reason}`);
  Deno.exit(0);
}
const { report } = run;
console.log(`compat: ${corpus.length} queries over ${run.points} points`);
if (report.total > 0) console.log(formatSummary(report));
if (args.values.diff && report.total > 0) console.log(formatDifferences(report));
if (args.values.json) {
  await Deno.writeTextFile(args.values.json, JSON.stringify(report.outcomes, null, 1));
}
for (const p of report.corpusProblems) console.log(`corpus problem: ${p}`);
let failed = report.corpusProblems.length > 0;
if (report.agreement !== null && report.agreement * 100 < minAgreement) {
  console.log(`compat: agreement below --min-agreement ${minAgreement}%`);
  failed = true;
}
Deno.exit(failed ? 1 : 0);
