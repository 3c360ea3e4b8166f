import { type Config, rolesOf } from "../config/mod.ts";
import { createAdminApi, createDataApi } from "../http/mod.ts";
import { type HostPort, type Logger, VERSION } from "../util/mod.ts";
import { type HttpListener, listenHttp } from "./listen.ts";

/** A started node: its bound addresses, and how to stop it. */
export interface Server {
  readonly config: Config;
  /** Bound addresses by listener name ("admin", "http"). */
  readonly addresses: ReadonlyMap<string, HostPort>;
  /** Stops listeners and closes storage; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts every listener the node's roles need and opens its storage. This is the only
 * place that binds sockets and opens Deno KV files.
 */
export async function createServer(config: Config, logger: Logger): Promise<Server> {
  const roles = rolesOf(config);
  const listeners: HttpListener[] = [];
  const addresses = new Map<string, HostPort>();
  const closeAll = async () => {
    await Promise.allSettled(listeners.map((l) => l.close()));
  };
  try {
    if (config.raft && config.meta) {
      await Deno.mkdir(config.raft.raftDir, { recursive: true });
      const id = config.raft.id;
      const admin = createAdminApi({
        health: () => ({ healthy: true, id, roles, version: VERSION }),
      });
      listeners.push(
        listenHttp(
          "admin",
          "[meta].admin_api_address",
          config.meta.adminApiAddress,
          admin.fetch,
          logger,
        ),
      );
    }
    if (config.data) {
      await Deno.mkdir(config.data.dir, { recursive: true });
      const data = createDataApi();
      listeners.push(
        listenHttp(
          "http",
          "[data].http_bind_address",
          config.data.httpBindAddress,
          data.fetch,
          logger,
        ),
      );
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  for (const l of listeners) addresses.set(l.name, l.address);
  logger.info("node started", { roles: roles.join("+"), config: config.source });
  let closing: Promise<void> | null = null;
  return {
    config,
    addresses,
    close: () =>
      closing ??= (async () => {
        await closeAll();
        logger.info("node stopped");
      })(),
  };
}
