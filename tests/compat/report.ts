/** Text output of a compat run: agreement per feature, overall, and what differed. */
import type { CompatReport } from "./runner.ts";

function pct(agree: number, total: number): string {
  return total === 0 ? "  n/a" : `${((agree / total) * 100).toFixed(1).padStart(5)}%`;
}

/** The per-feature table and the overall line. */
export function formatSummary(report: CompatReport): string {
  const width = Math.max(10, ...report.features.map((f) => f.feature.length));
  const lines = report.features.map((f) =>
    `${f.feature.padEnd(width)}  ${String(f.agree).padStart(4)}/${String(f.total).padEnd(4)} ${
      pct(f.agree, f.total)
    }`
  );
  lines.push(
    `${"overall".padEnd(width)}  ${String(report.agree).padStart(4)}/${
      String(report.total).padEnd(4)
    } ${pct(report.agree, report.total)}`,
  );
  return lines.join("\n");
}

/** Every disagreeing query with its first differences (path: influxdb vs chronoraft). */
export function formatDifferences(report: CompatReport): string {
  const out: string[] = [];
  for (const o of report.outcomes) {
    if (o.differences.length === 0) continue;
    out.push(`#${o.index} [${o.query.feature}] ${o.query.q}`);
    for (const d of o.differences) {
      out.push(`    ${d.path || "(root)"}: influxdb ${d.influxdb}  chronoraft ${d.chronoraft}`);
    }
  }
  return out.join("\n");
}
