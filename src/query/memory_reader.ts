/**
 * A shard reader over result series in memory: how a subquery's output becomes a source
 * for the outer SELECT (its columns are fields, its GROUP BY tags are tags).
 */
import type { FieldType, FieldValue } from "../models/point.ts";
import type {
  ColumnLike,
  SegmentLike,
  SeriesLike,
  ShardReaderLike,
  TagPredicate,
  Value,
} from "./deps.ts";
import type { Cell, ResultSeries } from "./result.ts";

interface MemSeries extends SeriesLike {
  readonly columns: Map<string, ColumnLike>;
}

function typeOf(v: FieldValue): FieldType {
  return typeof v === "number"
    ? "float"
    : typeof v === "bigint"
    ? "integer"
    : typeof v === "boolean"
    ? "boolean"
    : "string";
}

/** True when a series with `tags` matches `p` (a missing tag matches as ""). */
export function matchesTags(
  p: TagPredicate,
  tags: readonly (readonly [string, string])[],
): boolean {
  const tag = (k: string) => tags.find(([x]) => x === k)?.[1] ?? "";
  switch (p.kind) {
    case "all":
      return true;
    case "none":
      return false;
    case "eq":
      return tag(p.key) === p.value;
    case "neq":
      return tag(p.key) !== p.value;
    case "match":
      return p.pattern.test(tag(p.key));
    case "nmatch":
      return !p.pattern.test(tag(p.key));
    case "and":
      return matchesTags(p.left, tags) && matchesTags(p.right, tags);
    case "or":
      return matchesTags(p.left, tags) || matchesTags(p.right, tags);
  }
}

/** Read access to subquery results, shaped like a shard. */
export class MemoryReader implements ShardReaderLike {
  private readonly all: MemSeries[] = [];
  private readonly types = new Map<string, Map<string, FieldType>>();

  /** Indexes `series` (rows in time order, time in column 0). */
  constructor(series: readonly ResultSeries[]) {
    for (const rs of series) {
      const m = rs.name ?? "";
      const tags = Object.entries(rs.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
      const key = m + tags.map(([k, v]) => `,${k}=${v}`).join("");
      let types = this.types.get(m);
      if (types === undefined) this.types.set(m, types = new Map());
      // Rows sharing a time (raw rows of several series) go to separate lanes, since a
      // column holds one value per time.
      const lanes: Cell[][][] = [];
      let prev: Cell = null;
      let lane = 0;
      const ordered = [...rs.values].sort((a, b) =>
        (a[0] as bigint) < (b[0] as bigint) ? -1 : (a[0] as bigint) > (b[0] as bigint) ? 1 : 0
      );
      for (const row of ordered) {
        lane = row[0] === prev ? lane + 1 : 0;
        prev = row[0];
        (lanes[lane] ??= []).push(row);
      }
      lanes.forEach((rows, k) => {
        const columns = new Map<string, ColumnLike>();
        for (let c = 1; c < rs.columns.length; c++) {
          const times: bigint[] = [];
          const values: FieldValue[] = [];
          let type: FieldType | undefined;
          for (const row of rows) {
            const v = row[c] as Value;
            if (v === null) continue;
            type ??= typeOf(v);
            if (typeOf(v) !== type) continue;
            times.push(row[0] as bigint);
            values.push(v);
          }
          if (type === undefined) continue;
          if (!types!.has(rs.columns[c])) types!.set(rs.columns[c], type);
          columns.set(rs.columns[c], { type, times: BigInt64Array.from(times), values });
        }
        this.all.push({
          id: this.all.length + 1,
          key: k === 0 ? key : `${key}\0${k}`,
          measurement: m,
          tags,
          columns,
        });
      });
    }
  }

  measurements(): string[] {
    return [...this.types.keys()].sort();
  }
  series(m: string, p: TagPredicate = { kind: "all" }): SeriesLike[] {
    return this.all.filter((s) => s.measurement === m && matchesTags(p, s.tags));
  }
  tagKeys(m: string, p?: TagPredicate): string[] {
    const out = new Set<string>();
    for (const s of this.series(m, p)) for (const [k] of s.tags) out.add(k);
    return [...out].sort();
  }
  tagValues(m: string, key: string, p?: TagPredicate): readonly string[] {
    const out = new Set<string>();
    for (const s of this.series(m, p)) for (const [k, v] of s.tags) if (k === key) out.add(v);
    return [...out].sort();
  }
  fieldKeys(m: string): { key: string; type: FieldType }[] {
    return [...(this.types.get(m) ?? new Map<string, FieldType>()).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, type]) => ({ key, type }));
  }
  async *segments(
    series: SeriesLike,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<SegmentLike> {
    const col = (series as MemSeries).columns?.get(field);
    if (col === undefined) return;
    const idx: number[] = [];
    for (let i = 0; i < col.times.length; i++) {
      if (col.times[i] >= min && col.times[i] <= max) idx.push(i);
    }
    if (idx.length === 0) return;
    const c: ColumnLike = {
      type: col.type,
      times: BigInt64Array.from(idx.map((i) => col.times[i])),
      values: idx.map((i) => col.values[i]),
    };
    await Promise.resolve();
    yield {
      min: c.times[0],
      max: c.times[c.times.length - 1],
      count: idx.length,
      exact: true,
      column: () => c,
    };
  }
}
