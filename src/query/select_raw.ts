/** Raw (non-aggregate) SELECT: rows of the group's series merged by time. */
import type { BinaryOp, Expr } from "../influxql/mod.ts";
import type { SeriesLike, Value } from "./deps.ts";
import { binaryOp, castValue } from "./eval.ts";
import { type Bounds, type Group, rowMatches, tagOf } from "./group.ts";
import type { Cell } from "./result.ts";
import { readRows } from "./rows.ts";
import { align } from "./select_output.ts";
import type { Compiled, OutExpr } from "./select_plan.ts";
import { type SeqPoint, transform } from "./transforms.ts";

interface RawRow {
  readonly time: bigint;
  readonly series: SeriesLike;
  readonly values: Value[];
}

function evalRaw(e: OutExpr, get: (name: string, isTag: boolean) => Value): Value {
  switch (e.kind) {
    case "ref":
      return e.cast === undefined ? get(e.name, e.isTag) : castValue(get(e.name, e.isTag), e.cast);
    case "literal":
      return e.value;
    case "binary":
      return binaryOp(e.op as BinaryOp, evalRaw(e.lhs, get), evalRaw(e.rhs, get));
    default:
      return null;
  }
}

/**
 * Merges row streams by time exactly as InfluxDB's sorted merge iterator does: a Go
 * `container/heap` of the streams, so equal times from different streams come out in the
 * order that heap gives them (InfluxDB's answer for ties), not in stream order.
 */
async function* heapMerge(streams: AsyncIterator<RawRow>[]): AsyncGenerator<RawRow> {
  if (streams.length === 1) {
    for (let n = await streams[0].next(); !n.done; n = await streams[0].next()) yield n.value;
    return;
  }
  const h: { row: RawRow; it: AsyncIterator<RawRow> }[] = [];
  for (const it of streams) {
    const n = await it.next();
    if (!n.done) h.push({ row: n.value, it });
  }
  const less = (i: number, j: number) => h[i].row.time < h[j].row.time;
  const swap = (i: number, j: number) => {
    const x = h[i];
    h[i] = h[j];
    h[j] = x;
  };
  const down = (i0: number, n: number) => {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      if (j1 + 1 < n && less(j1 + 1, j1)) j = j1 + 1;
      if (!less(j, i)) break;
      swap(i, j);
      i = j;
    }
  };
  const up = (j: number) => {
    for (;;) {
      const i = Math.floor((j - 1) / 2);
      if (j <= 0 || !less(j, i)) break;
      swap(i, j);
      j = i;
    }
  };
  for (let i = Math.floor(h.length / 2) - 1; i >= 0; i--) down(i, h.length);
  while (h.length > 0) {
    // heap.Pop: the root moves to the end, the rest is re-heaped, the end is removed.
    swap(0, h.length - 1);
    down(0, h.length - 1);
    const item = h.pop()!;
    yield item.row;
    const n = await item.it.next();
    if (!n.done) {
      h.push({ row: n.value, it: item.it });
      up(h.length - 1);
    }
  }
}

async function* seriesRows(
  group: Group,
  fields: readonly string[],
  residual: Expr | null,
  bounds: Bounds,
): AsyncGenerator<RawRow> {
  // As InfluxDB: each shard merges its series (in series key order), then the shards merge.
  const shards: AsyncIterator<RawRow>[] = [];
  for (const part of group.parts) {
    const streams: AsyncIterator<RawRow>[] = [];
    for (const series of part.series) {
      streams.push((async function* () {
        for await (const r of readRows(part.reader, series, fields, bounds.min, bounds.max)) {
          if (rowMatches(residual, fields, r.values, series)) {
            yield { time: r.time, series, values: r.values };
          }
        }
      })());
    }
    shards.push(heapMerge(streams));
  }
  yield* heapMerge(shards);
}

function readFields(c: Compiled, residualFields: readonly string[]): string[] {
  const fields = [...c.fields];
  for (const f of residualFields) if (!fields.includes(f)) fields.push(f);
  return fields;
}

function getter(fields: readonly string[]) {
  return (row: RawRow) => (name: string, isTag: boolean): Value => {
    if (isTag) return tagOf(row.series, name) || null;
    const i = fields.indexOf(name);
    return i >= 0 ? row.values[i] : null;
  };
}

/**
 * The output rows of a raw query for one group in time order, streamed: a k-way merge of
 * the series' rows, so memory holds one row per series (transformations excepted).
 */
export async function* rawRowStream(
  group: Group,
  c: Compiled,
  residual: Expr | null,
  residualFields: readonly string[],
  bounds: Bounds,
): AsyncGenerator<Cell[]> {
  const fields = readFields(c, residualFields);
  const get = getter(fields);
  // The selected fields come first in `fields`.
  const selected = c.fields.length;
  for await (const row of seriesRows(group, fields, residual, bounds)) {
    // InfluxDB drops rows in which every selected field is null, but keeps a row whose
    // expression is null because only one of its operands is missing.
    let any = false;
    for (let i = 0; i < selected && !any; i++) any = row.values[i] !== null;
    if (!any) continue;
    const cells: Cell[] = [row.time];
    for (const e of c.exprs) cells.push(evalRaw(e, get(row)));
    yield cells;
  }
}

/** The rows of a raw query for one group, ascending by time. */
export async function rawRows(
  group: Group,
  c: Compiled,
  residual: Expr | null,
  residualFields: readonly string[],
  bounds: Bounds,
  ascending: boolean,
): Promise<Cell[][]> {
  if (!c.exprs.some((e) => e.kind === "transform")) {
    const out: Cell[][] = [];
    for await (const row of rawRowStream(group, c, residual, residualFields, bounds)) {
      out.push(row);
    }
    return out;
  }
  const fields = readFields(c, residualFields);
  const get = getter(fields);
  const rows: RawRow[] = [];
  for await (const row of seriesRows(group, fields, residual, bounds)) rows.push(row);
  const seqs = c.exprs.map((e) => {
    if (e.kind !== "transform") return [];
    let input: SeqPoint[] = [];
    for (const row of rows) {
      const v = evalRaw(e.input, get(row));
      if (v !== null) input.push({ time: row.time, value: v });
    }
    if (!ascending) input = input.reverse();
    const out = transform(
      e.name,
      input,
      e.unit ?? (e.name === "elapsed" ? 1n : 1_000_000_000n),
      e.n,
      !ascending,
    );
    return ascending ? out : out.reverse();
  });
  return align(seqs);
}
