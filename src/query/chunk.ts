/**
 * Splitting results into chunks of at most N rows, as InfluxDB's chunked responses do: a
 * series cut by a chunk boundary is marked partial, and every chunk but a statement's last
 * is marked partial.
 */
import type { ResultSeries, StatementResult } from "./result.ts";

/** Collects series pieces and hands out full chunks of `size` rows. */
export class Chunker {
  private cur: ResultSeries[] = [];
  private rows = 0;
  constructor(private readonly size: number) {}

  /** Adds a piece (its `partial` says the series continues); returns the chunks completed. */
  push(piece: ResultSeries): ResultSeries[][] {
    const done: ResultSeries[][] = [];
    let i = 0;
    const n = piece.values.length;
    do {
      const take = Math.min(this.size - this.rows, n - i);
      const part: ResultSeries = { ...piece, values: piece.values.slice(i, i + take) };
      i += take;
      if (i < n || piece.partial) part.partial = true;
      else delete part.partial;
      this.cur.push(part);
      this.rows += take;
      if (this.rows >= this.size) {
        done.push(this.cur);
        this.cur = [];
        this.rows = 0;
      }
    } while (i < n);
    return done;
  }

  /** The last, incomplete chunk (empty when nothing is pending). */
  finish(): ResultSeries[] {
    const out = this.cur;
    this.cur = [];
    this.rows = 0;
    return out;
  }
}

/** Splits one complete statement result into chunks of at most `size` rows. */
export function chunkResult(r: StatementResult, size: number): StatementResult[] {
  const series = r.series ?? [];
  if (series.length === 0) return [r];
  const c = new Chunker(size);
  const chunks: ResultSeries[][] = [];
  for (const s of series) chunks.push(...c.push(s));
  const last = c.finish();
  if (last.length > 0) chunks.push(last);
  return chunks.map((s, i) => ({
    statementId: r.statementId,
    series: s,
    ...(i === 0 && r.messages ? { messages: r.messages } : {}),
    ...(i < chunks.length - 1 ? { partial: true } : {}),
  }));
}
