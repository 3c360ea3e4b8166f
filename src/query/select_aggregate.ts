/**
 * Aggregation with push-down: each shard folds its series into per-window partial states
 * (reading only block counts for count() where it can), and the partials merge above.
 */
import type { Expr } from "../influxql/mod.ts";
import type { ColumnLike, SegmentLike, SeriesLike, ShardReaderLike } from "./deps.ts";
import { type Bounds, type Group, rowMatches, tagOf } from "./group.ts";
import { makeReducer, type Reducer } from "./reducers.ts";
import { readRows } from "./rows.ts";
import type { CallRef } from "./select_plan.ts";
import { windowEnd, type Windowing, windowStart } from "./windows.ts";

/** Per window start, one reducer per call. */
export type WindowStates = Map<bigint, Reducer[]>;

/** Maps a time to its window's start; one window (keyed by `bounds.min`) without GROUP BY time. */
export type WindowOf = (t: bigint) => bigint;

function stateFor(
  states: WindowStates,
  ws: bigint,
  calls: readonly CallRef[],
  random: () => number,
): Reducer[] {
  let r = states.get(ws);
  if (r === undefined) {
    r = calls.map((c) => makeReducer(c.spec, random));
    states.set(ws, r);
  }
  return r;
}

function upperBound(times: BigInt64Array, from: number, t: bigint): number {
  let lo = from;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function feedColumn(
  col: ColumnLike,
  w: Windowing | null,
  bounds: Bounds,
  states: WindowStates,
  calls: readonly CallRef[],
  ci: number,
  random: () => number,
  run: Run,
): void {
  const times = col.times;
  if (w === null) {
    const r = stateFor(states, bounds.min, calls, random)[ci];
    r.beginRun?.(run.shard, run.key);
    r.addColumn(col, 0, times.length);
    return;
  }
  for (let i = 0; i < times.length;) {
    const ws = windowStart(w, times[i]);
    const j = upperBound(times, i, windowEnd(w, ws) - 1n);
    const r = stateFor(states, ws, calls, random)[ci];
    r.beginRun?.(run.shard, run.key);
    r.addColumn(col, i, j);
    i = j;
  }
}

/** Where fed points come from: the shard's ordinal in the group and the series key. */
interface Run {
  readonly shard: number;
  readonly key: string;
}

const PREFETCH = 16;

async function listSegments(
  reader: ShardReaderLike,
  series: SeriesLike,
  field: string,
  bounds: Bounds,
): Promise<SegmentLike[]> {
  const out: SegmentLike[] = [];
  for await (const seg of reader.segments(series, field, bounds.min, bounds.max)) out.push(seg);
  return out;
}

/** The newest non-empty segment, as a one-element list in ascending order. */
async function newestSegment(
  reader: ShardReaderLike,
  series: SeriesLike,
  field: string,
  bounds: Bounds,
): Promise<SegmentLike[]> {
  for await (const seg of reader.segmentsDescending!(series, field, bounds.min, bounds.max)) {
    if (seg.column().times.length > 0) return [seg];
  }
  return [];
}

function hintsFor(
  all: Map<ShardReaderLike, Map<string, bigint>>,
  reader: ShardReaderLike,
): Map<string, bigint> {
  let h = all.get(reader);
  if (h === undefined) all.set(reader, h = new Map());
  return h;
}

/** The oldest non-empty segment: iteration stops there, so later blocks are never read. */
async function firstSegment(
  reader: ShardReaderLike,
  series: SeriesLike,
  field: string,
  bounds: Bounds,
): Promise<SegmentLike[]> {
  for await (const seg of reader.segments(series, field, bounds.min, bounds.max)) {
    if (seg.column().times.length > 0) return [seg];
  }
  return [];
}

/**
 * Segments that hold the newest point of (series, field). Series of one measurement tend to
 * end together, so the newest time seen so far (`hints`, per field) is tried first: a read
 * from there lists one or two blocks; only when it finds nothing is the whole range listed.
 */
async function latestSegments(
  reader: ShardReaderLike,
  series: SeriesLike,
  field: string,
  bounds: Bounds,
  hints: Map<string, bigint>,
): Promise<SegmentLike[]> {
  const hint = hints.get(field);
  let segs: SegmentLike[] = [];
  if (hint !== undefined && hint > bounds.min && hint <= bounds.max) {
    segs = (await listSegments(reader, series, field, { min: hint, max: bounds.max }))
      .filter((x) => x.column().times.length > 0);
  }
  if (segs.length === 0) segs = await listSegments(reader, series, field, bounds);
  for (let i = segs.length - 1; i >= 0; i--) {
    const t = segs[i].column().times;
    if (t.length > 0) {
      hints.set(field, t[t.length - 1]);
      break;
    }
  }
  return segs;
}

function sameWindow(w: Windowing | null, s: SegmentLike): boolean {
  return w === null || windowStart(w, s.min) === windowStart(w, s.max);
}

/** Computes every call over the group: one partial per shard, merged in shard order. */
export async function aggregateGroup(
  group: Group,
  calls: readonly CallRef[],
  residual: Expr | null,
  residualFields: readonly string[],
  w: Windowing | null,
  bounds: Bounds,
  random: () => number,
  aux: readonly { readonly name: string; readonly isTag: boolean }[] = [],
  hints: Map<ShardReaderLike, Map<string, bigint>> = new Map(),
): Promise<WindowStates> {
  const total: WindowStates = new Map();
  const fields = [...new Set(calls.map((c) => c.field))];
  for (let pi = 0; pi < group.parts.length; pi++) {
    const part = group.parts[pi];
    const partial: WindowStates = new Map();
    if (residual !== null || aux.length > 0) {
      for (const series of part.series) {
        await feedRows(part.reader, series, fields, residualFields, residual, w, bounds, partial, {
          calls,
          random,
          aux,
          run: { shard: pi, key: series.key },
        });
      }
      merge(total, partial);
      continue;
    }
    const tasks: [SeriesLike, number][] = [];
    for (const series of part.series) {
      for (let ci = 0; ci < calls.length; ci++) tasks.push([series, ci]);
    }
    // Segment listings (KV reads) overlap in small batches; feeding stays in a fixed order so
    // float sums are the same on every run, and memory stays bounded by one batch.
    for (let i = 0; i < tasks.length; i += PREFETCH) {
      const batch = tasks.slice(i, i + PREFETCH);
      const lists = await Promise.all(
        batch.map(([series, ci]) => {
          const name = calls[ci].spec.name;
          const field = calls[ci].field;
          if (w === null && name === "last") {
            return part.reader.segmentsDescending
              ? newestSegment(part.reader, series, field, bounds)
              : latestSegments(part.reader, series, field, bounds, hintsFor(hints, part.reader));
          }
          if (w === null && name === "first") {
            return firstSegment(part.reader, series, field, bounds);
          }
          return listSegments(part.reader, series, field, bounds);
        }),
      );
      batch.forEach(([series, ci], k) => {
        const segs = lists[k];
        // last() needs the newest points first: walking backwards lets it skip old blocks.
        if (calls[ci].spec.name === "last") segs.reverse();
        for (const seg of segs) {
          if (sameWindow(w, seg)) {
            const ws = w === null ? bounds.min : windowStart(w, seg.min);
            const st = stateFor(partial, ws, calls, random)[ci];
            if (st.covers(seg.min, seg.max)) continue;
            if (seg.exact && seg.count > 0 && st.addCount(seg.count)) continue;
          }
          const col = seg.column();
          if (col.times.length > 0) {
            feedColumn(col, w, bounds, partial, calls, ci, random, { shard: pi, key: series.key });
          }
        }
      });
    }
    merge(total, partial);
  }
  return total;
}

async function feedRows(
  reader: Group["parts"][number]["reader"],
  series: Group["parts"][number]["series"][number],
  fields: readonly string[],
  residualFields: readonly string[],
  residual: Expr | null,
  w: Windowing | null,
  bounds: Bounds,
  states: WindowStates,
  { calls, random, aux, run }: {
    calls: readonly CallRef[];
    random: () => number;
    aux: readonly { readonly name: string; readonly isTag: boolean }[];
    run: Run;
  },
): Promise<void> {
  const condFields = [...fields];
  const idx = calls.map((c) => condFields.indexOf(c.field));
  for (const f of residualFields) if (!condFields.includes(f)) condFields.push(f);
  for (const a of aux) if (!a.isTag && !condFields.includes(a.name)) condFields.push(a.name);
  const auxIdx = aux.map((a) => (a.isTag ? -1 : condFields.indexOf(a.name)));
  const auxTags = aux.map((a) => (a.isTag ? tagOf(series, a.name) || null : null));
  for await (const row of readRows(reader, series, condFields, bounds.min, bounds.max)) {
    if (!rowMatches(residual, condFields, row.values, series)) continue;
    const ws = w === null ? bounds.min : windowStart(w, row.time);
    let st: Reducer[] | undefined;
    for (let ci = 0; ci < calls.length; ci++) {
      const v = row.values[idx[ci]];
      if (v === null) continue;
      st ??= stateFor(states, ws, calls, random);
      st[ci].beginRun?.(run.shard, run.key);
      if (aux.length === 0) st[ci].add(row.time, v);
      else st[ci].add(row.time, v, auxIdx.map((j, k) => (j < 0 ? auxTags[k] : row.values[j])));
    }
  }
}

function merge(into: WindowStates, from: WindowStates): void {
  for (const [ws, rs] of from) {
    const have = into.get(ws);
    if (have === undefined) into.set(ws, rs);
    else for (let i = 0; i < rs.length; i++) have[i].merge(rs[i]);
  }
}
