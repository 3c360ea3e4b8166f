/** Raw (non-aggregate) SELECT: rows of the group's series merged by time. */
import type { BinaryOp, Expr } from "../influxql/mod.ts";
import type { SeriesLike, Value } from "./deps.ts";
import { binaryOp } from "./eval.ts";
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
      return get(e.name, e.isTag);
    case "literal":
      return e.value;
    case "binary":
      return binaryOp(e.op as BinaryOp, evalRaw(e.lhs, get), evalRaw(e.rhs, get));
    default:
      return null;
  }
}

function readsField(e: OutExpr): boolean {
  switch (e.kind) {
    case "ref":
      return !e.isTag;
    case "binary":
      return readsField(e.lhs) || readsField(e.rhs);
    case "transform":
      return readsField(e.input);
    default:
      return false;
  }
}

/** Merges per-series row streams by time; ties keep the streams' order. */
async function* mergeRows(
  streams: AsyncIterator<RawRow>[],
): AsyncGenerator<RawRow> {
  const heads: (RawRow | undefined)[] = [];
  for (const s of streams) heads.push((await s.next()).value ?? undefined);
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && (best < 0 || h.time < heads[best]!.time)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const n = await streams[best].next();
    heads[best] = n.done ? undefined : n.value;
  }
}

async function* seriesRows(
  group: Group,
  fields: readonly string[],
  residual: Expr | null,
  bounds: Bounds,
): AsyncGenerator<RawRow> {
  const streams: AsyncIterator<RawRow>[] = [];
  for (const part of group.parts) {
    for (const series of part.series) {
      streams.push((async function* () {
        for await (const r of readRows(part.reader, series, fields, bounds.min, bounds.max)) {
          if (rowMatches(residual, fields, r.values, series)) {
            yield { time: r.time, series, values: r.values };
          }
        }
      })());
    }
  }
  yield* mergeRows(streams);
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
  const fieldCols = c.exprs.map(readsField);
  for await (const row of seriesRows(group, fields, residual, bounds)) {
    const cells: Cell[] = [row.time];
    let any = false;
    for (let i = 0; i < c.exprs.length; i++) {
      const v = evalRaw(c.exprs[i], get(row));
      if (v !== null && fieldCols[i]) any = true;
      cells.push(v);
    }
    // InfluxDB drops rows in which every selected field is null.
    if (any) yield cells;
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
