/**
 * Parses `/write` bodies in worker threads. Parsing is about half of the write path's CPU
 * time; in workers it runs beside the main thread, which keeps serving HTTP, mapping points
 * to shards and committing to the WAL. Small bodies are parsed inline: the hop to a worker
 * costs more than they do.
 */

import {
  type BatchParseResult,
  concatBatches,
  type LineError,
  type ParseOptions,
  parsePointBatch,
  type PointBatch,
  type Precision,
} from "../models/mod.ts";

/** A body for a worker to parse. */
export interface ParseRequest {
  readonly id: number;
  readonly body: Uint8Array;
  readonly precision: Precision;
  readonly now: bigint;
}

/** A worker's answer. */
export interface ParseReply {
  readonly id: number;
  readonly batch: PointBatch;
  readonly errors: LineError[];
}

/** How a pool is sized. */
export interface ParsePoolOptions {
  /** Worker threads (0: parse everything inline). */
  readonly workers: number;
  /** Bodies shorter than this many bytes are parsed inline. */
  readonly inlineBelow?: number;
  /** Parse inline when no other write is in progress (default true). */
  readonly inlineWhenIdle?: boolean;
}

interface Pending {
  resolve(r: BatchParseResult): void;
  reject(e: unknown): void;
}

/** One worker and the requests it has not answered yet. */
class ParseWorker {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;

  constructor(onCrash: (w: ParseWorker, e: unknown) => void) {
    this.worker = new Worker(new URL("./parse_worker.ts", import.meta.url).href, {
      type: "module",
    });
    this.worker.onmessage = (e: MessageEvent<ParseReply>) => {
      const p = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      p?.resolve({ batch: e.data.batch, errors: e.data.errors });
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      onCrash(this, new Error(`line protocol worker failed: ${e.message}`));
    };
  }

  post(req: ParseRequest, p: Pending): void {
    this.pending.set(req.id, p);
    const b = req.body;
    // Hand the body over without a copy when it owns its whole buffer.
    const whole = b.byteOffset === 0 && b.buffer instanceof ArrayBuffer &&
      b.byteLength === b.buffer.byteLength;
    this.worker.postMessage(req, whole ? [b.buffer as ArrayBuffer] : []);
  }

  terminate(e: unknown): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** Parses line protocol bodies on worker threads (started on first use). */
export class ParsePool {
  private readonly workers: ParseWorker[] = [];
  private readonly inlineBelow: number;
  private readonly inlineWhenIdle: boolean;
  private nextId = 0;
  private closed = false;
  /** Write requests and parses in progress (see `begin`). */
  private active = 0;

  constructor(private readonly options: ParsePoolOptions) {
    this.inlineBelow = options.inlineBelow ?? 64 * 1024;
    this.inlineWhenIdle = options.inlineWhenIdle ?? true;
  }

  /**
   * `parsePointBatch` of `body`. When the write path is busy, a large body goes to a worker
   * and the main thread goes on with other requests. A lone writer's large body is split in
   * two: the worker parses the second half while this thread parses the first, halving the
   * request's parse latency.
   */
  async parse(body: Uint8Array, opts: ParseOptions): Promise<BatchParseResult> {
    const end = this.begin();
    try {
      if (
        this.closed || this.options.workers <= 0 || body.length < this.inlineBelow ||
        opts.unsigned === false || opts.maxStringFieldBytes !== undefined ||
        opts.stripCarriageReturn !== undefined
      ) {
        return parsePointBatch(body, opts);
      }
      if (this.active <= 2 && this.inlineWhenIdle) return await this.parseSplit(body, opts);
      return await this.onWorker(body, opts);
    } finally {
      end();
    }
  }

  private onWorker(body: Uint8Array, opts: ParseOptions): Promise<BatchParseResult> {
    const w = this.leastBusy();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      w.post({ id, body, precision: opts.precision, now: opts.now }, { resolve, reject });
    });
  }

  private async parseSplit(body: Uint8Array, opts: ParseOptions): Promise<BatchParseResult> {
    const at = splitPoint(body);
    if (at < 0) return parsePointBatch(body, opts);
    // The copy lets the worker own its half (a transfer would detach the whole body).
    const second = this.onWorker(body.slice(at), opts);
    let first: BatchParseResult;
    try {
      first = parsePointBatch(body.subarray(0, at), opts);
    } finally {
      // Always wait for the worker, so a failure here cannot leave its answer unobserved.
      await second.catch(() => {});
    }
    const rest = await second;
    if (rest.errors.length === 0) {
      return { batch: concatBatches(first.batch, rest.batch), errors: first.errors };
    }
    let lines = 0;
    for (let i = body.indexOf(10); i >= 0 && i < at; i = body.indexOf(10, i + 1)) lines++;
    return {
      batch: concatBatches(first.batch, rest.batch),
      errors: [...first.errors, ...rest.errors.map((e) => ({ ...e, line: e.line + lines }))],
    };
  }

  /** Counts a write request as in progress until the returned function is called. */
  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (!ended) this.active--;
      ended = true;
    };
  }

  /** Stops the workers; pending parses fail, later ones run inline. */
  close(): void {
    this.closed = true;
    for (const w of this.workers.splice(0)) w.terminate(new Error("parse pool closed"));
  }

  private leastBusy(): ParseWorker {
    if (this.workers.length < this.options.workers) {
      const w = new ParseWorker((crashed, e) => this.replace(crashed, e));
      this.workers.push(w);
      return w;
    }
    let best = this.workers[0];
    for (const w of this.workers) if (w.pending.size < best.pending.size) best = w;
    return best;
  }

  private replace(crashed: ParseWorker, e: unknown): void {
    const i = this.workers.indexOf(crashed);
    if (i >= 0) this.workers.splice(i, 1);
    crashed.terminate(e);
  }
}

/**
 * Where a body can be cut into two independently parsable halves: just after the first
 * newline past its middle. Only bodies without quotes and backslashes are cut — in those a
 * newline always ends a line (a quoted string may hold one). -1: do not cut.
 */
export function splitPoint(body: Uint8Array): number {
  if (body.indexOf(34) >= 0 || body.indexOf(92) >= 0) return -1;
  const nl = body.indexOf(10, body.length >> 1);
  return nl < 0 || nl + 1 >= body.length ? -1 : nl + 1;
}
