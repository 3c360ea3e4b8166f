/** SELECT ... INTO: the result rows become points of the target measurement. */
import type { Point, Tag } from "../models/point.ts";
import { seriesKey } from "../models/mod.ts";
import type { SelectStatement } from "../influxql/mod.ts";
import type { QueryMeta, Value, WritePointsFn } from "./deps.ts";
import type { ResultSeries } from "./result.ts";
import { resolveSource } from "./sources.ts";

/** Writes `series` into the statement's target and returns InfluxDB's `result` series. */
export async function writeInto(
  meta: QueryMeta,
  write: WritePointsFn,
  stmt: SelectStatement,
  series: readonly ResultSeries[],
  opts: { readonly database: string; readonly retentionPolicy: string },
): Promise<ResultSeries> {
  const t = stmt.target!.measurement;
  const { database, retentionPolicy } = resolveSource(
    meta,
    t.database || opts.database,
    t.retentionPolicy || (t.database ? "" : opts.retentionPolicy),
  );
  const points: Point[] = [];
  for (const s of series) {
    const measurement = t.name || s.name || "";
    const tags: Tag[] = Object.entries(s.tags ?? {}).filter(([, v]) => v !== "")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = seriesKey(measurement, tags);
    for (const row of s.values) {
      const fields = [];
      for (let i = 1; i < s.columns.length; i++) {
        const v = row[i] as Value;
        if (v === null) continue;
        fields.push({ key: s.columns[i], type: typeOf(v), value: v });
      }
      if (fields.length === 0) continue;
      points.push({ measurement, tags, key, fields, time: row[0] as bigint });
    }
  }
  if (points.length > 0) await write(database, retentionPolicy, points);
  return { name: "result", columns: ["time", "written"], values: [[0n, BigInt(points.length)]] };
}

function typeOf(v: number | bigint | string | boolean): "float" | "integer" | "string" | "boolean" {
  return typeof v === "number"
    ? "float"
    : typeof v === "bigint"
    ? "integer"
    : typeof v === "string"
    ? "string"
    : "boolean";
}
