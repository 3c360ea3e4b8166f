/**
 * Deterministic DevOps-like data (the influxdb-comparisons "cpu" shape): 100 hosts with nine
 * tags each, ten float fields per point, one point per host every 10 s.
 */

import { mulberry32 } from "../src/util/random.ts";

const REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1"];
/** The ten cpu fields of the DevOps data set. */
export const DEVOPS_FIELDS = [
  "usage_user",
  "usage_system",
  "usage_idle",
  "usage_nice",
  "usage_iowait",
  "usage_irq",
  "usage_softirq",
  "usage_steal",
  "usage_guest",
  "usage_guest_nice",
];

/** mulberry32, shared with the rest of the project. */
export const prng = mulberry32;

/** The series key prefix (measurement and tags) of each host. */
export function hostTags(hosts: number): string[] {
  return Array.from({ length: hosts }, (_, h) => {
    const region = REGIONS[h % REGIONS.length];
    return `cpu,arch=x64,datacenter=${region}a,hostname=host_${h},os=Ubuntu16.04LTS,` +
      `rack=${h % 100},region=${region},service=${h % 20},service_environment=production,` +
      `service_version=${h % 2},team=SF`;
  });
}

/** The start of the generated data: 2016-01-01T00:00:00Z in ns. */
export const START_NS = 1_451_606_400_000_000_000n;
/** Interval between a host's points. */
export const INTERVAL_NS = 10_000_000_000n;

/**
 * Yields line-protocol batches of `batchSize` points, `total` points in all, in time order:
 * each timestamp has one point per host.
 */
export function* devopsBatches(
  total: number,
  batchSize: number,
  hosts = 100,
  seed = 1,
): Generator<string> {
  const rnd = prng(seed);
  const tags = hostTags(hosts);
  const state = tags.map(() => DEVOPS_FIELDS.map(() => rnd() * 100));
  let lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const h = i % hosts;
    const t = START_NS + BigInt(Math.floor(i / hosts)) * INTERVAL_NS;
    const vals = state[h];
    let fields = "";
    for (let f = 0; f < DEVOPS_FIELDS.length; f++) {
      // A bounded random walk, rounded like real gauges.
      vals[f] = Math.min(100, Math.max(0, vals[f] + (rnd() - 0.5) * 2));
      fields += `${f ? "," : ""}${DEVOPS_FIELDS[f]}=${Math.round(vals[f] * 100) / 100}`;
    }
    lines.push(`${tags[h]} ${fields} ${t}`);
    if (lines.length === batchSize) {
      yield lines.join("\n");
      lines = [];
    }
  }
  if (lines.length) yield lines.join("\n");
}
