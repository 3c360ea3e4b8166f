import type { Context } from "hono";
import { ParseCache, ParseError, type Statement } from "../influxql/mod.ts";
import type { ExecuteOptions, StatementResult } from "../query/mod.ts";
import { influxError } from "./errors.ts";
import { encodeCsv, encodeJson, mergeResults, timeFormat } from "./query_response.ts";

/** What `/query` needs: an executor (a `Pick` of StatementExecutor) and a clock. */
export interface QueryDeps {
  readonly executor: {
    execute(statements: readonly Statement[], opts: ExecuteOptions): AsyncIterable<StatementResult>;
  };
  /** Now in ns (now() in queries). */
  now(): bigint;
}

/** InfluxDB's default chunk size (rows). */
export const DEFAULT_CHUNK_SIZE = 10_000;

/** Request parameters as Go's `r.FormValue` sees them: POST form values before URL ones. */
async function formValues(
  c: Context,
  url: URLSearchParams,
): Promise<(name: string) => string> {
  let form: URLSearchParams | FormData | undefined;
  if (c.req.method === "POST") {
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (type.startsWith("application/x-www-form-urlencoded")) {
      form = new URLSearchParams(await c.req.raw.text());
    } else if (type.startsWith("multipart/form-data")) {
      form = await c.req.raw.formData();
    }
  }
  return (name) => {
    const v = form?.get(name);
    if (typeof v === "string") return v;
    if (v instanceof File) return "";
    return url.get(name) ?? "";
  };
}

async function multipartQuery(c: Context): Promise<string> {
  if (c.req.method !== "POST") return "";
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (!type.startsWith("multipart/form-data")) return "";
  try {
    const f = (await c.req.raw.clone().formData()).get("q");
    return f instanceof File ? await f.text() : "";
  } catch {
    return "";
  }
}

class Num {
  constructor(readonly source: string) {}
}

function unwrap(v: unknown): unknown {
  if (v instanceof Num) return Number(v.source);
  if (Array.isArray(v)) return v.map(unwrap);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

/** Bind parameters as Go decodes them: numbers with a "." are floats, others int64. */
function parseParams(raw: string): Record<string, unknown> | string {
  let v: unknown;
  try {
    v = JSON.parse(
      raw,
      (_k, x, ctx?: { source?: string }) =>
        typeof x === "number" ? new Num(ctx?.source ?? String(x)) : x,
    );
  } catch (e) {
    return `error parsing query parameters: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return "error parsing query parameters: json: cannot unmarshal into map[string]interface {}";
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x instanceof Num) {
      if (x.source.includes(".")) out[k] = { number: Number(x.source) };
      else if (/^-?\d+$/.test(x.source)) out[k] = BigInt(x.source);
      else {return `error parsing json value: strconv.ParseInt: parsing "${x.source}": invalid syntax`;}
    } else out[k] = unwrap(x);
  }
  return out;
}

/** Parsed statements of recent query texts (dashboards repeat theirs on every refresh). */
const parsed = new ParseCache();

/** `GET|POST /query`: InfluxQL in, InfluxDB 1.6's JSON (or CSV) out. */
export async function handleQuery(c: Context, deps: QueryDeps): Promise<Response> {
  const csv = ["application/csv", "text/csv"].includes(c.req.header("accept") ?? "");
  const url = new URL(c.req.url).searchParams;
  // A GET (Grafana's, the CLI's) has no body to look at: no awaits for it.
  const post = c.req.method === "POST";
  const multipart = post ? await multipartQuery(c) : "";
  const get = post ? await formValues(c, url) : (name: string) => url.get(name) ?? "";
  const pretty = url.get("pretty") === "true";
  const contentType = csv ? "text/csv" : "application/json";
  const fail = (status: number, message: string): Response => {
    if (!csv) return influxError(status, message);
    return new Response(encodeCsvError(message), {
      status,
      headers: { "Content-Type": contentType, "X-Influxdb-Error": message.replaceAll("\n", " ") },
    });
  };
  const q = get("q").trim() || multipart.trim();
  if (q === "") return fail(400, `missing required parameter "q"`);
  const tf = timeFormat(get("epoch").trim());
  let params: Record<string, unknown> | undefined;
  const rawParams = get("params");
  if (rawParams !== "") {
    const p = parseParams(rawParams);
    if (typeof p === "string") return fail(400, p);
    params = p;
  }
  let statements: readonly Statement[];
  try {
    statements = parsed.parse(q, params);
  } catch (e) {
    if (e instanceof ParseError) return fail(400, `error parsing query: ${e.message}`);
    throw e;
  }
  const chunked = get("chunked") === "true";
  const n = Number.parseInt(get("chunk_size"), 10);
  const chunkSize = chunked && Number.isFinite(n) && n > 0 ? n : DEFAULT_CHUNK_SIZE;
  const opts: ExecuteOptions = {
    database: get("db"),
    retentionPolicy: get("rp"),
    now: deps.now(),
    readOnly: c.req.method === "GET",
    ...(chunked ? { chunkSize } : {}),
  };
  const results = deps.executor.execute(statements, opts);
  if (get("async") === "true") {
    // InfluxDB runs the statements, drops their results and answers at once.
    void drain(results).catch(() => 0);
    return new Response(null, { status: 204 });
  }
  const headers = { "Content-Type": contentType };
  if (!chunked) {
    const got: StatementResult[] = [];
    for await (const r of results) got.push(r);
    const all = mergeResults(got);
    const body = csv ? encodeCsv(all, tf) : encodeJson({ results: all }, pretty, tf);
    return new Response(body, { status: 200, headers });
  }
  const enc = new TextEncoder();
  const csvState = { statementId: -1 };
  const it = results[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      const next = await it.next();
      if (next.done) {
        ctl.close();
        return;
      }
      // The executor already cut the results into chunks of chunk_size rows.
      const part = next.value;
      const text = csv
        ? encodeCsv([part], tf, csvState)
        : encodeJson({ results: [part] }, pretty, tf);
      ctl.enqueue(enc.encode(text));
    },
    async cancel() {
      await it.return?.();
    },
  });
  return new Response(stream, { status: 200, headers });
}

async function drain(results: AsyncIterable<StatementResult>): Promise<number> {
  let n = 0;
  for await (const _r of results) n++;
  return n;
}

function encodeCsvError(message: string): string {
  const quoted = /[",\r\n]/.test(message) || /^\s/.test(message)
    ? `"${message.replaceAll('"', '""')}"`
    : message;
  return `error\n${quoted}\n`;
}
