import { Hono } from "hono";
import { VERSION } from "../util/mod.ts";
import { influxError } from "./errors.ts";
import { influxHeaders } from "./headers.ts";
import { handleQuery, type QueryDeps } from "./query_handler.ts";
import { handleWrite, type WriteDeps } from "./write_handler.ts";

/** What the data API serves; an endpoint whose dependency is absent answers 503. */
export interface DataApiDeps {
  readonly write?: WriteDeps;
  readonly query?: QueryDeps;
}

/** Builds the InfluxDB 1.x compatible data API: `/ping`, `/write`, `/query`. */
export function createDataApi(deps: DataApiDeps = {}): Hono {
  const app = new Hono();
  app.use("*", influxHeaders());
  const ping = (verbose: string | undefined) =>
    verbose === "true" || verbose === "1"
      ? Response.json({ version: VERSION }, { status: 200 })
      : new Response(null, { status: 204 });
  app.get("/ping", (c) => ping(c.req.query("verbose")));
  app.on("HEAD", "/ping", () => new Response(null, { status: 204 }));
  app.post(
    "/write",
    (c) =>
      deps.write
        ? handleWrite(c, deps.write)
        : influxError(503, "this node does not accept writes yet"),
  );
  app.on(
    ["GET", "POST"],
    "/query",
    (c) =>
      deps.query
        ? handleQuery(c, deps.query)
        : influxError(503, "this node does not serve queries yet"),
  );
  // InfluxDB's expvar endpoint: process memory, for operators and benchmarks.
  app.get("/debug/vars", () => {
    const m = Deno.memoryUsage();
    return Response.json({
      memstats: {
        rss: m.rss,
        heapTotal: m.heapTotal,
        heapUsed: m.heapUsed,
        external: m.external,
      },
    });
  });
  app.notFound((c) => c.text("404 page not found\n", 404));
  return app;
}
