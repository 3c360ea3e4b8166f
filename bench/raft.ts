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
 * --only chronoraft|etcd, --rounds R (default 1: throughput and failover run R times per
 * system, alternating between the systems, and the median is reported — for a shared, noisy
 * host). Both clusters run side by side. etcd comes from Debian's etcd-server (installed when
 * missing).
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
    rounds: { type: "string", default: "1" },
  },
});
const SECONDS = Number(args.values.seconds);
const CATCHUP = Number(args.values.catchup);
const ROUNDS = Math.max(1, Number(args.values.rounds));
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

/** A running cluster under test: its writes, and its failover and catch-up drills. */
interface Contender {
  readonly sys: System;
  /** Kills the leader with SIGKILL; ms until the survivors acknowledge a write; restarts it. */
  failover(): Promise<number>;
  /** Stops a follower while `CATCHUP` writes commit; ms from its restart until it caught up. */
  catchup(): Promise<number>;
  close(): Promise<void>;
}

async function startChronoraft(dir: string): Promise<Contender> {
  const cluster = await MetaCluster.start(dir);
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
  return {
    sys,
    failover: async () => {
      const leader = await cluster.leader();
      const survivors = cluster.members.filter((m) => m !== leader);
      await kill9(leader.proc!);
      leader.proc = null;
      const ms = await firstAck(sys, survivors.map((m) => cluster.members.indexOf(m)));
      await cluster.startMember(leader);
      await cluster.waitVoters(3);
      return ms;
    },
    catchup: async () => {
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
      return performance.now() - t0;
    },
    close: async () => {
      await cluster.stop();
    },
  };
}

async function startEtcd(dir: string): Promise<Contender> {
  await ensureDebianPackage("etcd", "etcd-server");
  const cluster = await EtcdCluster.start(dir, [1, 2, 3].map(() => [freePort(), freePort()]));
  const sys: System = {
    name: "etcd 3.4",
    write: (i, n) => cluster.put(i, `key_${n % 1000}_${PAYLOAD}`, PAYLOAD),
  };
  return {
    sys,
    failover: async () => {
      const leader = await cluster.leader();
      await cluster.kill(leader);
      const ms = await firstAck(sys, [0, 1, 2].filter((i) => i !== leader));
      await cluster.restart(leader);
      return ms;
    },
    catchup: async () => {
      const leader = await cluster.leader();
      const follower = [0, 1, 2].find((i) => i !== leader)!;
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
      return performance.now() - t0;
    },
    close: () => cluster.close(),
  };
}

function median<T>(xs: T[], key: (x: T) => number): T {
  return [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];
}

/**
 * Runs every case on each contender in turn, `ROUNDS` times for throughput and failover (the
 * median round is reported), so both systems see the same background load on a shared host.
 */
async function run(contenders: Contender[]): Promise<Report[]> {
  const rounds = contenders.map(() => ({ one: [] as Figures[], many: [] as Figures[] }));
  const failovers = contenders.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of contenders.entries()) {
      rounds[i].one.push(await throughput(c.sys, 1, SECONDS));
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of contenders.entries()) {
      rounds[i].many.push(await throughput(c.sys, 64, SECONDS));
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of contenders.entries()) failovers[i].push(await c.failover());
  }
  const catchups: number[] = [];
  for (const c of contenders) catchups.push(await c.catchup());
  return contenders.map((c, i) => ({
    name: c.sys.name,
    one: median(rounds[i].one, (f) => f.perSecond),
    many: median(rounds[i].many, (f) => f.perSecond),
    failoverMs: median(failovers[i], (x) => x),
    catchupMs: catchups[i],
  }));
}

const reports = await withTempDir(async (dir) => {
  const contenders: Contender[] = [];
  try {
    if (args.values.only !== "etcd") {
      await Deno.mkdir(`${dir}/chronoraft`);
      contenders.push(await startChronoraft(`${dir}/chronoraft`));
    }
    if (args.values.only !== "chronoraft") {
      await Deno.mkdir(`${dir}/etcd`);
      contenders.push(await startEtcd(`${dir}/etcd`));
    }
    return await run(contenders);
  } finally {
    for (const c of contenders) await c.close();
  }
});
const f = (x: number) => x.toFixed(1);
console.log(
  `\nbench:raft — 3 nodes on loopback, ~100-byte writes, ${SECONDS}s per case, ` +
    `catch-up of ${CATCHUP} writes` + (ROUNDS > 1 ? `, median of ${ROUNDS} rounds` : "") + "\n",
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
