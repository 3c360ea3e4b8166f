/**
 * `deno task bench:raft`: the replicated meta service against etcd 3.4, side by side, on
 * 3-node loopback clusters of real processes. For each system:
 *   - committed commands/s and p50/p99 latency with 1 and 64 concurrent clients
 *     (Chronoraft: CREATE DATABASE through POST /v1/meta/command; etcd: PUT through its
 *     JSON gateway /v3/kv/put — both ~100-byte requests over HTTP/JSON);
 *   - failover: kill -9 the leader, time until the first acknowledged write;
 *   - catch-up: a follower stopped while N writes commit (default 100k), time from its
 *     restart until it has applied all of them.
 * Flags: --seconds S (per throughput case, default 10), --catchup N (default 100000),
 * --only chronoraft|etcd. etcd comes from Debian's etcd-server (installed when missing).
 */
import { parseArgs } from "node:util";
import { MetaCluster } from "../tests/e2e/meta_cluster.ts";
import { eventually, freePort, kill9, withTempDir } from "../tests/e2e/node_process.ts";
import { ensureDebianPackage } from "./debian.ts";
import { EtcdCluster } from "./etcd_cluster.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "10" },
    catchup: { type: "string", default: "100000" },
    only: { type: "string" },
  },
});
const SECONDS = Number(args.values.seconds);
const CATCHUP = Number(args.values.catchup);
const PAYLOAD = "x".repeat(80);

/** Something that accepts one replicated write through any of its members. */
interface System {
  readonly name: string;
  /** Sends one write of ~100 bytes through member `i` (round robin); true when acknowledged. */
  write(i: number, n: number): Promise<boolean>;
}

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** `clients` loops writing for `seconds`; throughput and latency percentiles. */
async function throughput(sys: System, clients: number, seconds: number): Promise<Figures> {
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  let seq = 0;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      if (await sys.write(c, seq++)) lat.push(performance.now() - t0);
    }
  }));
  lat.sort((a, b) => a - b);
  return { perSecond: lat.length / seconds, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) };
}

/** Writes `total` commands with 64 clients as fast as they commit. */
async function bulk(sys: System, total: number, offset: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async (_, c) => {
    for (let n = next++; n < total; n = next++) {
      while (!await sys.write(c, offset + n)) await new Promise((r) => setTimeout(r, 10));
    }
  }));
}

/**
 * Time (ms) from now until a write through the survivors is acknowledged. A new attempt starts
 * every 10 ms without waiting for earlier ones, so a request stuck on the dead leader does not
 * hide the moment the cluster accepts writes again.
 */
function firstAck(sys: System, members: number[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let done = false;
    let n = 0;
    const timer = setInterval(() => {
      const i = n++;
      sys.write(members[i % members.length], 1e9 + i).then((ok) => {
        if (ok && !done) {
          done = true;
          clearInterval(timer);
          resolve(performance.now() - t0);
        }
      });
    }, 10);
  });
}

interface Report {
  name: string;
  one: Figures;
  many: Figures;
  failoverMs: number;
  catchupMs: number;
}

async function benchChronoraft(): Promise<Report> {
  return await withTempDir(async (dir) => {
    const cluster = await MetaCluster.start(dir);
    try {
      const members = () => cluster.running();
      const sys: System = {
        name: "chronoraft",
        write: async (i, n) => {
          const m = members()[i % members().length];
          const res = await fetch(`http://${m.admin}/v1/meta/command`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            // 1000 distinct names: the meta state stays small, every write is a raft entry.
            body: `{"kind":"createDatabase","name":"db_${n % 1000}_${PAYLOAD}"}`,
          }).catch(() => null);
          await res?.body?.cancel();
          return res?.status === 200;
        },
      };
      const one = await throughput(sys, 1, SECONDS);
      const many = await throughput(sys, 64, SECONDS);
      const leader = await cluster.leader();
      const survivors = cluster.members.filter((m) => m !== leader);
      await kill9(leader.proc!);
      leader.proc = null;
      const failoverMs = await firstAck(sys, survivors.map((m) => cluster.members.indexOf(m)));
      await cluster.startMember(leader);
      await cluster.waitVoters(3);

      const lead = await cluster.leader();
      const follower = cluster.members.find((m) => m !== lead)!;
      await follower.proc!.stop("SIGTERM");
      follower.proc = null;
      await bulk(sys, CATCHUP, 0);
      const status = async (m: typeof lead) =>
        await (await fetch(`http://${m.admin}/v1/cluster/status`)).json();
      const target = (await status(lead)).commitIndex as number;
      const t0 = performance.now();
      await cluster.startMember(follower);
      await eventually(
        "follower caught up",
        async () => (await status(follower)).appliedIndex >= target,
        600_000,
      );
      return { name: sys.name, one, many, failoverMs, catchupMs: performance.now() - t0 };
    } finally {
      await cluster.stop();
    }
  });
}

async function benchEtcd(): Promise<Report> {
  await ensureDebianPackage("etcd", "etcd-server");
  return await withTempDir(async (dir) => {
    const cluster = await EtcdCluster.start(dir, [1, 2, 3].map(() => [freePort(), freePort()]));
    try {
      const sys: System = {
        name: "etcd 3.4",
        write: (i, n) => cluster.put(i, `key_${n % 1000}_${PAYLOAD}`, PAYLOAD),
      };
      const one = await throughput(sys, 1, SECONDS);
      const many = await throughput(sys, 64, SECONDS);
      const leader = await cluster.leader();
      const survivors = [0, 1, 2].filter((i) => i !== leader);
      await cluster.kill(leader);
      const failoverMs = await firstAck(sys, survivors);
      await cluster.restart(leader);
      const follower = survivors[0] === (await cluster.leader()) ? survivors[1] : survivors[0];
      await cluster.stop(follower);
      // Writes go to the two live members only.
      const live = (i: number) => (follower + 1 + (i % 2)) % 3;
      await bulk({ ...sys, write: (i, n) => sys.write(live(i), n) }, CATCHUP, 0);
      const target = await cluster.revision(await cluster.leader());
      const t0 = performance.now();
      await cluster.restart(follower);
      await eventually(
        "follower caught up",
        async () => (await cluster.revision(follower)) >= target,
        600_000,
      );
      return { name: sys.name, one, many, failoverMs, catchupMs: performance.now() - t0 };
    } finally {
      await cluster.close();
    }
  });
}

const reports: Report[] = [];
if (args.values.only !== "etcd") reports.push(await benchChronoraft());
if (args.values.only !== "chronoraft") reports.push(await benchEtcd());
const f = (x: number) => x.toFixed(1);
console.log(
  `\nbench:raft — 3 nodes on loopback, ~100-byte writes, ${SECONDS}s per case, ` +
    `catch-up of ${CATCHUP} writes\n`,
);
console.log(
  "| system | 1 client: ops/s | p50 ms | p99 ms | 64 clients: ops/s | p50 ms | p99 ms | failover ms | catch-up ms |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of reports) {
  console.log(
    `| ${r.name} | ${f(r.one.perSecond)} | ${f(r.one.p50)} | ${f(r.one.p99)} | ` +
      `${f(r.many.perSecond)} | ${f(r.many.p50)} | ${f(r.many.p99)} | ${f(r.failoverMs)} | ` +
      `${f(r.catchupMs)} |`,
  );
}
