/**
 * Splitting results into chunks as InfluxDB 1.6's chunked responses do: a chunk never holds
 * two series, a series longer than the chunk size is cut into pieces marked partial, and
 * (in the executor) every chunk but a statement's last is marked partial.
 */
import type { ResultSeries, StatementResult } from "./result.ts";

/** Cuts series pieces into chunks of one series and at most `size` rows each. */
export class Chunker {
  constructor(private readonly size: number) {}

  /** Adds a piece (its `partial` says the series continues); returns the chunks completed. */
  push(piece: ResultSeries): ResultSeries[][] {
    const done: ResultSeries[][] = [];
    const n = piece.values.length;
    let i = 0;
    do {
      const take = Math.min(this.size, n - i);
      const part: ResultSeries = { ...piece, values: piece.values.slice(i, i + take) };
      i += take;
      if (i < n || piece.partial) part.partial = true;
      else delete part.partial;
      done.push([part]);
    } while (i < n);
    return done;
  }

  /** The last, incomplete chunk: always empty, as every chunk completes at once. */
  finish(): ResultSeries[] {
    return [];
  }
}

/** Column sets of SHOW statements that InfluxDB 1.6 runs as a SELECT (so chunked like one). */
const SELECT_LIKE = new Set(["key", "fieldKey,fieldType"]);

/**
 * A complete non-SELECT result in chunked mode, as InfluxDB 1.6 sends it: SHOW TAG KEYS and
 * SHOW TAG VALUES send one result per measurement, never cut by the chunk size; SHOW SERIES
 * and SHOW FIELD KEYS (run as SELECTs) are chunked like a SELECT; everything else is one
 * result. (Told apart by columns because the caller passes only the result.)
 */
export function chunkResult(r: StatementResult, size: number): StatementResult[] {
  const series = r.series ?? [];
  if (series.length === 0) return [r];
  const columns = series[0].columns.join(",");
  let chunks: ResultSeries[][];
  let partial = false;
  if (SELECT_LIKE.has(columns)) {
    const c = new Chunker(size);
    chunks = series.flatMap((s) => c.push(s));
    partial = true;
  } else if (columns === "tagKey" || columns === "key,value") {
    chunks = series.map((s) => [s]);
  } else return [r];
  return chunks.map((s, i) => ({
    statementId: r.statementId,
    series: s,
    ...(i === 0 && r.messages ? { messages: r.messages } : {}),
    ...(partial && i < chunks.length - 1 ? { partial: true } : {}),
  }));
}
