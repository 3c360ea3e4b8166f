/** Statement results as plain data: what the HTTP layer encodes as InfluxDB's JSON or CSV. */
import type { Value } from "./deps.ts";

/** One column value: field values, null, or a time (ns) in the first column. */
export type Cell = Value;

/** One result series (`time` values are bigint ns in column 0 when `columns[0]` is "time"). */
export interface ResultSeries {
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly columns: readonly string[];
  values: Cell[][];
  partial?: boolean;
  /** The tz() zone: times are shown in it (RFC3339 with its offset). */
  readonly timeZone?: string;
}

/** A message attached to a result (e.g. deprecation warnings). */
export interface ResultMessage {
  readonly level: string;
  readonly text: string;
}

/** The outcome of one statement. */
export interface StatementResult {
  readonly statementId: number;
  series?: ResultSeries[];
  messages?: ResultMessage[];
  error?: string;
  partial?: boolean;
}
