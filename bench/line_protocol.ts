/**
 * Micro bench of the line protocol parser on DevOps-like lines (10 tags, 10 float fields,
 * a nanosecond timestamp) into the columnar batch the write path uses:
 * `deno run bench/line_protocol.ts [lines] [rounds]`.
 */
import { cpuUsage } from "node:process";
import { parsePointBatch } from "../src/models/mod.ts";
import { DEVOPS_FIELDS } from "./devops_data.ts";

const REGIONS = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "eu-central-1",
  "ap-southeast-1",
];

/** Builds `n` lines like the influxdb-comparisons DevOps `cpu` measurement. */
export function devopsLines(n: number): string {
  const lines: string[] = [];
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < n; i++) {
    const host = i % 100;
    const region = REGIONS[host % REGIONS.length];
    const tags = `hostname=host_${host},region=${region},datacenter=${region}a,rack=${host % 40},` +
      `os=Ubuntu16.10,arch=x64,team=SF,service=${host % 20},service_version=${host % 2},` +
      `service_environment=production`;
    const names = DEVOPS_FIELDS;
    const fields = names.map((f) => `${f}=${(rnd() * 100).toFixed(1)}`).join(",");
    const t = 1600000000000000000n + BigInt(Math.floor(i / 100)) * 10_000_000_000n;
    lines.push(`cpu,${tags} ${fields} ${t}`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const n = Number(Deno.args[0] ?? 5000);
  const rounds = Number(Deno.args[1] ?? 200);
  const body = new TextEncoder().encode(devopsLines(n));
  const opts = { precision: "ns" as const, now: 0n };
  for (let i = 0; i < 20; i++) parsePointBatch(body, opts); // warm up
  let parsed = 0;
  const start = performance.now();
  const cpu0 = cpuUsage();
  for (let r = 0; r < rounds; r++) parsed += parsePointBatch(body, opts).batch.length;
  const cpu = cpuUsage(cpu0);
  const secs = (performance.now() - start) / 1000;
  // CPU time (user + system) is reported too: on a shared machine wall time overstates.
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const rate = (s: number) => Math.round(parsed / s);
  console.log(
    `line protocol: ${parsed} lines (${body.length * rounds} bytes) in ${secs.toFixed(2)} s wall ` +
      `= ${rate(secs)} lines/s; ${cpuSecs.toFixed(2)} s CPU = ${rate(cpuSecs)} lines/s per core`,
  );
  // Yardstick for a busy machine: one bare JS pass over the same bytes, same number of rounds.
  let sum = 0;
  const loop0 = cpuUsage();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < body.length; i++) sum += body[i];
  const loop = cpuUsage(loop0);
  const loopSecs = (loop.user + loop.system) / 1e6;
  console.log(
    `bare byte loop over the same bytes: ${loopSecs.toFixed(2)} s CPU ` +
      `(parse = ${(cpuSecs / loopSecs).toFixed(1)}x one pass; checksum ${sum % 7})`,
  );
}
