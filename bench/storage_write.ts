/**
 * Write throughput of one shard and its size on disk after compaction, with DevOps-like
 * data (TSBS `cpu`: 100 hosts × 10 integer fields, 10 tags, 10 s apart) in batches of 5000.
 *
 *   deno run --allow-all bench/storage_write.ts [--points 1000000] [--batch 5000] [--hosts 100]
 *     [--values integer|float]
 */

import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import type { Field, Point, Tag } from "../src/models/point.ts";
import { Shard } from "../src/storage/mod.ts";
import { mulberry32 } from "../src/util/random.ts";
import { DEVOPS_FIELDS } from "./devops_data.ts";

const FIELDS = DEVOPS_FIELDS;
const REGIONS = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "eu-central-1",
  "ap-southeast-1",
];

const prng = mulberry32;

/** Host tags as TSBS's devops generator makes them. */
function hostTags(i: number, rand: () => number): Tag[] {
  const region = REGIONS[i % REGIONS.length];
  const tags: Tag[] = [
    ["arch", rand() < 0.5 ? "x64" : "x86"],
    ["datacenter", `${region}${"abc"[i % 3]}`],
    ["hostname", `host_${i}`],
    ["os", ["Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10"][i % 3]],
    ["rack", String(Math.floor(rand() * 100))],
    ["region", region],
    ["service", String(Math.floor(rand() * 20))],
    ["service_environment", ["production", "staging", "test"][i % 3]],
    ["service_version", String(i % 2)],
    ["team", ["SF", "NYC", "LON", "CHI"][i % 4]],
  ];
  return tags;
}

/** Generates batches of DevOps points lazily. */
function* batches(
  total: number,
  batch: number,
  hosts: number,
  floats = VALUES === "float",
): Generator<Point[]> {
  const rand = prng(42);
  const tagsets = Array.from({ length: hosts }, (_, i) => hostTags(i, rand));
  const keys = tagsets.map((t) => "cpu," + t.map(([k, v]) => `${k}=${v}`).join(","));
  const state = Array.from({ length: hosts }, () => FIELDS.map(() => Math.floor(rand() * 100)));
  let t = 1451606400000000000n;
  let made = 0;
  let out: Point[] = [];
  while (made < total) {
    for (let h = 0; h < hosts && made < total; h++) {
      const fields: Field[] = FIELDS.map((key, f) => {
        if (floats) {
          // Full-precision random walk, as TSBS writes floats: the worst case for Gorilla.
          const v = Math.min(100, Math.max(0, state[h][f] + rand() * 2 - 1));
          state[h][f] = v;
          return { key, type: "float", value: v };
        }
        const v = Math.min(100, Math.max(0, Math.round(state[h][f]) + Math.floor(rand() * 11) - 5));
        state[h][f] = v;
        return { key, type: "integer", value: BigInt(v) };
      });
      out.push({ measurement: "cpu", tags: tagsets[h], key: keys[h], fields, time: t });
      made++;
      if (out.length === batch) {
        yield out;
        out = [];
      }
    }
    t += 10_000_000_000n;
  }
  if (out.length > 0) yield out;
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    n += e.isDirectory ? await dirBytes(p) : (await Deno.stat(p)).size;
  }
  return n;
}

const args = parseArgs({
  args: Deno.args,
  options: {
    points: { type: "string", default: "1000000" },
    batch: { type: "string", default: "5000" },
    hosts: { type: "string", default: "100" },
    values: { type: "string", default: "integer" },
  },
});
const total = Number(args.values.points);
const batchSize = Number(args.values.batch);
const hosts = Number(args.values.hosts);
const VALUES = args.values.values;

const dir = await Deno.makeTempDir({ prefix: "chronoraft-bench-" });
try {
  const shard = new Shard({ dir });
  await shard.open();
  // Generating points costs CPU too; time it alone and subtract it from the loop below, so
  // background compaction running between batches is not counted as free.
  const g0 = performance.now();
  for (const _ of batches(total, batchSize, hosts)) { /* generate only */ }
  const genMs = performance.now() - g0;
  const cpu0 = cpuUsage();
  let written = 0;
  const l0 = performance.now();
  for (const b of batches(total, batchSize, hosts)) {
    const r = await shard.writePoints(b);
    written += r.written;
    if (r.errors.length > 0) throw new Error(r.errors[0].message);
  }
  const writeMs = performance.now() - l0 - genMs;
  const t1 = performance.now();
  await shard.close();
  const closeMs = performance.now() - t1;
  const cpu = cpuUsage(cpu0);
  const bytes = await dirBytes(dir);
  const rss = Deno.memoryUsage().rss;
  console.log(JSON.stringify({
    points: written,
    batch: batchSize,
    hosts,
    values: VALUES,
    write_points_per_s: Math.round(written / (writeMs / 1000)),
    write_incl_close_points_per_s: Math.round(written / ((writeMs + closeMs) / 1000)),
    close_ms: Math.round(closeMs),
    generate_ms: Math.round(genMs),
    loop_wall_ms_incl_generation: Math.round(writeMs + genMs),
    // CPU of the whole process (data generation included): steadier than wall time on a busy host.
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    disk_bytes: bytes,
    bytes_per_point: +(bytes / written).toFixed(2),
    rss_mib: Math.round(rss / 1048576),
  }));
} finally {
  if (!Deno.env.get("KEEP")) await Deno.remove(dir, { recursive: true });
  else console.log(dir);
}
