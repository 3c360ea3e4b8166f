import type { Context } from "hono";
import type { ConsistencyLevel, WriteOutcome, WriteRequest } from "../cluster/points_writer.ts";
import { parseConsistency, WriteError } from "../cluster/points_writer.ts";
import {
  type BatchParseResult,
  type ParseOptions,
  parsePointBatch,
  precisionFromParam,
  releaseBatch,
  releaseBytes,
} from "../models/mod.ts";
import { BadGzipError, BodyTooLargeError, readBody } from "./body.ts";
import { influxError } from "./errors.ts";

/** What `/write` needs: a points writer, the body limit and a clock. */
export interface WriteDeps {
  writePoints(req: WriteRequest): Promise<WriteOutcome>;
  readonly maxBodySize: number;
  /** Now in ns; points without a timestamp get it. */
  now(): bigint;
  /** Parses a body (default: inline on this thread; a ParsePool moves it to workers). */
  parse?(body: Uint8Array, opts: ParseOptions): Promise<BatchParseResult>;
  /** Called as a request starts; the returned function as it ends (load tracking). */
  begin?(): () => void;
}

/** `POST /write`: InfluxDB 1.x line protocol in, 204 or InfluxDB's error JSON out. */
export async function handleWrite(c: Context, deps: WriteDeps): Promise<Response> {
  const end = deps.begin?.();
  try {
    return await write(c, deps);
  } finally {
    end?.();
  }
}

async function write(c: Context, deps: WriteDeps): Promise<Response> {
  const db = c.req.query("db") ?? "";
  if (db === "") return influxError(400, "database is required");
  const precisionParam = c.req.query("precision");
  const precision = precisionFromParam(precisionParam);
  if (!precision) {
    return influxError(
      400,
      `invalid precision ${JSON.stringify(precisionParam)} (use n, u, ms, s, m or h)`,
    );
  }
  const consistency: ConsistencyLevel | null = parseConsistency(c.req.query("consistency"));
  if (!consistency) return influxError(400, "invalid consistency level");

  let body: Uint8Array;
  try {
    body = await readBody(c.req.raw, deps.maxBodySize);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return influxError(413, e.message);
    if (e instanceof BadGzipError) return influxError(400, e.message);
    throw e;
  }
  const opts = { precision, now: deps.now() };
  const parsed = deps.parse ? await deps.parse(body, opts) : parsePointBatch(body, opts);
  // Megabytes per request: give them back now, not at the next GC (see releaseBytes).
  releaseBytes(body);
  if (parsed.batch.length === 0 && parsed.errors.length > 0) {
    return influxError(400, parsed.errors.map((e) => e.message).join("\n"));
  }

  let outcome: WriteOutcome;
  try {
    outcome = await deps.writePoints({
      database: db,
      retentionPolicy: c.req.query("rp") ?? "",
      consistency,
      points: parsed.batch,
      now: deps.now(),
    });
  } catch (e) {
    if (e instanceof WriteError) return influxError(e.status, e.message);
    throw e;
  }
  releaseBatch(parsed.batch);
  if (outcome.dropped > 0) {
    return influxError(400, `partial write: ${outcome.reason} dropped=${outcome.dropped}`);
  }
  if (parsed.errors.length > 0) {
    const reason = parsed.errors.map((e) => e.message).join("\n");
    return influxError(400, `partial write: ${reason} dropped=${parsed.errors.length}`);
  }
  return new Response(null, { status: 204 });
}
