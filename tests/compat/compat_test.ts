/**
 * The differential run against InfluxDB 1.6.7 in CI: runs the whole corpus on both servers when
 * influxd is present or installable (as root, from Debian), and skips with the reason otherwise.
 * It asserts that InfluxDB answers every corpus query as the corpus expects (an error exactly
 * where one is annotated) and prints the agreement; it fails on agreement only when
 * COMPAT_MIN_AGREEMENT (percent) is set.
 */
import assert from "node:assert/strict";
import { formatDifferences, formatSummary } from "./report.ts";
import { runCompat } from "./runner.ts";

Deno.test("compat: the corpus against InfluxDB 1.6.7 and Chronoraft", async () => {
  const run = await runCompat({ log: (line) => console.log(line) });
  if (run.kind === "skipped") {
    console.log(`compat: SKIPPED — InfluxDB 1.6.7 is not available: ${run.reason}`);
    return;
  }
  const { report } = run;
  console.log(formatSummary(report));
  assert.deepEqual(report.corpusProblems, [], "InfluxDB contradicts the corpus annotations");
  assert.ok(report.outcomes.length >= 300);
  const min = Deno.env.get("COMPAT_MIN_AGREEMENT");
  if (min !== undefined && report.agreement !== null) {
    assert.ok(
      report.agreement * 100 >= Number(min),
      `agreement ${(report.agreement * 100).toFixed(1)}% below ${min}%\n` +
        formatDifferences(report),
    );
  }
});
