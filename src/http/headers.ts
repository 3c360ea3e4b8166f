import type { MiddlewareHandler } from "hono";
import { BUILD, VERSION } from "../util/mod.ts";

/** Adds the headers InfluxDB 1.x puts on every response, so clients detect a compatible server. */
export function influxHeaders(): MiddlewareHandler {
  return async (c, next) => {
    const id = crypto.randomUUID();
    await next();
    c.res.headers.set("X-Influxdb-Version", VERSION);
    c.res.headers.set("X-Influxdb-Build", BUILD);
    c.res.headers.set("Request-Id", id);
    c.res.headers.set("X-Request-Id", id);
  };
}
