/**
 * Raft throughput and commit latency: three nodes over TCP loopback, each with its own raft WAL
 * log and its own thread (the leader here, followers in Web Workers). 100-byte proposals from
 * 1 and 64 concurrent proposers; latency is propose() → applied on the leader.
 *
 *   deno run --allow-all bench/raft_core.ts [--seconds 8] [--concurrency 1,64]
 */
import { parseArgs } from "node:util";
import type { RaftDriver } from "../src/cluster/raft_driver.ts";
import {
  type BenchNodeConfig,
  persistStats,
  startBenchNode,
  type WorkerCommand,
} from "./raft_core_node.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    concurrency: { type: "string", default: "1,64" },
  },
});
const seconds = Number(values.seconds);
const levels = values.concurrency.split(",").map(Number);

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function request(w: Worker, cmd: WorkerCommand): Promise<void> {
  return new Promise((resolve) => {
    w.onmessage = () => resolve();
    w.postMessage(cmd);
  });
}

async function run(
  leader: RaftDriver,
  concurrency: number,
  ms: number,
): Promise<{ ops: number; latencies: number[]; elapsed: number }> {
  const payload = new Uint8Array(100).fill(0x61);
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + ms;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await leader.propose(payload);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ops: latencies.length, latencies, elapsed: performance.now() - start };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const dir = await Deno.makeTempDir({ prefix: "raft-bench-" });
const peers: [number, string][] = [1, 2, 3].map((id) => [id, `127.0.0.1:${freePort()}`]);
const workers: Worker[] = [];
let leader: RaftDriver | null = null;
try {
  for (const id of [2, 3]) {
    const w = new Worker(new URL("./raft_core_node.ts", import.meta.url).href, { type: "module" });
    workers.push(w);
    const cfg: BenchNodeConfig = { id, dir, peers, electionTick: 50 };
    await request(w, { kind: "start", cfg });
  }
  leader = await startBenchNode({ id: 1, dir, peers, electionTick: 50 });
  leader.campaign();
  const until = Date.now() + 20_000;
  while (leader.status().role !== "leader") {
    if (Date.now() > until) throw new Error("node 1 did not become leader");
    const s = leader.status();
    // A follower won the first election: ask it to hand over (forwarded to the leader).
    if (s.leader !== undefined && s.leader !== leader.id) {
      await leader.transferLeader(leader.id).catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await run(leader, 8, 1000); // warm-up: connections, JIT, log files

  const rows: string[] = [];
  for (const c of levels) {
    const before = { ...persistStats };
    const r = await run(leader, c, seconds * 1000);
    const appends = persistStats.appends - before.appends;
    const perCommit = (persistStats.entries - before.entries) / Math.max(1, appends);
    const sorted = r.latencies.sort((a, b) => a - b);
    rows.push(
      `| ${String(c).padStart(11)} | ${(r.ops / (r.elapsed / 1000)).toFixed(0).padStart(11)} | ` +
        `${pct(sorted, 0.5).toFixed(2).padStart(8)} | ${
          pct(sorted, 0.99).toFixed(2).padStart(8)
        } | ` +
        `${String(r.ops).padStart(9)} | ${perCommit.toFixed(1).padStart(17)} |`,
    );
  }
  console.log(`raft-core: 3 nodes, TCP loopback, WAL log, 100-byte commands, ${seconds}s/case`);
  console.log(
    "| concurrency | proposals/s | p50 (ms) | p99 (ms) | proposals | entries/log write |",
  );
  console.log(
    "| ----------- | ----------- | -------- | -------- | --------- | ----------------- |",
  );
  for (const r of rows) console.log(r);
} finally {
  await leader?.close();
  for (const w of workers) {
    await request(w, { kind: "close" });
    w.terminate();
  }
  await Deno.remove(dir, { recursive: true });
}
