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

/** The rows of a raw query for one group, ascending by time. */
export async function rawRows(
  group: Group,
  c: Compiled,
  residual: Expr | null,
  residualFields: readonly string[],
  bounds: Bounds,
  ascending: boolean,
): Promise<Cell[][]> {
  const fields = [...c.fields];
  for (const f of residualFields) if (!fields.includes(f)) fields.push(f);
  const rows: RawRow[] = [];
  for (const part of group.parts) {
    for (const series of part.series) {
      for await (const r of readRows(part.reader, series, fields, bounds.min, bounds.max)) {
        if (!rowMatches(residual, fields, r.values, series)) continue;
        rows.push({ time: r.time, series, values: r.values });
      }
    }
  }
  rows.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const hasTransform = c.exprs.some((e) => e.kind === "transform");
  const get = (row: RawRow) => (name: string, isTag: boolean): Value => {
    if (isTag) return tagOf(row.series, name) || null;
    const i = fields.indexOf(name);
    return i >= 0 ? row.values[i] : null;
  };
  if (hasTransform) {
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
  const fieldCols = c.exprs.map(readsField);
  const out: Cell[][] = [];
  for (const row of rows) {
    const cells: Cell[] = [row.time];
    let any = false;
    for (let i = 0; i < c.exprs.length; i++) {
      const v = evalRaw(c.exprs[i], get(row));
      if (v !== null && fieldCols[i]) any = true;
      cells.push(v);
    }
    if (any) out.push(cells);
  }
  return out;
}
