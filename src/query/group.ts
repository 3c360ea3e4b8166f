/** The series of one output group (one tag set of the GROUP BY), shard by shard. */
import type { SeriesLike, ShardReaderLike, Value } from "./deps.ts";
import type { Expr } from "../influxql/mod.ts";
import { evalExpr } from "./eval.ts";

/** One shard's series belonging to a group. */
export interface GroupPart {
  readonly reader: ShardReaderLike;
  readonly series: SeriesLike[];
}

/** A group: its GROUP BY tag values and its series in every shard (in shard time order). */
export interface Group {
  readonly key: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly parts: GroupPart[];
}

/** The inclusive time range to read. */
export interface Bounds {
  readonly min: bigint;
  readonly max: bigint;
}

/** The value of tag `key` on a series ("" when absent, as InfluxDB compares it). */
export function tagOf(s: SeriesLike, key: string): string {
  for (const [k, v] of s.tags) if (k === key) return v;
  return "";
}

/** Checks a per-row condition; `fields[i]` names `values[i]`, other names are tags. */
export function rowMatches(
  cond: Expr | null,
  fields: readonly string[],
  values: readonly Value[],
  series: SeriesLike,
): boolean {
  if (cond === null) return true;
  return evalExpr(cond, (name) => {
    const i = fields.indexOf(name);
    if (i >= 0) return values[i];
    for (const [k, v] of series.tags) if (k === name) return v;
    return null;
  }) === true;
}
