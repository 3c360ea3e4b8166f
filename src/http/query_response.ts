/**
 * InfluxDB 1.6's `/query` bodies, byte for byte: Go's encoding/json rules (HTML-safe string
 * escapes, float formatting, omitted empty fields, 4-space MarshalIndent) and the CSV shape.
 */
import { formatRFC3339Nano } from "../influxql/mod.ts";
import { formatFloatPlain } from "../influxql/params.ts";
import { escapeTag } from "../models/mod.ts";
import {
  type Cell,
  type ResultSeries,
  type StatementResult,
  zoneOffsetSeconds,
} from "../query/mod.ts";

/** How times are written: RFC3339 strings, or integers in an epoch unit. */
export type TimeFormat = { readonly kind: "rfc3339" } | {
  readonly kind: "epoch";
  readonly divisor: bigint;
};

/** InfluxDB's `epoch` parameter: "" keeps RFC3339; unknown units count nanoseconds, as in 1.6. */
export function timeFormat(epoch: string): TimeFormat {
  if (epoch === "") return { kind: "rfc3339" };
  const divisors: Record<string, bigint> = {
    u: 1_000n,
    ms: 1_000_000n,
    s: 1_000_000_000n,
    m: 60_000_000_000n,
    h: 3_600_000_000_000n,
  };
  return { kind: "epoch", divisor: divisors[epoch] ?? 1n };
}

// deno-lint-ignore no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]/;

/** A JSON string as Go's encoding/json writes it (HTML characters escaped). */
export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) {
      out += "\\u" + c.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}

/** A float as Go's encoding/json writes it (`1e-7`, `1e+21`, `-0`). */
export function goJsonFloat(f: number): string {
  if (Object.is(f, -0)) return "-0";
  if (!Number.isFinite(f)) return "null";
  return String(f);
}

/** RFC3339 with nanoseconds trimmed, in `zone` when given (Go prints "Z" for offset 0). */
export function formatTime(ns: bigint, zone?: string): string {
  const off = zone ? zoneOffsetSeconds(zone, ns) : 0;
  if (off === 0) return formatRFC3339Nano(ns);
  const local = formatRFC3339Nano(ns + BigInt(off) * 1_000_000_000n).slice(0, -1);
  const a = Math.abs(off);
  const hh = String(Math.floor(a / 3600)).padStart(2, "0");
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, "0");
  return `${local}${off < 0 ? "-" : "+"}${hh}:${mm}`;
}

function cellJson(v: Cell, isTime: boolean, tf: TimeFormat, zone?: string): string {
  if (v === null) return "null";
  if (isTime && typeof v === "bigint") {
    return tf.kind === "epoch" ? String(v / tf.divisor) : `"${formatTime(v, zone)}"`;
  }
  switch (typeof v) {
    case "number":
      return goJsonFloat(v);
    case "bigint":
      return String(v);
    case "boolean":
      return v ? "true" : "false";
    default:
      return goJsonString(v);
  }
}

/** A JSON writer that lays out objects and arrays like Go's Marshal or MarshalIndent. */
class Writer {
  private readonly parts: string[] = [];
  constructor(readonly pretty: boolean) {}
  raw(s: string): void {
    this.parts.push(s);
  }
  nl(depth: number): void {
    if (this.pretty) this.parts.push("\n" + "    ".repeat(depth));
  }
  colon(): string {
    return this.pretty ? ": " : ":";
  }
  /** Writes `[items]` where each item writes itself at `depth + 1`. */
  array<T>(
    items: readonly T[],
    depth: number,
    item: (x: T, depth: number, index: number) => void,
  ): void {
    if (items.length === 0) return this.raw("[]");
    this.raw("[");
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.raw(",");
      this.nl(depth + 1);
      item(items[i], depth + 1, i);
    }
    this.nl(depth);
    this.raw("]");
  }
  /** Writes `{key: value...}` for the entries given (already filtered for omitempty). */
  object(entries: [string, (depth: number) => void][], depth: number): void {
    if (entries.length === 0) return this.raw("{}");
    this.raw("{");
    entries.forEach(([k, write], i) => {
      if (i > 0) this.raw(",");
      this.nl(depth + 1);
      this.raw(goJsonString(k) + this.colon());
      write(depth + 1);
    });
    this.nl(depth);
    this.raw("}");
  }
  toString(): string {
    return this.parts.join("");
  }
}

function writeSeries(w: Writer, s: ResultSeries, depth: number, tf: TimeFormat): void {
  const e: [string, (d: number) => void][] = [];
  if (s.name) e.push(["name", () => w.raw(goJsonString(s.name!))]);
  const tags = s.tags ? Object.keys(s.tags).sort() : [];
  if (tags.length > 0) {
    e.push([
      "tags",
      (d) => w.object(tags.map((k) => [k, () => w.raw(goJsonString(s.tags![k]))]), d),
    ]);
  }
  if (s.columns.length > 0) {
    e.push(["columns", (d) => w.array(s.columns, d, (c) => w.raw(goJsonString(c)))]);
  }
  const timeCol = s.columns[0] === "time";
  if (s.values.length > 0) {
    // Rows are most of a body: compact output writes each as one string, no closures.
    const row = (r: readonly Cell[], d: number): void => {
      if (w.pretty) {
        w.array(r, d, (v, _d, i) => w.raw(cellJson(v, timeCol && i === 0, tf, s.timeZone)));
        return;
      }
      let out = "[";
      for (let i = 0; i < r.length; i++) {
        if (i > 0) out += ",";
        out += cellJson(r[i], timeCol && i === 0, tf, s.timeZone);
      }
      w.raw(out + "]");
    };
    e.push(["values", (d) => w.array(s.values, d, row)]);
  }
  if (s.partial) e.push(["partial", () => w.raw("true")]);
  w.object(e, depth);
}

function writeResult(w: Writer, r: StatementResult, depth: number, tf: TimeFormat): void {
  const e: [string, (d: number) => void][] = [["statement_id", () => w.raw(String(r.statementId))]];
  if (r.series && r.series.length > 0) {
    e.push(["series", (d) => w.array(r.series!, d, (s, d2) => writeSeries(w, s, d2, tf))]);
  }
  if (r.messages && r.messages.length > 0) {
    e.push([
      "messages",
      (d) =>
        w.array(r.messages!, d, (m, d2) =>
          w.object([
            ["level", () => w.raw(goJsonString(m.level))],
            ["text", () => w.raw(goJsonString(m.text))],
          ], d2)),
    ]);
  }
  if (r.partial) e.push(["partial", () => w.raw("true")]);
  if (r.error !== undefined && r.error !== "") {
    e.push(["error", () => w.raw(goJsonString(r.error!))]);
  }
  w.object(e, depth);
}

/** `{"results":[...]}` (or `{"error":"..."}`) plus the trailing newline InfluxDB writes. */
export function encodeJson(
  body: { readonly results?: readonly StatementResult[]; readonly error?: string },
  pretty: boolean,
  tf: TimeFormat,
): string {
  const w = new Writer(pretty);
  const e: [string, (d: number) => void][] = [];
  if (body.results && body.results.length > 0) {
    e.push(["results", (d) => w.array(body.results!, d, (r, d2) => writeResult(w, r, d2, tf))]);
  }
  if (body.error) e.push(["error", () => w.raw(goJsonString(body.error!))]);
  w.object(e, 0);
  return w.toString() + "\n";
}

function csvField(s: string): string {
  if (s === "") return s;
  if (s === "\\." || /[",\r\n]/.test(s) || /^[\s]/.test(s)) return `"${s.replaceAll('"', '""')}"`;
  return s;
}

function csvCell(v: Cell, isTime: boolean, tf: TimeFormat): string {
  if (v === null) return "";
  if (isTime && typeof v === "bigint") return String(tf.kind === "epoch" ? v / tf.divisor : v);
  switch (typeof v) {
    case "number":
      return formatFloatPlain(v);
    case "bigint":
      return String(v);
    case "boolean":
      return v ? "true" : "false";
    default:
      return v;
  }
}

/** Writes results as InfluxDB's CSV; keeps the header state across chunks in `state`. */
export function encodeCsv(
  results: readonly StatementResult[],
  tf: TimeFormat,
  state: { statementId: number } = { statementId: -1 },
): string {
  let out = "";
  const line = (fields: readonly string[]) => (out += fields.map(csvField).join(",") + "\n");
  for (const r of results) {
    const series = r.series ?? [];
    if (r.statementId !== state.statementId) {
      if (series.length === 0) continue;
      if (state.statementId >= 0) out += "\n";
      state.statementId = r.statementId;
      line(["name", "tags", ...series[0].columns]);
    }
    series.forEach((s, i) => {
      if (i > 0 && series[i - 1].columns.join("\0") !== s.columns.join("\0")) {
        out += "\n";
        line(["name", "tags", ...s.columns]);
      }
      const tags = s.tags
        ? Object.keys(s.tags).sort().map((k) => `${escapeTag(k)}=${escapeTag(s.tags![k])}`).join(
          ",",
        )
        : "";
      const timeCol = s.columns[0] === "time";
      for (const row of s.values) {
        line([s.name ?? "", tags, ...row.map((v, j) => csvCell(v, timeCol && j === 0, tf))]);
      }
    });
  }
  return out;
}

function sameSeries(a: ResultSeries, b: ResultSeries): boolean {
  if (a.name !== b.name) return false;
  const ak = Object.keys(a.tags ?? {}).sort();
  const bk = Object.keys(b.tags ?? {}).sort();
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && a.tags![k] === b.tags![k]);
}

/**
 * Combines consecutive results of one statement as InfluxDB 1.6's non-chunked `/query`
 * does: an error replaces what came before (so a failed statement followed by "not
 * executed" shows only "not executed"); rows of the same series are appended.
 */
export function mergeResults(results: readonly StatementResult[]): StatementResult[] {
  const out: StatementResult[] = [];
  for (const r of results) {
    const last = out[out.length - 1];
    if (last === undefined || last.statementId !== r.statementId) {
      out.push(r);
      continue;
    }
    if (r.error !== undefined) {
      out[out.length - 1] = r;
      continue;
    }
    const series = [...(last.series ?? [])];
    let rest = r.series ?? [];
    const tail = series[series.length - 1];
    if (tail !== undefined) {
      let merged = 0;
      let values = tail.values;
      while (merged < rest.length && sameSeries(tail, rest[merged])) {
        values = [...values, ...rest[merged].values];
        merged++;
      }
      series[series.length - 1] = { ...tail, values, partial: false };
      rest = rest.slice(merged);
    }
    const messages = [...(last.messages ?? []), ...(r.messages ?? [])];
    out[out.length - 1] = {
      ...last,
      series: [...series, ...rest],
      ...(messages.length > 0 ? { messages } : {}),
      partial: r.partial ?? false,
    };
  }
  return out;
}
