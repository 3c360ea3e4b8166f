/**
 * `deno task bench:query`: median latency of issue 6's q1–q5 over the bench:write data set
 * (DevOps cpu, 100 hosts × 10 fields), through /query of a real Chronoraft node and of
 * InfluxDB 1.6.7 loaded with the same points, side by side in one run. Also checks that both
 * return the same answer, and reports Chronoraft's peak RSS. Each server is timed once it has
 * absorbed the load (its CPU use has gone quiet), not while it is still compacting what was
 * just written.
 * Flags: --points N (default 1,000,000); --runs R (default 25); --warmup W (untimed runs of
 * each query on both servers first, default 20: a JIT runtime reaches steady state only after
 * some, as a long-running server has);
 * --only chronoraft|influxdb (run one server); --full-scan (then restarts the Chronoraft node
 * and reports its peak RSS during a full-scan count and a chunked `SELECT *`,
 * bench/query_full_scan.ts).
 */
import { parseArgs } from "node:util";
import { startNode, waitFor, withFreePorts, withTempDir } from "../tests/e2e/node_process.ts";
import { devopsBatches, START_NS } from "./devops_data.ts";
import { startInfluxd } from "./influxdb_server.ts";
import { issue6Queries } from "./issue6_queries.ts";
import { peakRss, waitIdle } from "./proc_stats.ts";
import { type FullScanFigure, fullScanRss, fullScanTable } from "./query_full_scan.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    points: { type: "string", default: "1000000" },
    runs: { type: "string", default: "25" },
    only: { type: "string", default: "" },
    warmup: { type: "string", default: "20" },
    "full-scan": { type: "boolean", default: false },
  },
});
const ONLY = args.values.only;
if (ONLY !== "" && ONLY !== "chronoraft" && ONLY !== "influxdb") {
  throw new Error(`--only takes chronoraft or influxdb, not ${ONLY}`);
}
const FULL_SCAN = args.values["full-scan"];
const WARMUP = Math.max(1, Number(args.values.warmup));
const POINTS = Number(args.values.points);
const RUNS = Number(args.values.runs);
const T = START_NS;
const QUERIES = issue6Queries(T);

async function load(writeUrl: string): Promise<void> {
  const enc = new TextEncoder();
  const batches = devopsBatches(POINTS, 5000);
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let b = batches.next(); !b.done; b = batches.next()) {
      const res = await fetch(writeUrl, { method: "POST", body: enc.encode(b.value) });
      if (res.status !== 204) throw new Error(`load failed: ${res.status} ${await res.text()}`);
      await res.body?.cancel();
    }
  }));
}

async function run(url: string, q: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/query?db=bench&epoch=ns&q=${encodeURIComponent(q)}`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${q}: ${res.status} ${body}`);
  return { ms: performance.now() - t0, body };
}

async function medians(url: string): Promise<Map<string, { ms: number; body: string }>> {
  const out = new Map<string, { ms: number; body: string }>();
  for (const [name, q] of QUERIES) {
    const first = await run(url, q); // warm-up, and the answer to compare
    for (let i = 1; i < WARMUP; i++) await run(url, q);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push((await run(url, q)).ms);
    times.sort((a, b) => a - b);
    out.set(name, { ms: times[Math.floor(times.length / 2)], body: first.body });
  }
  return out;
}

/** Answers compared as data, floats to 1e-9 relative. */
function sameAnswer(a: string, b: string): boolean {
  const eq = (x: unknown, y: unknown): boolean => {
    if (typeof x === "number" && typeof y === "number") {
      return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      return x.length === y.length && x.every((v, i) => eq(v, y[i]));
    }
    if (x && y && typeof x === "object" && typeof y === "object") {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      return eq(kx, ky) &&
        kx.every((k) => eq((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
    }
    return x === y;
  };
  return eq(JSON.parse(a), JSON.parse(b));
}

type Medians = Map<string, { ms: number; body: string }>;

const results = await withTempDir(async (dir) => {
  let chrono: Medians | undefined;
  let influx: Medians | undefined;
  let rss = 0;
  let scan: FullScanFigure[] = [];
  if (ONLY !== "influxdb") ({ chrono, rss, scan } = await runChronoraft(dir));
  if (ONLY !== "chronoraft") influx = await runInfluxdb(dir);
  return { chrono, influx, rss, scan };
});

async function runChronoraft(
  dir: string,
): Promise<{ chrono: Medians; rss: number; scan: FullScanFigure[] }> {
  const src = await Deno.readTextFile(new URL("../configs/single.toml", import.meta.url));
  const { toml, ports } = withFreePorts(src);
  await Deno.writeTextFile(`${dir}/node.toml`, toml.replace('"info"', '"warn"'));
  const node = startNode(["serve", "-c", "node.toml"], dir);
  const chronoUrl = `http://127.0.0.1:${ports.get(8086)}`;
  await waitFor(`http://127.0.0.1:${ports.get(8091)}/v1/health`, 200, 30_000);
  await waitFor(`${chronoUrl}/ping`, 204);
  await (await fetch(`${chronoUrl}/query?q=CREATE+DATABASE+bench`, { method: "POST" })).text();
  await load(`${chronoUrl}/write?db=bench`);
  await waitIdle(node.child.pid);
  const chrono = await medians(chronoUrl);
  const rss = await peakRss(node.child.pid);
  await node.stop("SIGTERM");
  if (!FULL_SCAN) return { chrono, rss, scan: [] };
  // A restarted node, so the figure is the scan's and not what the load left behind.
  const again = startNode(["serve", "-c", "node.toml"], dir);
  await waitFor(`http://127.0.0.1:${ports.get(8091)}/v1/health`, 200, 60_000);
  await waitFor(`${chronoUrl}/ping`, 204, 60_000);
  await waitIdle(again.child.pid);
  const scan = await fullScanRss(again.child.pid, chronoUrl, "bench");
  await again.stop("SIGTERM");
  return { chrono, rss, scan };
}

async function runInfluxdb(dir: string): Promise<Medians> {
  await Deno.mkdir(`${dir}/influx`);
  const influxd = await startInfluxd(`${dir}/influx`);
  await (await fetch(`${influxd.url}/query?q=CREATE+DATABASE+bench`, { method: "POST" })).text();
  await load(`${influxd.url}/write?db=bench`);
  await waitIdle(influxd.pid);
  const influx = await medians(influxd.url);
  await influxd.stop();
  return influx;
}

console.log(
  `\nbench:query — ${POINTS} DevOps points, median of ${RUNS} runs after ${WARMUP} warm-up\n`,
);
console.log("| query | chronoraft ms | influxdb 1.6.7 ms | ratio | same answer |");
console.log("| --- | --- | --- | --- | --- |");
for (const [name] of QUERIES) {
  const c = results.chrono?.get(name);
  const i = results.influx?.get(name);
  const ratio = c && i ? (c.ms / i.ms).toFixed(2) : "-";
  const same = c && i ? (sameAnswer(c.body, i.body) ? "yes" : "NO") : "-";
  console.log(
    `| ${name} | ${c?.ms.toFixed(1) ?? "-"} | ${i?.ms.toFixed(1) ?? "-"} | ${ratio} | ${same} |`,
  );
}
if (results.chrono) {
  console.log(`\nchronoraft peak RSS (load + queries): ${(results.rss / 2 ** 20).toFixed(0)} MiB`);
}
if (results.scan.length > 0) console.log(fullScanTable(POINTS, results.scan));
