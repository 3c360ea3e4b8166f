/**
 * Query latency of issue 6's q1–q5 over the DevOps data set (bench/devops_data.ts: 100 hosts,
 * ten float fields, 10 s apart) written in-process into real shards, compacted, then queried
 * through the StatementExecutor (no HTTP). Prints the median of --runs runs per query and the
 * process's peak RSS.
 *
 *   deno run --allow-all bench/query.ts [--points 1000000] [--runs 7]
 */
import { parseArgs } from "node:util";
import { parseQuery } from "../src/influxql/mod.ts";
import {
  type ApplyResult,
  encodeCommand,
  LocalMetaClient,
  type MetaCommand,
  MetaStateMachine,
} from "../src/meta/mod.ts";
import { parsePoints, type Point } from "../src/models/mod.ts";
import { type QueryShards, StatementExecutor } from "../src/query/mod.ts";
import { Store } from "../src/storage/mod.ts";
import { devopsBatches, INTERVAL_NS, START_NS } from "./devops_data.ts";
import { issue6Queries } from "./issue6_queries.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    points: { type: "string", default: "1000000" },
    runs: { type: "string", default: "7" },
  },
});
const POINTS = Number(args.values.points);
const RUNS = Number(args.values.runs);
const ONLY = Deno.env.get("BENCH_ONLY");
const T = START_NS;
const H = 3_600_000_000_000n;

/** A /proc/self/status figure in MiB (null where /proc is missing). */
async function procStatus(key: string): Promise<number | null> {
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

const dir = await Deno.makeTempDir({ prefix: "chronoraft-bench-query-" });
const sm = new MetaStateMachine();
const propose = (cmd: MetaCommand): Promise<ApplyResult> =>
  Promise.resolve(
    sm.apply({ index: sm.appliedIndex() + 1, kind: "normal", data: encodeCommand(cmd) }),
  );
const meta = new LocalMetaClient(sm, propose);
await meta.createDataNode("127.0.0.1:8086", "127.0.0.1:8088");
await meta.createDatabase("benchmark");
const store = new Store({ dir, maxOpenShards: 64 });

try {
  const t0 = performance.now();
  const enc = new TextEncoder();
  for (const batch of devopsBatches(POINTS, 5000)) {
    const { points } = parsePoints(enc.encode(batch), { precision: "ns", now: 0n });
    const byShard = new Map<number, Point[]>();
    for (const p of points) {
      const g = await meta.createShardGroupIfNotExists("benchmark", "autogen", p.time);
      const id = g.shards[0].id;
      let list = byShard.get(id);
      if (list === undefined) byShard.set(id, list = []);
      list.push(p);
    }
    for (const [id, list] of byShard) {
      await store.withShard("benchmark", "autogen", id, (s) => s.writePoints(list));
    }
  }
  for (
    const g of meta.shardGroupsByTimeRange("benchmark", "autogen", T - H * 1000n, T + H * 10000n)
  ) {
    for (const s of g.shards) {
      await store.withShard("benchmark", "autogen", s.id, async (sh) => {
        await sh.settled();
        await sh.compact();
      });
    }
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  // Reset the peak-RSS mark (Linux) so the figure below covers the queries, not the load.
  await Deno.writeTextFile("/proc/self/clear_refs", "5").catch(() => {});
  const rssAfterLoad = await procStatus("VmRSS");
  const span = BigInt(Math.ceil(POINTS / 100)) * INTERVAL_NS;

  const shards: QueryShards = {
    async open(db, rp, id) {
      const lease = await store.acquire(db, rp, id);
      const s = lease.shard;
      return {
        reader: s.reader,
        deleteSeries: (m, p, r) => s.deleteSeries(m, p, r),
        dropMeasurement: (m) => s.dropMeasurement(m),
        release: () => lease.release(),
      };
    },
  };
  const exec = new StatementExecutor({ meta, shards });
  const queries: [string, string][] = [
    ...issue6Queries(T),
    // Not in issue 6, for the memory figure: a full aggregate scan decoding every value,
    // and a raw full scan streamed in chunks of 10,000 rows (run once, not retained).
    ["scan", "SELECT max(*) FROM cpu"],
    ["raw", "SELECT usage_user, usage_system FROM cpu"],
  ];
  console.log(
    `${POINTS} points (${POINTS / 100} per host, ${Number(span / 1_000_000_000n) / 3600} h) ` +
      `loaded and compacted in ${loadSeconds.toFixed(1)} s; median of ${RUNS} runs:`,
  );
  for (const [name, q] of queries) {
    if (ONLY && ONLY !== name) continue;
    const stmts = parseQuery(q);
    const times: number[] = [];
    let rows = 0;
    const chunked = name === "raw";
    for (let i = 0; i < (chunked ? 1 : RUNS); i++) {
      const s0 = performance.now();
      rows = 0;
      for await (
        const r of exec.execute(stmts, {
          database: "benchmark",
          retentionPolicy: "",
          now: T + span,
          ...(chunked ? { chunkSize: 10_000 } : {}),
        })
      ) {
        if (r.error) throw new Error(`${name}: ${r.error}`);
        for (const s of r.series ?? []) rows += s.values.length;
      }
      times.push(performance.now() - s0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`${name}  ${median.toFixed(1).padStart(8)} ms  (${rows} rows)`);
  }
  const peak = await procStatus("VmHWM");
  if (peak !== null && rssAfterLoad !== null) {
    console.log(`RSS after load ${rssAfterLoad} MiB; peak RSS while querying ${peak} MiB`);
  }
} finally {
  await store.close();
  await Deno.remove(dir, { recursive: true });
}
