import { Hono } from "hono";

/** What a node reports about itself on `/v1/health`. */
export interface NodeHealth {
  readonly healthy: boolean;
  readonly id: number;
  readonly roles: readonly string[];
  readonly version: string;
  /** Why the node is unhealthy; absent when healthy. */
  readonly reason?: string;
}

/** The admin API's dependency: just enough to answer health checks. */
export interface AdminDeps {
  health(): NodeHealth;
}

/** Builds the admin API (`/v1/health`; the cluster endpoints join it). */
export function createAdminApi(deps: AdminDeps): Hono {
  const app = new Hono();
  const health = () => {
    const h = deps.health();
    const body = {
      status: h.healthy ? "ok" : "unavailable",
      id: h.id,
      roles: h.roles,
      version: h.version,
      ...(h.reason ? { reason: h.reason } : {}),
    };
    return Response.json(body, { status: h.healthy ? 200 : 503 });
  };
  app.get("/v1/health", health);
  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  return app;
}
