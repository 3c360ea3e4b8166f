import { decode, encode } from "@msgpack/msgpack";
import type { ApplyResult, MetaCommand } from "../meta/mod.ts";
import { encodeCommand } from "../meta/mod.ts";

/** A call to another meta node's admin API that failed; `status` 0 when it was unreachable. */
export class MetaHttpError extends Error {
  override readonly name = "MetaHttpError";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Marks node-to-node admin calls (forwarded commands, join requests). */
export const FORWARDED_HEADER = "X-Chronoraft-Forwarded";

/** POSTs JSON to `http://addr/path`; resolves with the JSON answer or throws MetaHttpError. */
export async function postJson<T>(
  addr: string,
  path: string,
  body: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`http://${addr}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new MetaHttpError(0, `cannot reach ${addr}: ${e instanceof Error ? e.message : e}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { error: text };
  }
  if (!res.ok) {
    const err = (json as { error?: string }).error ?? res.statusText;
    throw new MetaHttpError(res.status, `${addr} answered ${res.status}: ${err}`);
  }
  return json as T;
}

/** GETs JSON from `http://addr/path`. */
export async function getJson<T>(addr: string, path: string, timeoutMs = 5_000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`http://${addr}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new MetaHttpError(0, `cannot reach ${addr}: ${e instanceof Error ? e.message : e}`);
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new MetaHttpError(res.status, `${addr} answered ${res.status}: ${json.error ?? ""}`);
  }
  return json as T;
}

/** Sends a meta command to the admin API at `addr` as msgpack; resolves with its result. */
export async function postCommand(
  addr: string,
  cmd: MetaCommand,
  forwardedBy: string,
  timeoutMs = 10_000,
): Promise<ApplyResult> {
  const body = encodeCommand(cmd);
  return await postMsgpack(addr, "/v1/meta/command", body, forwardedBy, timeoutMs) as ApplyResult;
}

/** POSTs a msgpack body node to node; the decoded answer, or MetaHttpError. */
async function postMsgpack(
  addr: string,
  path: string,
  body: Uint8Array,
  forwardedBy: string,
  timeoutMs: number,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`http://${addr}${path}`, {
      method: "POST",
      headers: { "content-type": "application/msgpack", [FORWARDED_HEADER]: forwardedBy },
      body: body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new MetaHttpError(0, `cannot reach ${addr}: ${e instanceof Error ? e.message : e}`);
  }
  if (!res.ok) {
    const err = await res.json().catch(() => ({ error: res.statusText }));
    throw new MetaHttpError(res.status, `${addr} answered ${res.status}: ${err.error}`);
  }
  return decode(new Uint8Array(await res.arrayBuffer()), { useBigInt64: true });
}

/** The admin API path that takes a batch of msgpack-encoded commands (node to node). */
export const COMMAND_BATCH_PATH = "/v1/meta/commands";

/** One answer of a command batch: the apply result, or why that command was not applied. */
export type BatchAnswer =
  | { readonly result: ApplyResult }
  | { readonly status: number; readonly error: string };

/**
 * POSTs encoded commands to `addr` as one msgpack array; resolves with one answer per
 * command, in order, or throws MetaHttpError when the batch as a whole was refused.
 */
export async function postCommands(
  addr: string,
  cmds: readonly Uint8Array[],
  forwardedBy: string,
  timeoutMs = 10_000,
): Promise<BatchAnswer[]> {
  const answers = await postMsgpack(
    addr,
    COMMAND_BATCH_PATH,
    encode(cmds),
    forwardedBy,
    timeoutMs,
  );
  if (!Array.isArray(answers) || answers.length !== cmds.length) {
    throw new MetaHttpError(502, `${addr} answered a batch of ${cmds.length} commands wrongly`);
  }
  return answers as BatchAnswer[];
}

interface Queued {
  readonly cmd: Uint8Array;
  readonly resolve: (r: ApplyResult) => void;
  readonly reject: (e: Error) => void;
}

/** How a batcher sends one batch; `postCommands` unless a test supplies another. */
export type SendBatch = (addr: string, cmds: readonly Uint8Array[]) => Promise<BatchAnswer[]>;

/**
 * Coalesces commands a follower forwards to the leader: while `maxInflight` batches are on
 * their way to an address, new commands queue and leave together in the next one. One HTTP
 * round trip (and one raft append on the leader) then carries many commands, where a request
 * per command would spend most of the CPU on HTTP.
 */
export class CommandBatcher {
  readonly #send: SendBatch;
  readonly #maxInflight: number;
  readonly #maxBatch: number;
  readonly #queues = new Map<string, { items: Queued[]; inflight: number; scheduled: boolean }>();

  /** `send` delivers a batch; at most `maxInflight` per address, `maxBatch` commands each. */
  constructor(send: SendBatch, maxInflight = 2, maxBatch = 512) {
    this.#send = send;
    this.#maxInflight = maxInflight;
    this.#maxBatch = maxBatch;
  }

  /** Sends one encoded command to `addr`; resolves with its result or throws MetaHttpError. */
  submit(addr: string, cmd: Uint8Array): Promise<ApplyResult> {
    let q = this.#queues.get(addr);
    if (q === undefined) {
      q = { items: [], inflight: 0, scheduled: false };
      this.#queues.set(addr, q);
    }
    const queue = q;
    const p = new Promise<ApplyResult>((resolve, reject) => {
      queue.items.push({ cmd, resolve, reject });
    });
    if (!queue.scheduled) {
      // Commands submitted in the same turn of the event loop leave together.
      queue.scheduled = true;
      queueMicrotask(() => {
        queue.scheduled = false;
        this.#pump(addr);
      });
    }
    return p;
  }

  #pump(addr: string): void {
    const q = this.#queues.get(addr);
    if (q === undefined) return;
    while (q.inflight < this.#maxInflight && q.items.length > 0) {
      const batch = q.items.splice(0, this.#maxBatch);
      q.inflight++;
      this.#deliver(addr, batch).finally(() => {
        q.inflight--;
        if (q.items.length > 0) this.#pump(addr);
        else if (q.inflight === 0) this.#queues.delete(addr);
      });
    }
  }

  async #deliver(addr: string, batch: Queued[]): Promise<void> {
    let answers: BatchAnswer[];
    try {
      answers = await this.#send(addr, batch.map((b) => b.cmd));
    } catch (e) {
      const err = e instanceof MetaHttpError ? e : new MetaHttpError(0, String(e));
      for (const b of batch) b.reject(err);
      return;
    }
    batch.forEach((b, i) => {
      const a = answers[i];
      if ("result" in a) b.resolve(a.result);
      else b.reject(new MetaHttpError(a.status, `${addr} answered ${a.status}: ${a.error}`));
    });
  }
}
