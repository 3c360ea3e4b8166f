/** Facts about a SELECT the query engine needs: GROUP BY time interval and offset. */
import type { SelectStatement } from "./ast.ts";
import { formatExpr } from "./format.ts";

/** The GROUP BY time interval of a SELECT (0 when none), or InfluxDB's error text. */
export function groupByInterval(s: SelectStatement): bigint | { error: string } {
  for (const d of s.dimensions) {
    const e = d.expr;
    if (e.kind === "Call" && e.name === "time") {
      if (e.args.length === 0) return { error: "time dimension expected 1 or 2 arguments" };
      const a = e.args[0];
      if (a.kind !== "DurationLiteral") {
        return { error: "time dimension must have duration argument" };
      }
      return a.value;
    }
  }
  return 0n;
}

/**
 * The GROUP BY time offset (0 when none), reduced modulo the interval with Go's sign rules
 * (a negative offset stays negative), or InfluxDB's error text.
 */
export function groupByOffset(s: SelectStatement): bigint | { error: string } {
  const interval = groupByInterval(s);
  if (typeof interval !== "bigint") return interval;
  for (const d of s.dimensions) {
    const e = d.expr;
    if (e.kind !== "Call" || e.name !== "time") continue;
    if (e.args.length !== 2) return 0n;
    const o = e.args[1];
    if (o.kind === "DurationLiteral") return interval === 0n ? 0n : o.value % interval;
    if (o.kind === "TimeLiteral") {
      if (interval === 0n) return 0n;
      const m = o.value % interval;
      return m < 0n ? m + interval : m;
    }
    return { error: `invalid time dimension offset: ${formatExpr(o)}` };
  }
  return 0n;
}
