import { Hono } from "hono";
import { VERSION } from "../util/mod.ts";
import { influxHeaders } from "./headers.ts";

/** Builds the InfluxDB 1.x compatible data API (`/ping`; `/write` and `/query` join it). */
export function createDataApi(): Hono {
  const app = new Hono();
  app.use("*", influxHeaders());
  const ping = (verbose: string | undefined) =>
    verbose === "true" || verbose === "1"
      ? Response.json({ version: VERSION }, { status: 200 })
      : new Response(null, { status: 204 });
  app.get("/ping", (c) => ping(c.req.query("verbose")));
  app.on("HEAD", "/ping", () => new Response(null, { status: 204 }));
  app.notFound((c) => c.text("404 page not found\n", 404));
  return app;
}
