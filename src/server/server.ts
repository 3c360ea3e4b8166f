import { join } from "node:path";
import { type DataMeta, registerDataNode, RemoteMeta } from "../cluster/data_meta.ts";
import { createShardGroup } from "../cluster/data_meta.ts";
import { openRaftLogStore } from "../cluster/raft_log_open.ts";
import type { StoredIdentity } from "../cluster/meta_identity.ts";
import { MetaStartError } from "../cluster/meta_identity.ts";
import { KvLogCorruptError } from "../cluster/raft_kv_codec.ts";
import { WalCorruptError } from "../cluster/raft_wal_codec.ts";
import { RaftDirLockedError } from "../cluster/wal_log_store.ts";
import { MetaNode } from "../cluster/meta_node.ts";
import { PointsWriter } from "../cluster/points_writer.ts";
import { raftMessageCodec } from "../cluster/raft_message_codec.ts";
import { TcpTransport } from "../cluster/transport_tcp.ts";
import { type Config, rolesOf } from "../config/mod.ts";
import { createAdminApi, createDataApi, ParsePool } from "../http/mod.ts";
import { dataNodeId, type ShardId, shardId } from "../meta/mod.ts";
import { shardLocation } from "../meta/queries.ts";
import { LocalMetaClient } from "../meta/local_meta_client.ts";
import { StatementExecutor } from "../query/mod.ts";
import { batchOf } from "../models/mod.ts";
import type { Message } from "../raft/mod.ts";
import { Store } from "../storage/mod.ts";
import { formatHostPort, type HostPort, type Logger, VERSION } from "../util/mod.ts";
import { StartupError } from "./errors.ts";
import { readJsonFile, writeJsonFile } from "./json_file.ts";
import { bindError, type HttpListener, listenHttp } from "./listen.ts";

/** A started node: its bound addresses, and how to stop it. */
export interface Server {
  readonly config: Config;
  /** Bound addresses by listener name ("admin", "http"). */
  readonly addresses: ReadonlyMap<string, HostPort>;
  /** The meta node, on meta nodes. */
  readonly meta: MetaNode | null;
  /** Stops listeners, raft and storage; idempotent. */
  close(): Promise<void>;
}

/** The address others use to reach a listener: a wildcard host becomes `fallbackHost`. */
function advertised(a: HostPort, fallbackHost: string): string {
  const wild = a.host === "0.0.0.0" || a.host === "::" || a.host === "";
  return formatHostPort({ host: wild ? fallbackHost : a.host, port: a.port });
}

/** Runs `fn`; a failure to bind becomes a StartupError naming the address and config key. */
async function binding<T>(addr: HostPort, key: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse || e instanceof Deno.errors.AddrNotAvailable) {
      throw bindError(e, addr, key);
    }
    throw e;
  }
}

/**
 * Starts every listener and service the node's roles need. This is the only place that
 * binds sockets, opens Deno KV files and reads node files; everything below gets factories.
 */
export async function createServer(config: Config, logger: Logger): Promise<Server> {
  const roles = rolesOf(config);
  const listeners: HttpListener[] = [];
  const addresses = new Map<string, HostPort>();
  const closers: (() => Promise<void>)[] = [];
  let meta: MetaNode | null = null;
  const shutdown = async () => {
    // Stop accepting requests first, then background work, then storage.
    await Promise.allSettled(listeners.map((l) => l.close()));
    for (const close of closers.reverse()) {
      await close().catch((e) => logger.error("error while stopping", { error: String(e) }));
    }
  };
  try {
    if (config.raft && config.meta) {
      const raft = config.raft;
      await Deno.mkdir(raft.raftDir, { recursive: true });
      const identityPath = join(raft.raftDir, "node.json");
      const raftAddress = formatHostPort(raft.advertise);
      meta = new MetaNode({
        id: raft.id,
        raftAddress,
        adminAddress: advertised(config.meta.adminApiAddress, raft.advertise.host),
        single: raft.single,
        join: raft.join.map(formatHostPort),
        heartbeatMs: raft.heartbeatIntervalMs,
        electionMs: raft.electionTimeoutMs,
        snapshotEntries: raft.snapshotLogsSinceLast,
        dir: raft.raftDir,
        identity: {
          load: () => readJsonFile<StoredIdentity>(identityPath),
          save: (i) => writeJsonFile(identityPath, i),
        },
        openStore: () => openRaftLogStore(raft.raftDir, logger),
        openTransport: (clusterId) =>
          binding(raft.listen, "[raft_config].raft_api_port", async () => {
            const t = await TcpTransport.listen<Message>({
              id: raft.id as Message["from"],
              // Refuse anything that is not a well-formed raft message, closing that connection.
              codec: raftMessageCodec(),
              clusterId,
              secret: config.clusterSecret || undefined,
              listen: formatHostPort(raft.listen),
              advertiseHost: raft.advertise.host,
              logger: logger.with({ service: "raft-transport" }),
            });
            logger.info("listening", { listener: "raft", address: formatHostPort(raft.listen) });
            return t;
          }),
        logger,
      });
      const node = meta;
      closers.push(() => node.close());
      const admin = createAdminApi({ meta: node, roles, version: VERSION });
      listeners.push(
        listenHttp(
          "admin",
          "[meta].admin_api_address",
          config.meta.adminApiAddress,
          admin.fetch,
          logger,
        ),
      );
      try {
        await node.start();
      } catch (e) {
        // The node must not start, and the message says why and what to do.
        const refusal = e instanceof MetaStartError || e instanceof RaftDirLockedError ||
          e instanceof WalCorruptError || e instanceof KvLogCorruptError;
        if (refusal) throw new StartupError(e.message);
        throw e;
      }
    }
    if (config.data) {
      const data = config.data;
      await Deno.mkdir(data.dir, { recursive: true });
      const store = new Store({
        dir: data.dir,
        idleTimeoutMs: data.shardIdleTimeoutMs,
        maxOpenShards: data.maxOpenShards,
        readCacheBytes: data.readCacheSize,
        logger: logger.with({ service: "storage" }),
      });
      closers.push(() => store.close());
      const httpAddress = advertised(data.httpBindAddress, Deno.hostname());
      const rpcAddress = advertised(data.rpcBindAddress, Deno.hostname());
      let dataMeta: DataMeta;
      let metaClient: LocalMetaClient;
      if (meta) {
        const node = meta;
        dataMeta = { data: () => node.sm.data(), propose: (cmd) => node.propose(cmd) };
        metaClient = new LocalMetaClient(node.sm, (cmd) => node.propose(cmd));
      } else {
        const remote = new RemoteMeta(
          data.metaAddresses.map(formatHostPort),
          httpAddress,
          logger.with({ service: "meta-client" }),
        );
        closers.push(() => remote.close());
        // Serve only once the meta state is known: without it every database looks missing.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const ready = await Promise.race([
          remote.start().then(() => true),
          new Promise<false>((r) => timer = setTimeout(() => r(false), 10_000)),
        ]);
        clearTimeout(timer);
        if (!ready) {
          logger.warn("no meta node answered within 10s; serving, but databases are unknown", {
            meta: data.metaAddresses.map(formatHostPort).join(","),
          });
        }
        dataMeta = remote;
        metaClient = new LocalMetaClient(remote.sm, (cmd) => remote.propose(cmd));
      }
      // A restarted node knows its id at once (from node.json); registration confirms it in
      // the background. A new node serves /ping meanwhile, and writes wait for its id.
      const idPath = join(data.dir, "node.json");
      const previous = await readJsonFile<{ id: number }>(idPath);
      let nodeId: number | null = previous?.id ?? null;
      const registering = new AbortController();
      closers.push(() => Promise.resolve(registering.abort()));
      registerDataNode(dataMeta, httpAddress, rpcAddress, logger, registering.signal)
        .then(async (id) => {
          if (previous && previous.id !== id) {
            logger.warn("data node id changed (was its rpc address changed?)", {
              previous: previous.id,
              id,
            });
          }
          if (previous?.id !== id) await writeJsonFile(idPath, { id, rpcAddress });
          nodeId = id;
          logger.info("data node registered", { id, rpc: rpcAddress });
        })
        .catch((e) => {
          if (!registering.signal.aborted) {
            logger.error("data node registration failed", { error: String(e) });
          }
        });
      const writer = new PointsWriter(
        {
          data: () => dataMeta.data(),
          createShardGroup: (db, rp, t) => createShardGroup(dataMeta, db, rp, t),
        },
        () => nodeId === null ? null : dataNodeId(nodeId),
        {
          writeShard: (db, rp, shard: ShardId, batch, selection) =>
            store.withShard(db, rp, shard, (s) => s.writeBatch(batch, selection)),
        },
      );
      const now = () => BigInt(Date.now()) * 1_000_000n;
      const executor = new StatementExecutor({
        meta: metaClient,
        shards: {
          // Only shards this node owns are read here; remote reads need the cluster query path.
          open: async (db, rp, id) => {
            const loc = shardLocation(dataMeta.data(), shardId(id));
            if (nodeId === null || !loc?.shard.owners.includes(dataNodeId(nodeId))) {
              return undefined;
            }
            const lease = await store.acquire(db, rp, id);
            const shard = lease.shard;
            return {
              reader: shard.reader,
              deleteSeries: (m, pred, range) => shard.deleteSeries(m, pred, range),
              dropMeasurement: (m) => shard.dropMeasurement(m),
              release: () => lease.release(),
            };
          },
        },
        writePoints: async (db, rp, points) => {
          const r = await writer.writePoints({
            database: db,
            retentionPolicy: rp,
            consistency: "one",
            points: batchOf(points),
            now: now(),
          });
          if (r.dropped > 0) throw new Error(`partial write: ${r.reason} dropped=${r.dropped}`);
        },
      });
      // One parser thread per spare core: parsing is half of the write path's CPU.
      const parsePool = new ParsePool({
        workers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency ?? 2) - 1)),
      });
      closers.push(() => Promise.resolve(parsePool.close()));
      const api = createDataApi({
        write: {
          writePoints: (req) => writer.writePoints(req),
          // Requests in progress tell the pool whether the main thread has other work.
          begin: () => parsePool.begin(),
          parse: (body, opts) => parsePool.parse(body, opts),
          maxBodySize: data.maxBodySize,
          now,
        },
        query: { executor, now },
      });
      listeners.push(
        listenHttp("http", "[data].http_bind_address", data.httpBindAddress, api.fetch, logger),
      );
    }
  } catch (e) {
    await shutdown();
    throw e;
  }
  for (const l of listeners) addresses.set(l.name, l.address);
  logger.info("node started", { roles: roles.join("+"), config: config.source });
  let closing: Promise<void> | null = null;
  return {
    config,
    addresses,
    meta,
    close: () =>
      closing ??= (async () => {
        await shutdown();
        logger.info("node stopped");
      })(),
  };
}
