import { decode } from "@msgpack/msgpack";
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
  let res: Response;
  try {
    res = await fetch(`http://${addr}/v1/meta/command`, {
      method: "POST",
      headers: { "content-type": "application/msgpack", [FORWARDED_HEADER]: forwardedBy },
      body: encodeCommand(cmd) as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new MetaHttpError(0, `cannot reach ${addr}: ${e instanceof Error ? e.message : e}`);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({ error: res.statusText }));
    throw new MetaHttpError(res.status, `${addr} answered ${res.status}: ${body.error}`);
  }
  return decode(new Uint8Array(await res.arrayBuffer()), { useBigInt64: true }) as ApplyResult;
}
