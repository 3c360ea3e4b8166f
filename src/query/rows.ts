/** Multi-field rows of one series, merged from per-field segments in time order. */
import { ColumnCursor } from "../util/column_cursor.ts";
import type { ColumnLike, SeriesLike, ShardReaderLike, Value } from "./deps.ts";

/** One row: `values[i]` belongs to the i-th requested field, null when absent. */
export interface Row {
  readonly time: bigint;
  readonly values: Value[];
}

async function* columns(
  reader: ShardReaderLike,
  series: SeriesLike,
  field: string,
  min: bigint,
  max: bigint,
): AsyncGenerator<ColumnLike> {
  for await (const s of reader.segments(series, field, min, max)) {
    const c = s.column();
    if (c.times.length > 0) yield c;
  }
}

/** Rows of `fields` for `series` within `[min, max]`, ascending by time. */
export async function* readRows(
  reader: ShardReaderLike,
  series: SeriesLike,
  fields: readonly string[],
  min: bigint,
  max: bigint,
): AsyncGenerator<Row> {
  const cursors = fields.map((f) =>
    new ColumnCursor<Value>(columns(reader, series, f, min, max)[Symbol.asyncIterator]())
  );
  for (const c of cursors) await c.fill();
  for (;;) {
    let t: bigint | undefined;
    for (const c of cursors) {
      const ct = c.time();
      if (ct !== undefined && (t === undefined || ct < t)) t = ct;
    }
    if (t === undefined) return;
    const values: Value[] = new Array(cursors.length);
    for (let i = 0; i < cursors.length; i++) {
      const c = cursors[i];
      if (c.time() === t) {
        values[i] = c.value();
        await c.advance();
      } else values[i] = null;
    }
    yield { time: t, values };
  }
}
