/**
 * One raft node for bench/raft_core.ts: the driver over TCP and the raft WAL log store, with a
 * state machine that only counts. Imported by the bench for the leader, and run as a Web
 * Worker (its own thread) for each follower, so the three nodes run in parallel.
 */
import { join } from "node:path";
import { type Entry, type LogStore, type Message, type NodeId, nodeId } from "../src/raft/mod.ts";
import { createLogger } from "../src/util/mod.ts";
import { openRaftLogStore } from "../src/cluster/raft_log_open.ts";
import { RaftDriver } from "../src/cluster/raft_driver.ts";
import { raftMessageCodec } from "../src/cluster/raft_message_codec.ts";
import { intervalTicker } from "../src/cluster/raft_ticker.ts";
import { TcpTransport } from "../src/cluster/transport_tcp.ts";

/** Where a bench node lives and whom it talks to. */
export interface BenchNodeConfig {
  readonly id: number;
  readonly dir: string;
  readonly peers: readonly [number, string][];
  readonly electionTick: number;
}

/** Store appends and the entries they carried, to show how well proposals are grouped. */
export const persistStats = { appends: 0, entries: 0 };

function counted(store: LogStore): LogStore {
  return {
    load: () => store.load(),
    append: (b) => {
      persistStats.appends++;
      persistStats.entries += b.entries.length;
      return store.append(b);
    },
    compact: (i) => store.compact(i),
    close: () => store.close(),
  };
}

/** Starts one node; the caller closes the returned driver. */
export async function startBenchNode(cfg: BenchNodeConfig): Promise<RaftDriver> {
  const id = nodeId(cfg.id);
  const peers = new Map<NodeId, string>(cfg.peers.map(([k, v]) => [nodeId(k), v]));
  const logger = createLogger({
    level: "warn",
    write: (line) => console.error(`[node ${id}] ${line}`),
    now: () => new Date(),
  });
  let count = 0;
  const machine = {
    apply: (e: Entry) => (e.kind === "normal" ? ++count : null),
    snapshot: () => new TextEncoder().encode(String(count)),
    restore: (d: Uint8Array) => void (count = Number(new TextDecoder().decode(d))),
  };
  const transport = await TcpTransport.listen<Message>({
    id,
    clusterId: "bench",
    secret: "bench-secret",
    logger,
    codec: raftMessageCodec(),
    listen: peers.get(id)!,
  });
  return await RaftDriver.start({
    id,
    store: counted(await openRaftLogStore(join(cfg.dir, `raft-${cfg.id}`))),
    transport,
    stateMachine: machine,
    logger,
    peers,
    bootstrap: [...peers.keys()],
    ticker: intervalTicker(10),
    raft: { electionTick: cfg.electionTick, heartbeatTick: 1 },
    requestTimeoutTicks: 3000,
  });
}

/** Messages between the bench and a worker node. */
export type WorkerCommand = { kind: "start"; cfg: BenchNodeConfig } | { kind: "close" };

// As a worker: start on "start", close on "close", answering each with the same kind.
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerCommand>) => void) | null;
  postMessage?: (m: unknown) => void;
  document?: unknown;
};
if (typeof scope.postMessage === "function" && "WorkerGlobalScope" in globalThis) {
  let driver: RaftDriver | null = null;
  scope.onmessage = async (e) => {
    if (e.data.kind === "start") {
      driver = await startBenchNode(e.data.cfg);
      scope.postMessage!({ kind: "start" });
    } else {
      await driver?.close();
      scope.postMessage!({ kind: "close" });
    }
  };
}
