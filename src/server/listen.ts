import type { HostPort, Logger } from "../util/mod.ts";
import { StartupError } from "./errors.ts";

/** A running HTTP listener. */
export interface HttpListener {
  readonly name: string;
  readonly address: HostPort;
  close(): Promise<void>;
}

/**
 * Serves `handler` on `address`. A port already in use (or any bind failure) becomes a
 * StartupError naming the address and the config key that set it.
 */
export function listenHttp(
  name: string,
  key: string,
  address: HostPort,
  handler: (req: Request) => Response | Promise<Response>,
  logger: Logger,
): HttpListener {
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: address.host,
      port: address.port,
      onListen: () => {},
      onError: (err) => {
        logger.error("request failed", { listener: name, error: String(err) });
        return Response.json({ error: "internal error" }, { status: 500 });
      },
    }, handler);
  } catch (e) {
    throw bindError(e, address, key);
  }
  const bound = { host: address.host, port: server.addr.port };
  logger.info("listening", { listener: name, address: `${bound.host}:${bound.port}` });
  let closed: Promise<void> | null = null;
  return {
    name,
    address: bound,
    close: () => closed ??= server.shutdown(),
  };
}

/** Turns a bind failure into one line naming the address and the key. */
export function bindError(e: unknown, address: HostPort, key: string): StartupError {
  const what = e instanceof Deno.errors.AddrInUse
    ? "address already in use"
    : e instanceof Deno.errors.AddrNotAvailable
    ? "address not available on this host"
    : e instanceof Deno.errors.PermissionDenied
    ? "permission denied"
    : e instanceof Error
    ? e.message
    : String(e);
  return new StartupError(
    `cannot listen on ${address.host}:${address.port} (${key}): ${what}; ` +
      `stop whatever holds it or change ${key}`,
  );
}
