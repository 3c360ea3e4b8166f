/** Turning per-window call states (or raw rows) into result rows, with fill and transforms. */
import type { BinaryOp, FillOption } from "../influxql/mod.ts";
import type { Value } from "./deps.ts";
import { binaryOp } from "./eval.ts";
import type { Emitted } from "./reducers.ts";
import type { Cell } from "./result.ts";
import type { WindowStates } from "./select_aggregate.ts";
import type { CallRef, Compiled, OutExpr } from "./select_plan.ts";
import { type SeqPoint, transform } from "./transforms.ts";
import { type Windowing, windowStarts } from "./windows.ts";
import { windowedIntegral } from "./integral.ts";
import { influxMergeOrder } from "./point_reducers.ts";

/** How to lay out an aggregate group's rows. */
export interface AggregateLayout {
  readonly windowing: Windowing | null;
  readonly fill: FillOption;
  readonly fillValue: number | bigint | null;
  /** First and last time of the query range (inclusive); min null when unbounded. */
  readonly rangeMin: bigint | null;
  readonly rangeMax: bigint;
  /** Rows before this time are dropped (ranges widened for transformations). */
  readonly outputFrom: bigint | null;
  readonly ascending: boolean;
  /** The time shown without GROUP BY time (the range start, or 0). */
  readonly displayTime: bigint;
  readonly maxBuckets: number;
}

const MULTI_ROW = new Set(["top", "bottom", "distinct", "sample"]);
const POINT_TIME = new Set(["top", "bottom", "sample"]);

/** Rows of one group; null when the group has no data at all. */
export function aggregateRows(
  c: Compiled,
  states: WindowStates,
  layout: AggregateLayout,
  selectorTime: boolean,
): Cell[][] | null {
  let any = false;
  let firstData: bigint | null = null;
  for (const [ws, rs] of states) {
    if (rs.some((r) => !r.empty)) {
      any = true;
      if (firstData === null || ws < firstData) firstData = ws;
    }
  }
  if (!any) return null;
  // InfluxDB builds integral() without a fill iterator: windows it emits nothing for are absent.
  if (c.calls.length > 0 && c.calls.every((call) => call.spec.name === "integral")) {
    layout = { ...layout, fill: "none" };
  }
  const w = layout.windowing;
  let windows: bigint[];
  if (w === null) windows = [layout.displayTime];
  else if (layout.fill === "none") {
    windows = [...states.entries()].filter(([, rs]) => rs.some((r) => !r.empty)).map(([ws]) => ws)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } else {
    windows = windowStarts(w, layout.rangeMin ?? firstData!, layout.rangeMax, layout.maxBuckets);
  }
  const key = (ws: bigint) => (w === null ? [...states.keys()][0] : ws);
  // Per call, per window: the emitted points (after fill).
  const emitted: (Emitted[] | null)[][] = c.calls.map((call, ci) => {
    if (call.spec.name === "integral" && w !== null) {
      return integralColumn(states, ci, w, call.spec.unit, windows);
    }
    const col: (Emitted[] | null)[] = windows.map((ws) => {
      const r = states.get(key(ws))?.[ci];
      if (r === undefined || r.empty) return null;
      // A reducer may emit nothing (percentile(x, 0)): that window has no value.
      const e = r.emit();
      return e.length === 0 ? null : e;
    });
    return fillColumn(col, call, layout, windows);
  });
  const pointTime = (ci: number) =>
    POINT_TIME.has(c.calls[ci].spec.name) || (w === null && selectorTime);
  const multi = c.calls.length === 1 && MULTI_ROW.has(c.calls[0].spec.name) &&
    c.exprs.every((e) => e.kind === "call" || e.kind === "ref");
  if (multi) {
    // One multi-row selector and the fields of its points: one row per selected point.
    const rows: Cell[][] = [];
    emitted[0].forEach((pts, wi) => {
      for (const p of pts ?? []) {
        const time = pointTime(0) && p.time !== null ? p.time : windows[wi];
        rows.push([
          time,
          ...c.exprs.map((e) => {
            if (e.kind === "call") return p.value;
            const i = c.aux.findIndex((a) => e.kind === "ref" && a.name === e.name);
            return p.aux?.[i] ?? null;
          }),
        ]);
      }
    });
    return rows;
  }
  const sequences = c.exprs.map((e) => sequence(e, c, emitted, windows, pointTime, layout));
  let rows = align(sequences);
  if (layout.outputFrom !== null) rows = rows.filter((r) => (r[0] as bigint) >= layout.outputFrom!);
  return rows;
}

/**
 * integral() per window, streamed over all the group's points (areas cross window edges).
 * The points are merged as InfluxDB merges them over the whole range, so that equal times
 * from different series meet the reducer in the same order.
 */
function integralColumn(
  states: WindowStates,
  ci: number,
  w: Windowing,
  unit: bigint,
  windows: readonly bigint[],
): (Emitted[] | null)[] {
  const ts: bigint[] = [];
  const vs: number[] = [];
  const bySeries = new Map<string, { shard: number; key: string; idx: number[] }>();
  const runs: { shard: number; key: string; idx: number[] }[] = [];
  const starts = [...states.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const ws of starts) {
    for (const r of states.get(ws)![ci].seriesRuns?.() ?? []) {
      // One run per series and shard across all windows; unnamed runs stay separate.
      let run = r.key === "" ? undefined : bySeries.get(`${r.shard}\0${r.key}`);
      if (run === undefined) {
        run = { shard: r.shard, key: r.key, idx: [] };
        runs.push(run);
        if (r.key !== "") bySeries.set(`${r.shard}\0${r.key}`, run);
      }
      for (let k = 0; k < r.ts.length; k++) {
        run.idx.push(ts.length);
        ts.push(r.ts[k]);
        vs.push(Number(r.vs[k]));
      }
    }
  }
  const order = influxMergeOrder(runs, (a, b) => ts[a] < ts[b]);
  const sums = windowedIntegral(order.map((i) => ts[i]), order.map((i) => vs[i]), w, unit);
  return windows.map((ws) => {
    const v = sums.get(ws);
    return v === undefined ? null : [{ time: null, value: v }];
  });
}

function fillColumn(
  col: (Emitted[] | null)[],
  call: CallRef,
  layout: AggregateLayout,
  windows: readonly bigint[],
): (Emitted[] | null)[] {
  if (layout.windowing === null || layout.fill === "none") return col;
  const isCount = call.spec.name === "count" || call.spec.name === "count_distinct";
  switch (layout.fill) {
    case "null":
      return col.map((e) => e ?? [{ time: null, value: isCount ? 0n : null }]);
    case "number":
      return col.map((e) => e ?? [{ time: null, value: layout.fillValue }]);
    case "previous": {
      // "Previous" follows the output order, so with ORDER BY time DESC it is the later window.
      let prev: Value = null;
      const out = col.slice();
      const n = col.length;
      for (let k = 0; k < n; k++) {
        const i = layout.ascending ? k : n - 1 - k;
        const e = col[i];
        if (e !== null) prev = e[e.length - 1].value;
        else out[i] = [{ time: null, value: prev }];
      }
      return out;
    }
    case "linear": {
      const out = col.slice();
      for (let i = 0; i < col.length; i++) {
        if (col[i] !== null) continue;
        let a = i - 1;
        while (a >= 0 && col[a] === null) a--;
        let b = i + 1;
        while (b < col.length && col[b] === null) b++;
        const va = a >= 0 ? col[a]![0].value : null;
        const vb = b < col.length ? col[b]![0].value : null;
        out[i] = [{ time: null, value: linear(va, vb, windows[a], windows[b], windows[i]) }];
      }
      return out;
    }
  }
}

function linear(ya: Value, yb: Value, xa: bigint, xb: bigint, x: bigint): Value {
  if (ya === null || yb === null) return null;
  if (typeof ya === "bigint" && typeof yb === "bigint") {
    // InfluxDB's linearInteger: slope and offset in float64, then truncated to an integer.
    const m = Number(yb - ya) / Number(xb - xa);
    return BigInt(Math.trunc(m * Number(x - xa) + Number(ya)));
  }
  if (typeof ya !== "number" && typeof ya !== "bigint") return null;
  const fa = Number(ya);
  const fb = Number(yb);
  return fa + (fb - fa) * (Number(x - xa) / Number(xb - xa));
}

function sequence(
  e: OutExpr,
  c: Compiled,
  emitted: (Emitted[] | null)[][],
  windows: readonly bigint[],
  pointTime: (ci: number) => boolean,
  layout: AggregateLayout,
): SeqPoint[] {
  if (e.kind === "call" && MULTI_ROW.has(c.calls[e.index].spec.name)) {
    const out: SeqPoint[] = [];
    emitted[e.index].forEach((pts, wi) => {
      for (const p of pts ?? []) {
        out.push({
          time: pointTime(e.index) && p.time !== null ? p.time : windows[wi],
          value: p.value,
        });
      }
    });
    return out;
  }
  if (e.kind === "transform") {
    let input = sequence(e.input, c, emitted, windows, pointTime, layout);
    if (!layout.ascending) input = input.slice().reverse();
    const unit = e.unit ??
      (e.name === "elapsed"
        ? 1n
        : layout.windowing !== null && e.name.endsWith("derivative")
        ? layout.windowing.interval
        : 1_000_000_000n);
    const out = transform(e.name, input, unit, e.n, !layout.ascending);
    return layout.ascending ? out : out.reverse();
  }
  const out: SeqPoint[] = [];
  for (let wi = 0; wi < windows.length; wi++) {
    let present = false;
    let time = windows[wi];
    const value = evalWindow(e, (ci) => {
      const pts = emitted[ci][wi];
      if (pts === null) return null;
      present = true;
      if (pointTime(ci) && pts[0].time !== null) time = pts[0].time;
      return pts[0].value;
    }, (name) => {
      const pts = emitted[0]?.[wi];
      if (pts === null || pts === undefined) return null;
      present = true;
      if (pointTime(0) && pts[0].time !== null) time = pts[0].time;
      const i = c.aux.findIndex((a) => a.name === name);
      return pts[0].aux?.[i] ?? null;
    });
    if (present || layout.fill !== "none" && layout.windowing !== null) {
      out.push({ time, value });
    } else if (layout.windowing === null && hasLiteralOnly(e)) out.push({ time, value });
  }
  return out;
}

function hasLiteralOnly(e: OutExpr): boolean {
  return e.kind === "literal";
}

function evalWindow(
  e: OutExpr,
  call: (ci: number) => Value,
  ref: (name: string) => Value,
): Value {
  switch (e.kind) {
    case "call":
      return call(e.index);
    case "ref":
      return ref(e.name);
    case "literal":
      return e.value;
    case "binary":
      return binaryOp(
        e.op as BinaryOp,
        evalWindow(e.lhs, call, ref),
        evalWindow(e.rhs, call, ref),
      );
    default:
      return null;
  }
}

/** Lines up several columns by time (first value wins per time); one column passes through. */
export function align(seqs: readonly SeqPoint[][]): Cell[][] {
  if (seqs.length === 1) return seqs[0].map((p) => [p.time, p.value]);
  const times: bigint[] = [];
  const seen = new Set<bigint>();
  for (const s of seqs) {
    for (const p of s) {
      if (!seen.has(p.time)) {
        seen.add(p.time);
        times.push(p.time);
      }
    }
  }
  times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const maps = seqs.map((s) => {
    const m = new Map<bigint, Value>();
    for (const p of s) if (!m.has(p.time)) m.set(p.time, p.value);
    return m;
  });
  return times.map((t) => [t, ...maps.map((m) => (m.has(t) ? m.get(t)! : null))]);
}
