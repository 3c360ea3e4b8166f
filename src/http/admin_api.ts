import { Hono } from "hono";
import type { Context } from "hono";
import type { AddNodeRequest, RemoveNodeRequest } from "../cluster/admin_types.ts";
import { decode } from "@msgpack/msgpack";
import { COMMAND_BATCH_PATH, FORWARDED_HEADER } from "../cluster/meta_http.ts";
import type { MetaNode } from "../cluster/meta_node.ts";
import { metaErrorStatus, MetaRequestError } from "../cluster/meta_request_error.ts";
import { MetaError } from "../meta/mod.ts";
import { jsonBody, jsonError } from "./json.ts";

/** The meta node behind the admin API (a narrow slice of MetaNode). */
export type MetaAdmin = Pick<
  MetaNode,
  | "health"
  | "identity"
  | "isLeader"
  | "leaderAdminAddress"
  | "status"
  | "nodes"
  | "addMetaNode"
  | "removeMetaNode"
  | "addDataNode"
  | "removeDataNode"
  | "updateDataNode"
  | "leave"
  | "joinCluster"
  | "markRemoved"
  | "transferLeader"
  | "metaSnapshot"
  | "readBarrier"
  | "command"
  | "proposeBatch"
  | "encodeResult"
  | "metrics"
>;

/** What the admin API serves besides the meta node: who this process is. */
export interface AdminDeps {
  readonly meta: MetaAdmin;
  readonly roles: readonly string[];
  readonly version: string;
}

const LONG_POLL_MAX_MS = 60_000;

/** Proxies a request to the leader's admin API; the caller never needs to know who leads. */
async function forward(c: Context, meta: MetaAdmin): Promise<Response> {
  if (c.req.header(FORWARDED_HEADER)) {
    return jsonError(503, "leadership changed while the request was forwarded; retry");
  }
  const leader = meta.leaderAdminAddress();
  if (!leader) return jsonError(503, "no meta leader is known yet; retry shortly");
  const url = new URL(c.req.url);
  const headers = new Headers(c.req.raw.headers);
  headers.set(FORWARDED_HEADER, String(meta.identity().id));
  headers.delete("host");
  try {
    const body = c.req.method === "GET" || c.req.method === "HEAD"
      ? undefined
      : await c.req.arrayBuffer();
    const res = await fetch(`http://${leader}${url.pathname}${url.search}`, {
      method: c.req.method,
      headers,
      body,
    });
    return new Response(res.body, { status: res.status, headers: res.headers });
  } catch (e) {
    return jsonError(503, `cannot reach the meta leader at ${leader}: ${String(e)}`);
  }
}

async function guard(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MetaRequestError) return jsonError(e.status, e.message);
    if (e instanceof MetaError) return jsonError(metaErrorStatus(e), e.message);
    throw e;
  }
}

async function jsonInput<T>(c: Context): Promise<T> {
  try {
    return await c.req.json<T>();
  } catch {
    throw new MetaRequestError(400, "the request body must be a JSON object");
  }
}

/** Builds the admin API (DESIGN.md §5; README "Admin API"). */
export function createAdminApi(deps: AdminDeps): Hono {
  const meta = deps.meta;
  const app = new Hono();
  /** Runs `fn` on the leader; a follower forwards the whole request. */
  const onLeader = (fn: (c: Context) => Promise<Response>) => (c: Context) =>
    meta.isLeader() ? guard(() => fn(c)) : forward(c, meta);

  app.get("/v1/health", () => {
    const h = meta.health();
    const body = {
      status: h.healthy ? "ok" : "unavailable",
      id: meta.identity().id,
      roles: deps.roles,
      version: deps.version,
      leader: h.leader,
      ...(h.reason ? { reason: h.reason } : {}),
    };
    return jsonBody(body, h.healthy ? 200 : 503);
  });
  app.get("/v1/node", () => jsonBody(meta.identity()));
  app.get("/v1/cluster/status", async () => jsonBody(await meta.status()));
  app.get("/v1/cluster/nodes", onLeader(() => Promise.resolve(jsonBody(meta.nodes()))));
  app.post(
    "/v1/cluster/add-node",
    onLeader(async (c) => jsonBody(await meta.addMetaNode(await jsonInput<AddNodeRequest>(c)))),
  );
  app.post(
    "/v1/cluster/remove-node",
    onLeader(async (c) => {
      await meta.removeMetaNode(await jsonInput<RemoveNodeRequest>(c));
      return jsonBody({ ok: true });
    }),
  );
  app.post(
    "/v1/cluster/add-data",
    onLeader(async (c) => {
      const r = await jsonInput<{ httpAddress: string; rpcAddress: string }>(c);
      return jsonBody(await meta.addDataNode(r.httpAddress, r.rpcAddress));
    }),
  );
  app.post(
    "/v1/cluster/remove-data",
    onLeader(async (c) => {
      await meta.removeDataNode(await jsonInput(c));
      return jsonBody({ ok: true });
    }),
  );
  app.post(
    "/v1/cluster/update-data",
    onLeader(async (c) => jsonBody(await meta.updateDataNode(await jsonInput(c)))),
  );
  // Asked by a leader running `ctl add-meta`: join the cluster through the given members.
  app.post("/v1/node/join", (c) =>
    guard(async () => {
      const r = await jsonInput<{ join?: string[] }>(c);
      if (!Array.isArray(r.join) || r.join.length === 0) {
        throw new MetaRequestError(400, "join needs a non-empty list of member addresses");
      }
      await meta.joinCluster(r.join, 30_000);
      return jsonBody(meta.identity());
    }));
  // Sent by the leader after it removed this node from the cluster.
  app.post("/v1/node/removed", (c) =>
    guard(async () => {
      const r = await jsonInput<{ clusterId?: string }>(c);
      if (r.clusterId !== meta.identity().clusterId) {
        throw new MetaRequestError(409, "that removal is for another cluster");
      }
      await meta.markRemoved();
      return jsonBody({ ok: true });
    }));
  // Leaving is this node's own act: it asks the leader to remove it.
  app.post("/v1/cluster/leave", () =>
    guard(async () => {
      await meta.leave();
      return jsonBody({ ok: true });
    }));
  app.post(
    "/v1/ctrl/transfer-leader",
    onLeader(async (c) => {
      const to = Number(c.req.query("to"));
      if (!Number.isSafeInteger(to) || to <= 0) {
        throw new MetaRequestError(400, "transfer-leader needs ?to=ID with a meta node id");
      }
      return jsonBody({ leader: await meta.transferLeader(to) });
    }),
  );
  app.get("/v1/meta", (c) =>
    guard(async () => {
      const after = Number(c.req.query("index") ?? "0");
      if (!Number.isSafeInteger(after) || after < 0) {
        throw new MetaRequestError(400, "index must be a non-negative integer");
      }
      if (c.req.query("linearizable") === "true") {
        if (!meta.isLeader()) return forward(c, meta);
        await meta.readBarrier();
      }
      const timeout = Math.min(Number(c.req.query("timeout_ms") ?? "30000"), LONG_POLL_MAX_MS);
      const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(timeout)]);
      let snap: Awaited<ReturnType<MetaAdmin["metaSnapshot"]>>;
      try {
        snap = await meta.metaSnapshot(after, signal);
      } catch {
        return new Response(null, { status: 304, headers: { "X-Meta-Index": String(after) } });
      }
      const headers = { "X-Meta-Index": String(snap.index) };
      if ((c.req.header("accept") ?? "").includes("application/msgpack")) {
        return new Response(snap.bytes as Uint8Array<ArrayBuffer>, {
          headers: { ...headers, "Content-Type": "application/msgpack" },
        });
      }
      return jsonBody(snap.data, 200, headers);
    }));
  // Any node takes a command: a follower proposes it through the leader (batched with the
  // other commands it forwards), so the caller never needs to know who leads. A command another
  // node forwarded is not forwarded again: the sender retries once it knows the new leader.
  app.post("/v1/meta/command", (c) => {
    if (c.req.header(FORWARDED_HEADER) && !meta.isLeader()) {
      return jsonError(503, "leadership changed while the request was forwarded; retry");
    }
    return guard(async () => {
      const msgpack = (c.req.header("content-type") ?? "").includes("application/msgpack");
      const input = msgpack ? new Uint8Array(await c.req.arrayBuffer()) : await jsonInput(c);
      const result = await meta.command(input);
      if (msgpack) {
        return new Response(meta.encodeResult(result) as Uint8Array<ArrayBuffer>, {
          headers: { "Content-Type": "application/msgpack" },
        });
      }
      if (result.kind === "error") {
        const e = MetaError.fromData(result.error);
        return jsonError(metaErrorStatus(e), e.message);
      }
      return jsonBody(result);
    });
  });
  // Node to node: a msgpack array of encoded commands, proposed together on the leader; the
  // answer is a msgpack array with one `{result}` or `{status, error}` per command.
  app.post(COMMAND_BATCH_PATH, (c) =>
    guard(async () => {
      if (!meta.isLeader()) throw new MetaRequestError(503, "this meta node is not the leader");
      let cmds: unknown;
      try {
        cmds = decode(new Uint8Array(await c.req.arrayBuffer()));
      } catch {
        cmds = null;
      }
      if (!Array.isArray(cmds) || !cmds.every((x) => x instanceof Uint8Array)) {
        throw new MetaRequestError(400, "a command batch is a msgpack array of encoded commands");
      }
      const answers = await meta.proposeBatch(cmds as Uint8Array[]);
      return new Response(meta.encodeResult(answers) as Uint8Array<ArrayBuffer>, {
        headers: { "Content-Type": "application/msgpack" },
      });
    }));
  app.get(
    "/v1/metrics",
    () =>
      new Response(meta.metrics(), { headers: { "Content-Type": "text/plain; version=0.0.4" } }),
  );
  app.notFound((c) => jsonError(404, `no such endpoint: ${c.req.method} ${c.req.path}`));
  app.onError((e) => jsonError(500, e instanceof Error ? e.message : String(e)));
  return app;
}
