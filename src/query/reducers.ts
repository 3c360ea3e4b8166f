/**
 * Per-window accumulators for aggregates and selectors. Mergeable ones (count, sum, mean,
 * min/max, first/last, spread, stddev moments) keep O(1) state so per-shard partials merge
 * cheaply; the others keep the window's points.
 */
import type { FieldValue } from "../models/point.ts";
import type { ColumnLike, Value } from "./deps.ts";
import { Base, type Emitted, type Reducer, wrap } from "./reducer_base.ts";
import {
  distinct,
  integral,
  median,
  mode,
  percentile,
  Points,
  sample,
  topBottom,
} from "./point_reducers.ts";

export type { Emitted, Reducer } from "./reducer_base.ts";

class Count extends Base {
  n = 0;
  add(): void {
    this.n++;
    this.empty = false;
  }
  override addColumn(_c: ColumnLike, from: number, to: number): void {
    this.n += to - from;
    if (to > from) this.empty = false;
  }
  override addCount(n: number): boolean {
    this.n += n;
    if (n > 0) this.empty = false;
    return true;
  }
  merge(o: Reducer): void {
    this.n += (o as Count).n;
    this.empty &&= o.empty;
  }
  emit(): Emitted[] {
    return [{ time: null, value: BigInt(this.n) }];
  }
}

class Sum extends Base {
  f = 0;
  i = 0n;
  isInt = false;
  add(_t: bigint, v: FieldValue): void {
    this.empty = false;
    if (typeof v === "bigint") {
      this.isInt = true;
      this.i = wrap(this.i + v);
    } else this.f += v as number;
  }
  override addColumn(c: ColumnLike, from: number, to: number): void {
    if (c.type !== "float") return super.addColumn(c, from, to);
    const v = c.values as Float64Array;
    let s = this.f;
    for (let k = from; k < to; k++) s += v[k];
    this.f = s;
    if (to > from) this.empty = false;
  }
  merge(o: Reducer): void {
    const x = o as Sum;
    if (x.empty) return;
    this.empty = false;
    this.f += x.f;
    this.i = wrap(this.i + x.i);
    this.isInt ||= x.isInt;
  }
  emit(): Emitted[] {
    return [{ time: null, value: this.isInt ? this.i : this.f }];
  }
}

class Mean extends Base {
  s = 0;
  n = 0;
  add(_t: bigint, v: FieldValue): void {
    this.empty = false;
    this.s += Number(v);
    this.n++;
  }
  override addColumn(c: ColumnLike, from: number, to: number): void {
    if (c.type !== "float") return super.addColumn(c, from, to);
    const v = c.values as Float64Array;
    let s = this.s;
    for (let k = from; k < to; k++) s += v[k];
    this.s = s;
    this.n += to - from;
    if (to > from) this.empty = false;
  }
  merge(o: Reducer): void {
    const x = o as Mean;
    this.s += x.s;
    this.n += x.n;
    this.empty &&= x.empty;
  }
  emit(): Emitted[] {
    return [{ time: null, value: this.s / this.n }];
  }
}

function less(a: FieldValue, b: FieldValue): boolean {
  return a < b;
}

/** min, max, first, last: one chosen point, with InfluxDB's tie-breaking. */
class Pick extends Base {
  t = 0n;
  v: FieldValue = 0;
  constructor(
    private readonly better: (t: bigint, v: FieldValue, pt: bigint, pv: FieldValue) => boolean,
    private readonly order: "first" | "last" | null = null,
  ) {
    super();
  }
  override addColumn(c: ColumnLike, from: number, to: number): void {
    if (to <= from) return;
    // Times in a column are unique and ascending: only one end can win.
    if (this.order === "first") this.add(c.times[from], c.values[from]);
    else if (this.order === "last") this.add(c.times[to - 1], c.values[to - 1]);
    else super.addColumn(c, from, to);
  }
  override covers(min: bigint, max: bigint): boolean {
    if (this.empty || this.order === null) return false;
    return this.order === "first" ? this.t < min : this.t > max;
  }
  aux: readonly Value[] | undefined;
  add(t: bigint, v: FieldValue, aux?: readonly Value[]): void {
    if (this.empty || this.better(t, v, this.t, this.v)) {
      this.t = t;
      this.v = v;
      this.aux = aux;
      this.empty = false;
    }
  }
  merge(o: Reducer): void {
    const x = o as Pick;
    if (!x.empty) this.add(x.t, x.v, x.aux);
  }
  emit(): Emitted[] {
    return [{ time: this.t, value: this.v, aux: this.aux }];
  }
}

class MinMax extends Pick {
  constructor(private readonly isMax: boolean) {
    super(
      isMax
        ? (t, v, pt, pv) => less(pv, v) || (v === pv && t < pt)
        : (t, v, pt, pv) => less(v, pv) || (v === pv && t < pt),
    );
  }
  override addColumn(c: ColumnLike, from: number, to: number): void {
    if (c.type !== "float" || to <= from) return super.addColumn(c, from, to);
    const vs = c.values as Float64Array;
    let best = from;
    for (let k = from + 1; k < to; k++) {
      if (this.isMax ? vs[k] > vs[best] : vs[k] < vs[best]) best = k;
    }
    this.add(c.times[best], vs[best]);
  }
}

class Spread extends Base {
  min: FieldValue = 0;
  max: FieldValue = 0;
  add(_t: bigint, v: FieldValue): void {
    if (this.empty) {
      this.min = v;
      this.max = v;
      this.empty = false;
      return;
    }
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }
  merge(o: Reducer): void {
    const x = o as Spread;
    if (x.empty) return;
    this.add(0n, x.min);
    this.add(0n, x.max);
  }
  emit(): Emitted[] {
    const d = typeof this.max === "bigint"
      ? wrap(this.max - (this.min as bigint))
      : (this.max as number) - (this.min as number);
    return [{ time: null, value: d }];
  }
}

/** Sample standard deviation from mergeable moments (Chan et al.). */
class Stddev extends Base {
  n = 0;
  mean = 0;
  m2 = 0;
  add(_t: bigint, v: FieldValue): void {
    this.empty = false;
    const x = Number(v);
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  merge(o: Reducer): void {
    const b = o as Stddev;
    if (b.n === 0) return;
    if (this.n === 0) {
      Object.assign(this, { n: b.n, mean: b.mean, m2: b.m2, empty: false });
      return;
    }
    const n = this.n + b.n;
    const d = b.mean - this.mean;
    this.m2 += b.m2 + d * d * this.n * b.n / n;
    this.mean += d * b.n / n;
    this.n = n;
  }
  emit(): Emitted[] {
    if (this.n < 2) return [{ time: null, value: null }];
    return [{ time: null, value: Math.sqrt(this.m2 / (this.n - 1)) }];
  }
}

/** What a reducer needs to know about its call. */
export interface ReducerSpec {
  readonly name: string;
  /** percentile's p, top/bottom/sample's N, integral's unit (ns). */
  readonly n: number;
  readonly unit: bigint;
  /** top/bottom with tag arguments: one candidate per tag combination. */
  readonly byTags?: boolean;
}

/** A fresh reducer for `spec`; `random` drives sample(). */
export function makeReducer(spec: ReducerSpec, random: () => number): Reducer {
  switch (spec.name) {
    case "count":
      return new Count();
    case "sum":
      return new Sum();
    case "mean":
      return new Mean();
    case "min":
      return new MinMax(false);
    case "max":
      return new MinMax(true);
    case "first":
      return new Pick((t, v, pt, pv) => t < pt || (t === pt && v > pv), "first");
    case "last":
      return new Pick((t, v, pt, pv) => t > pt || (t === pt && v > pv), "last");
    case "spread":
      return new Spread();
    case "stddev":
      return new Stddev();
    case "median":
      return new Points(median);
    case "mode":
      return new Points(mode);
    case "percentile":
      return new Points(percentile(spec.n));
    case "distinct":
      return new Points(distinct);
    case "count_distinct":
      return new Points((_ts, vs) => [{ time: null, value: BigInt(new Set(vs).size) }]);
    case "top":
      return new Points(topBottom(spec.n, true, spec.byTags === true));
    case "bottom":
      return new Points(topBottom(spec.n, false, spec.byTags === true));
    case "sample":
      return new Points(sample(spec.n, random));
    case "integral":
      return new Points(integral(spec.unit));
    default:
      throw new Error(`unsupported call: ${spec.name}`);
  }
}

/** Calls that keep the selected point's own time when they are the only call. */
export const SELECTORS = new Set([
  "first",
  "last",
  "min",
  "max",
  "percentile",
  "sample",
  "top",
  "bottom",
]);

/** Calls that reduce a window (everything except the transformations). */
export const AGGREGATES = new Set([
  "count",
  "sum",
  "mean",
  "spread",
  "stddev",
  "median",
  "mode",
  "distinct",
  "integral",
  ...SELECTORS,
]);
