/** Reducers that keep the window's points: median, mode, percentile, distinct, top, ... */
import type { FieldValue } from "../models/point.ts";
import type { Value } from "./deps.ts";
import { Base, type Emitted, type Reducer } from "./reducer_base.ts";
import { goHeapMerge, goSort } from "./select_go_sort.ts";

/**
 * Turns a window's points into its output. `order()` gives the indices in the order InfluxDB's
 * sorted merge would feed them (time order, ties between series as its heap breaks them).
 */
export type Finish = (
  ts: bigint[],
  vs: FieldValue[],
  aux: (readonly Value[] | undefined)[],
  order: () => number[],
) => Emitted[];

/**
 * Keeps (time, value, aux) of every point; `finish` turns them into the output. Points come
 * series by series (each in time order) and shard by shard; the starts of those runs are
 * kept so that ties can be merged the way InfluxDB merges them.
 */
export class Points extends Base {
  ts: bigint[] = [];
  vs: FieldValue[] = [];
  aux: (readonly Value[] | undefined)[] = [];
  /** Runs: where each starts, and the shard ordinal and series key it came from. */
  private runStarts: number[] = [];
  private runShard: number[] = [];
  private runKey: string[] = [];
  private shard = 0;
  private key = "";
  constructor(private readonly finish: Finish) {
    super();
  }
  /** The points that follow come from this shard (ordinal) and series key. */
  override beginRun(shard: number, key: string): void {
    this.shard = shard;
    this.key = key;
  }
  add(t: bigint, v: FieldValue, aux?: readonly Value[]): void {
    this.empty = false;
    const n = this.ts.length;
    const r = this.runStarts.length - 1;
    // A new series or shard, or time not moving forward (a source without beginRun).
    if (
      r < 0 || this.runShard[r] !== this.shard || this.runKey[r] !== this.key ||
      (n > this.runStarts[r] && t <= this.ts[n - 1])
    ) {
      this.runStarts.push(n);
      this.runShard.push(this.shard);
      this.runKey.push(this.key);
    }
    this.ts.push(t);
    this.vs.push(v);
    this.aux.push(aux);
  }
  merge(o: Reducer): void {
    const x = o as Points;
    for (const run of x.runs()) {
      this.beginRun(run.shard, run.key);
      // Force a run boundary even when shard and key repeat (another partial's run).
      this.runStarts.push(this.ts.length);
      this.runShard.push(run.shard);
      this.runKey.push(run.key);
      for (const i of run.idx) {
        this.empty = false;
        this.ts.push(x.ts[i]);
        this.vs.push(x.vs[i]);
        this.aux.push(x.aux[i]);
      }
    }
  }
  emit(): Emitted[] {
    return this.finish(this.ts, this.vs, this.aux, () => this.mergeOrder());
  }
  points(): { readonly ts: readonly bigint[]; readonly vs: readonly FieldValue[] } {
    const idx = this.mergeOrder();
    return { ts: idx.map((i) => this.ts[i]), vs: idx.map((i) => this.vs[i]) };
  }
  /** The runs in feed order: shard ordinal, series key and the indices of their points. */
  runs(): { shard: number; key: string; idx: number[] }[] {
    return this.runStarts.map((from, r) => {
      const to = r + 1 < this.runStarts.length ? this.runStarts[r + 1] : this.ts.length;
      const idx: number[] = [];
      for (let i = from; i < to; i++) idx.push(i);
      return { shard: this.runShard[r], key: this.runKey[r], idx };
    });
  }
  seriesRuns(): { shard: number; key: string; ts: bigint[]; vs: FieldValue[] }[] {
    return this.runs().map((r) => ({
      shard: r.shard,
      key: r.key,
      ts: r.idx.map((i) => this.ts[i]),
      vs: r.idx.map((i) => this.vs[i]),
    }));
  }
  /** Indices as InfluxDB merges them: series within each shard, then the shards. */
  mergeOrder(): number[] {
    const ts = this.ts;
    return influxMergeOrder(this.runs(), (a, b) => ts[a] < ts[b]);
  }
}

/**
 * InfluxDB's sorted merge of runs: a Go heap over each shard's series runs (in series key
 * order), then a Go heap over the shards (in shard order).
 */
export function influxMergeOrder(
  runs: readonly { shard: number; key: string; idx: number[] }[],
  less: (a: number, b: number) => boolean,
): number[] {
  const byShard = new Map<number, { key: string; idx: number[] }[]>();
  for (const r of runs) {
    let l = byShard.get(r.shard);
    if (l === undefined) byShard.set(r.shard, l = []);
    l.push(r);
  }
  const shards = [...byShard.keys()].sort((a, b) => a - b).map((sh) => {
    // Stable: runs of one key keep their feed order.
    const l = byShard.get(sh)!.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return goHeapMerge(l.map((r) => r.idx), less);
  });
  return goHeapMerge(shards, less);
}

function order(ts: bigint[], vs: FieldValue[]): number[] {
  const idx = ts.map((_, i) => i);
  // Sort by value, then time (stable for equal pairs).
  idx.sort((
    a,
    b,
  ) => (vs[a] < vs[b] ? -1 : vs[a] > vs[b] ? 1 : ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : 0));
  return idx;
}

/** The middle value (mean of the two middle ones for an even count), as a float. */
export function median(ts: bigint[], vs: FieldValue[]): Emitted[] {
  const idx = order(ts, vs);
  const n = idx.length;
  if (n === 0) return [{ time: null, value: null }];
  if (n % 2 === 1) return [{ time: null, value: Number(vs[idx[(n - 1) / 2]]) }];
  const a = Number(vs[idx[n / 2 - 1]]);
  const b = Number(vs[idx[n / 2]]);
  return [{ time: null, value: a + (b - a) / 2 }];
}

/**
 * The window's points in time order (arrival order for equal times), then sorted by value
 * with Go's unstable sort as InfluxDB does, so ties land where they land in InfluxDB.
 */
function goSortedByValue(
  ts: bigint[],
  vs: FieldValue[],
  input = ts.map((_, i) => i).sort((a, b) => (ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : a - b)),
): number[] {
  const idx = input;
  goSort({
    less: (i, j) => vs[idx[i]] < vs[idx[j]],
    swap: (i, j) => {
      const x = idx[i];
      idx[i] = idx[j];
      idx[j] = x;
    },
  }, idx.length);
  return idx;
}

/**
 * The most frequent value, with InfluxDB 1.6's tie rule (its ModeReduceSlice): among equally
 * frequent values the run whose first point (after Go's sort) is not later than the best
 * run's last point wins. Booleans: true unless false is strictly more frequent.
 */
export function mode(ts: bigint[], vs: FieldValue[]): Emitted[] {
  if (vs.length === 0) return [{ time: null, value: null }];
  if (typeof vs[0] === "boolean") {
    const trues = vs.filter((v) => v === true).length;
    return [{ time: null, value: trues >= vs.length - trues }];
  }
  const idx = goSortedByValue(ts, vs);
  let mostFreq = 0;
  let currFreq = 0;
  let currMode = vs[idx[0]];
  let mostMode = vs[idx[0]];
  let mostTime = ts[idx[0]];
  let currTime = ts[idx[0]];
  for (const i of idx) {
    if (vs[i] !== currMode) {
      currFreq = 1;
      currMode = vs[i];
      currTime = ts[i];
      continue;
    }
    currFreq++;
    if (mostFreq > currFreq || (mostFreq === currFreq && currTime > mostTime)) continue;
    mostFreq = currFreq;
    mostMode = vs[i];
    mostTime = ts[i];
  }
  return [{ time: null, value: mostMode }];
}

/** The point at the p-th percentile (nearest rank), keeping its time (InfluxDB's tie too). */
export function percentile(p: number): Finish {
  return (ts, vs, _aux, order): Emitted[] => {
    const i = Math.floor(ts.length * p / 100 + 0.5) - 1;
    // Out of range (p = 0, or no points): InfluxDB emits no point at all.
    if (i < 0 || i >= ts.length) return [];
    // InfluxDB feeds percentile() through its sorted merge (opt.Ordered), then sorts by value.
    const idx = goSortedByValue(ts, vs, order());
    return [{ time: ts[idx[i]], value: vs[idx[i]] }];
  };
}

/** Each value once, in order of first appearance. */
export function distinct(ts: bigint[], vs: FieldValue[]): Emitted[] {
  const seen = new Set<FieldValue>();
  const out: Emitted[] = [];
  const idx = ts.map((_, i) => i).sort((a, b) => (ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : 0));
  for (const i of idx) {
    if (!seen.has(vs[i])) {
      seen.add(vs[i]);
      out.push({ time: null, value: vs[i] });
    }
  }
  return out;
}

/**
 * top/bottom: the N best points by value (earliest first on ties), shown in time order.
 * With tag arguments (`byTags`) only the best point of each tag combination competes.
 */
export function topBottom(n: number, top: boolean, byTags: boolean): Finish {
  return (ts, vs, aux) => {
    const better = (a: number, b: number): number => {
      if (vs[a] !== vs[b]) return (vs[a] < vs[b]) === top ? 1 : -1;
      return ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : 0;
    };
    let idx = ts.map((_, i) => i);
    if (byTags) {
      const best = new Map<string, number>();
      for (const i of idx) {
        const key = JSON.stringify(aux[i] ?? []);
        const have = best.get(key);
        if (have === undefined || better(i, have) < 0) best.set(key, i);
      }
      idx = [...best.values()];
    }
    idx.sort(better);
    return idx.slice(0, n)
      .sort((a, b) => (ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : 0))
      .map((i) => ({ time: ts[i], value: vs[i], aux: aux[i] }));
  };
}

/** N points chosen by reservoir sampling, in time order. */
export function sample(n: number, random: () => number): Finish {
  return (ts: bigint[], vs: FieldValue[]): Emitted[] => {
    // Reservoir sampling, then time order.
    const keep: number[] = [];
    for (let i = 0; i < ts.length; i++) {
      if (keep.length < n) keep.push(i);
      else {
        const j = Math.floor(random() * (i + 1));
        if (j < n) keep[j] = i;
      }
    }
    // Points arrive per series and shard, so order by time (then arrival).
    return keep.sort((a, b) => (ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : a - b))
      .map((i) => ({ time: ts[i], value: vs[i] }));
  };
}

/** The area under the points (trapezium rule) in `unit`s of time. */
export function integral(unit: bigint): Finish {
  return (ts, vs, _aux, order): Emitted[] => {
    // InfluxDB's merge order: with equal times from two series, which comes first matters.
    const idx = order();
    let sum = 0;
    for (let k = 1; k < idx.length; k++) {
      const a = idx[k - 1];
      const b = idx[k];
      const dt = Number(ts[b] - ts[a]) / Number(unit);
      sum += (Number(vs[a]) + Number(vs[b])) / 2 * dt;
    }
    return [{ time: null, value: sum }];
  };
}
