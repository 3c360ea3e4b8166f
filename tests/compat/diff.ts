/**
 * Compares two `/query` replies the way the compat harness judges them: status code exact,
 * JSON structure, keys, strings, booleans and integers exact, floats within FLOAT_TOLERANCE;
 * chunked replies (one JSON document per line) compared document by document; CSV cell by cell.
 */

/** One HTTP reply, as received. */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One place where the replies disagree, with both sides shown. */
export interface Difference {
  /** Where: `status`, `body`, or a JSON path such as `[0].results[0].series[1].values[3][2]`. */
  readonly path: string;
  readonly influxdb: string;
  readonly chronoraft: string;
}

/**
 * Relative tolerance for floats: |a - b| <= 1e-9 × max(1, |a|, |b|). Aggregates summed in a
 * different order (per shard, then merged) differ in the last bits; 1e-9 is far above that
 * noise and far below any real error. Below magnitude 1 it acts as an absolute 1e-9.
 */
export const FLOAT_TOLERANCE = 1e-9;

/** A number kept as its source text, so int64 values above 2^53 compare exactly. */
class Num {
  constructor(readonly source: string) {}
}

const INTEGER = /^-?\d+$/;

/** Parses JSON keeping every number's source text. Throws SyntaxError on bad JSON. */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(
    text,
    (_k, v, ctx?: { source?: string }) =>
      typeof v === "number" ? new Num(ctx?.source ?? String(v)) : v,
  );
}

/** Whether two numbers (as source text) agree: integers exactly, floats within tolerance. */
export function numbersAgree(a: string, b: string): boolean {
  if (a === b) return true;
  if (INTEGER.test(a) && INTEGER.test(b)) return BigInt(a) === BigInt(b);
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y));
}

function show(v: unknown): string {
  if (v instanceof Num) return v.source;
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v, (_k, x) => x instanceof Num ? Number(x.source) : x);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Num) return "number";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function diffValues(a: unknown, b: unknown, path: string, out: Difference[], max: number): void {
  if (out.length >= max) return;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) {
    out.push({ path, influxdb: show(a), chronoraft: show(b) });
    return;
  }
  if (a instanceof Num && b instanceof Num) {
    if (!numbersAgree(a.source, b.source)) {
      out.push({ path, influxdb: a.source, chronoraft: b.source });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({
        path: `${path}.length`,
        influxdb: String(a.length),
        chronoraft: String(b.length),
      });
    }
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n && out.length < max; i++) {
      diffValues(a[i], b[i], `${path}[${i}]`, out, max);
    }
    return;
  }
  if (ka === "object") {
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])];
    for (const k of keys) {
      if (out.length >= max) return;
      diffValues(oa[k], ob[k], `${path}.${k}`, out, max);
    }
    return;
  }
  if (a !== b) out.push({ path, influxdb: show(a), chronoraft: show(b) });
}

function isJson(r: Reply): boolean {
  return r.contentType.includes("json");
}

/** JSON documents of a body: one, or one per line when chunked. */
function documents(body: string): unknown[] | null {
  try {
    return body.split("\n").filter((l) => l.trim() !== "").map(parseJsonExact);
  } catch {
    return null;
  }
}

function csvCells(body: string): unknown[] {
  return body.split(/\r?\n/).filter((l) => l !== "").map((line) =>
    line.split(",").map((cell) =>
      /^-?\d/.test(cell) && !Number.isNaN(Number(cell)) ? new Num(cell) : cell
    )
  );
}

/** Every difference between InfluxDB's reply and Chronoraft's (at most `max`). */
export function diffReplies(influxdb: Reply, chronoraft: Reply, max = 5): Difference[] {
  const out: Difference[] = [];
  if (influxdb.status !== chronoraft.status) {
    out.push({
      path: "status",
      influxdb: String(influxdb.status),
      chronoraft: String(chronoraft.status),
    });
  }
  if (isJson(influxdb) !== isJson(chronoraft)) {
    out.push({
      path: "content-type",
      influxdb: influxdb.contentType,
      chronoraft: chronoraft.contentType,
    });
    return out;
  }
  if (!isJson(influxdb)) {
    if (influxdb.contentType.includes("csv")) {
      diffValues(csvCells(influxdb.body), csvCells(chronoraft.body), "csv", out, max);
    } else if (influxdb.body !== chronoraft.body) {
      out.push({ path: "body", influxdb: show(influxdb.body), chronoraft: show(chronoraft.body) });
    }
    return out;
  }
  const a = documents(influxdb.body);
  const b = documents(chronoraft.body);
  if (a === null || b === null) {
    if (influxdb.body !== chronoraft.body) {
      out.push({ path: "body", influxdb: show(influxdb.body), chronoraft: show(chronoraft.body) });
    }
    return out;
  }
  diffValues(a, b, "", out, max);
  return out;
}

/** The `error` texts in a JSON reply (top level and per statement), for corpus validation. */
export function errorsIn(reply: Reply): string[] {
  const docs = isJson(reply) ? documents(reply.body) : null;
  if (docs === null) return reply.status >= 400 ? [reply.body.trim()] : [];
  const errors: string[] = [];
  for (const d of docs) {
    if (d === null || typeof d !== "object") continue;
    const doc = d as { error?: unknown; results?: unknown };
    if (typeof doc.error === "string") errors.push(doc.error);
    if (Array.isArray(doc.results)) {
      for (const r of doc.results) {
        if (r !== null && typeof r === "object" && typeof r.error === "string") {
          errors.push(r.error);
        }
      }
    }
  }
  return errors;
}

function shapeOfDoc(doc: unknown): unknown {
  if (doc === null || typeof doc !== "object") return doc;
  const d = doc as { results?: unknown; error?: unknown };
  if (!Array.isArray(d.results)) return doc;
  return {
    ...d,
    results: d.results.map((r: Record<string, unknown>) => ({
      ...r,
      series: Array.isArray(r.series)
        ? r.series.map((s: Record<string, unknown>) => ({
          name: s.name,
          tags: s.tags,
          columns: s.columns,
        }))
        : r.series,
    })),
  };
}

/** The reply with every series' values dropped: for answers that depend on the deployment. */
export function shapeOnly(reply: Reply): Reply {
  const docs = isJson(reply) ? documents(reply.body) : null;
  if (docs === null) return reply;
  const body = docs.map((d) =>
    JSON.stringify(shapeOfDoc(d), (_k, x) => x instanceof Num ? Number(x.source) : x)
  ).join("\n");
  return { ...reply, body };
}
