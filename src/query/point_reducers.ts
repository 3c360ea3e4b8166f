/** Reducers that keep the window's points: median, mode, percentile, distinct, top, ... */
import type { FieldValue } from "../models/point.ts";
import type { Value } from "./deps.ts";
import { Base, type Emitted, type Reducer } from "./reducer_base.ts";

/** Keeps every point of the window: median, mode, percentile, distinct, top, bottom, ... */
/** Turns a window's points into its output. */
export type Finish = (
  ts: bigint[],
  vs: FieldValue[],
  aux: (readonly Value[] | undefined)[],
) => Emitted[];

/** Keeps (time, value, aux) of every point; `finish` turns them into the output. */
export class Points extends Base {
  ts: bigint[] = [];
  vs: FieldValue[] = [];
  aux: (readonly Value[] | undefined)[] = [];
  constructor(private readonly finish: Finish) {
    super();
  }
  add(t: bigint, v: FieldValue, aux?: readonly Value[]): void {
    this.empty = false;
    this.ts.push(t);
    this.vs.push(v);
    this.aux.push(aux);
  }
  merge(o: Reducer): void {
    const x = o as Points;
    for (let i = 0; i < x.ts.length; i++) this.add(x.ts[i], x.vs[i], x.aux[i]);
  }
  emit(): Emitted[] {
    return this.finish(this.ts, this.vs, this.aux);
  }
  points(): { readonly ts: readonly bigint[]; readonly vs: readonly FieldValue[] } {
    return { ts: this.ts, vs: this.vs };
  }
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

/** The most frequent value; the smallest wins a tie. */
export function mode(ts: bigint[], vs: FieldValue[]): Emitted[] {
  const idx = order(ts, vs);
  let best: FieldValue | null = null;
  let bestN = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && vs[idx[j]] === vs[idx[i]]) j++;
    if (j - i > bestN) {
      bestN = j - i;
      best = vs[idx[i]];
    }
    i = j;
  }
  return [{ time: null, value: best }];
}

/** The point at the p-th percentile (nearest rank), keeping its time. */
export function percentile(p: number): Finish {
  return (ts: bigint[], vs: FieldValue[]): Emitted[] => {
    const idx = order(ts, vs);
    const i = Math.floor(idx.length * p / 100 + 0.5) - 1;
    if (i < 0 || i >= idx.length) return [{ time: null, value: null }];
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
    return keep.sort((a, b) => a - b).map((i) => ({ time: ts[i], value: vs[i] }));
  };
}

/** The area under the points (trapezium rule) in `unit`s of time. */
export function integral(unit: bigint): Finish {
  return (ts: bigint[], vs: FieldValue[]): Emitted[] => {
    const idx = ts.map((_, i) => i).sort((a, b) => (ts[a] < ts[b] ? -1 : ts[a] > ts[b] ? 1 : 0));
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
