/**
 * `deno task bench:write`: line-protocol write throughput with 5000-point DevOps batches
 * (100 hosts × 10 fields) from 1 and 4 concurrent clients, bytes per point on disk after
 * compaction, and peak RSS — Chronoraft (the binary's serve, one meta+data node) side by side
 * with InfluxDB 1.6.7 (Debian's influxd) on the same generated data, in one run.
 * Flags: --points N (default 1,000,000), --only chronoraft|influxdb.
 */
import { parseArgs } from "node:util";
import { startNode, waitFor, withFreePorts, withTempDir } from "../tests/e2e/node_process.ts";
import { devopsBatches } from "./devops_data.ts";
import { startInfluxd } from "./influxdb_server.ts";
import { dirSize, peakRss } from "./proc_stats.ts";

const args = parseArgs({
  args: Deno.args,
  options: { points: { type: "string", default: "1000000" }, only: { type: "string" } },
});
const POINTS = Number(args.values.points);
const BATCH = 5000;
const enc = new TextEncoder();
const batches = [...devopsBatches(POINTS, BATCH)].map((b) => enc.encode(b));

/** A server under test: where to write, its pid, and how to finish. */
interface Target {
  readonly writeUrl: string;
  readonly pid: number;
  /** Stops the server after compaction and returns the bytes its data occupies. */
  finish(): Promise<number>;
}

interface Result {
  readonly pointsPerSecond: number;
  readonly bytesPerPoint: number;
  readonly peakRssMiB: number;
}

async function writeAll(t: Target, clients: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < batches.length; i = next++) {
      const res = await fetch(t.writeUrl, { method: "POST", body: batches[i] });
      if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
      await res.body?.cancel();
    }
  }));
  return POINTS / ((performance.now() - t0) / 1000);
}

async function run(start: (dir: string) => Promise<Target>, clients: number): Promise<Result> {
  return await withTempDir(async (dir) => {
    const t = await start(dir);
    const pointsPerSecond = await writeAll(t, clients);
    const rss = await peakRss(t.pid);
    const bytes = await t.finish();
    return { pointsPerSecond, bytesPerPoint: bytes / POINTS, peakRssMiB: rss / 2 ** 20 };
  });
}

async function startChronoraft(dir: string): Promise<Target> {
  const src = await Deno.readTextFile(new URL("../configs/single.toml", import.meta.url));
  const { toml, ports } = withFreePorts(src);
  await Deno.writeTextFile(
    `${dir}/node.toml`,
    toml.replace('log_level = "info"', 'log_level = "warn"'),
  );
  const node = startNode(["serve", "-c", "node.toml"], dir);
  const admin = `127.0.0.1:${ports.get(8091)}`;
  const http = `127.0.0.1:${ports.get(8086)}`;
  await waitFor(`http://${admin}/v1/health`, 200, 30_000);
  const res = await fetch(`http://${admin}/v1/meta/command`, {
    method: "POST",
    body: JSON.stringify({ kind: "createDatabase", name: "bench" }),
  });
  if (!res.ok) throw new Error(`create database: ${await res.text()}`);
  // The data node registers in the background; wait until a write is accepted.
  await waitFor(`http://${http}/ping`, 204);
  for (let i = 0;; i++) {
    const w = await fetch(`http://${http}/write?db=bench`, { method: "POST", body: "warm x=1 1" });
    await w.body?.cancel();
    if (w.status === 204) break;
    if (i > 100) throw new Error(`chronoraft does not accept writes: ${w.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    writeUrl: `http://${http}/write?db=bench`,
    pid: node.child.pid,
    finish: async () => {
      const status = await node.stop("SIGTERM");
      if (status.code !== 0) throw new Error(`chronoraft exited ${status.code}: ${node.stderr()}`);
      return await dirSize(`${dir}/single/data`);
    },
  };
}

async function startInflux(dir: string): Promise<Target> {
  const influxd = await startInfluxd(dir);
  const res = await fetch(`${influxd.url}/query?q=CREATE+DATABASE+bench`, { method: "POST" });
  await res.body?.cancel();
  return {
    writeUrl: `${influxd.url}/write?db=bench`,
    pid: influxd.pid,
    finish: async () => {
      // Wait for the full compaction (cold after 2 s): the TSM size stops changing.
      let last = -1;
      for (let stable = 0; stable < 5;) {
        await new Promise((r) => setTimeout(r, 1000));
        const size = await dirSize(influxd.dataDir);
        stable = size === last ? stable + 1 : 0;
        last = size;
      }
      await influxd.stop();
      return last;
    },
  };
}

const systems: [string, (dir: string) => Promise<Target>][] = [];
if (args.values.only !== "influxdb") systems.push(["chronoraft", startChronoraft]);
if (args.values.only !== "chronoraft") systems.push(["influxdb 1.6.7", startInflux]);

const rows: string[] = [];
for (const [name, start] of systems) {
  const one = await run(start, 1);
  const four = await run(start, 4);
  rows.push(
    `| ${name} | ${one.pointsPerSecond.toFixed(0)} | ${four.pointsPerSecond.toFixed(0)} | ` +
      `${four.bytesPerPoint.toFixed(1)} | ${
        Math.max(one.peakRssMiB, four.peakRssMiB).toFixed(0)
      } |`,
  );
}
console.log(`\nbench:write — ${POINTS} DevOps points in ${BATCH}-point batches\n`);
console.log("| system | 1 client pts/s | 4 clients pts/s | bytes/point | peak RSS MiB |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
