/**
 * Issue 4's end-to-end checks with real processes from configs/: three meta nodes form a
 * cluster (the first `single`, two `join`), survive a kill -9 of the leader under a stream of
 * writes, catch up a stopped node by snapshot, and remove/add a member without losing writes.
 */
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/mod.ts";
import { MetaCluster, type MetaMember } from "./meta_cluster.ts";
import { eventually, freePort, kill9, startNode, waitFor, withTempDir } from "./node_process.ts";

/** Writes `db_<prefix>_<n>` databases through the running members until stopped. */
function writeStream(cluster: MetaCluster, prefix: string) {
  const acked: string[] = [];
  let stop = false;
  let n = 0;
  const done = (async () => {
    while (!stop) {
      const members = cluster.running();
      const via = members[n % members.length];
      const name = `db_${prefix}_${n++}`;
      if (via && await cluster.createDatabase(via, name)) acked.push(name);
      else await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    acked,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

async function assertAllHave(cluster: MetaCluster, names: string[]): Promise<void> {
  for (const m of cluster.running()) {
    await eventually(`${m.name} has all ${names.length} acknowledged databases`, async () => {
      const dbs = await cluster.databases(m);
      const missing = names.filter((n) => !dbs.has(n));
      return missing.length === 0;
    }, 30_000);
  }
}

async function ctl(meta: string, ...args: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(["ctl", "--meta", meta, ...args], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  });
  return { code, out, err };
}

Deno.test({
  name: "3 meta nodes: kill -9 the leader under writes, restart, nothing acknowledged is lost",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (dir) => {
      const cluster = await MetaCluster.start(dir);
      try {
        const shown = await ctl(cluster.members[0].admin, "show");
        assert.equal(shown.code, 0, shown.err);
        assert.match(shown.out, /Meta Nodes/);
        assert.match(shown.out, /leader/);

        const stream = writeStream(cluster, "a");
        await eventually("some writes", () => Promise.resolve(stream.acked.length > 20));
        const leader = await cluster.leader();
        await kill9(leader.proc!);
        leader.proc = null;
        const before = stream.acked.length;
        const killedAt = Date.now();
        await eventually("writes resume on the survivors", () =>
          Promise.resolve(stream.acked.length > before + 5), 15_000);
        console.log(`writes resumed ${Date.now() - killedAt} ms after kill -9 of the leader`);
        await cluster.startMember(leader);
        await new Promise((r) =>
          setTimeout(r, 500)
        );
        await stream.stop();
        await assertAllHave(cluster, stream.acked);
      } finally {
        const codes = await cluster.stop();
        assert.ok(codes.every((c) => c === 0), `clean exits: ${codes}`);
      }
    }),
});

Deno.test({
  name: "a node stopped while 10,000 entries commit catches up by snapshot after restart",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (dir) => {
      const cluster = await MetaCluster.start(dir, "snapshot_logs_since_last = 1000");
      try {
        const leader = await cluster.leader();
        const follower = cluster.members.find((m) => m !== leader)!;
        assert.equal((await follower.proc!.stop("SIGTERM")).code, 0);
        follower.proc = null;
        const names: string[] = [];
        const workers = Array.from({ length: 32 }, async (_, w) => {
          for (let i = w; i < 10_000; i += 32) {
            const name = `db_s_${i}`;
            const via = cluster.running()[i % 2];
            await eventually(`ack ${name}`, () => cluster.createDatabase(via, name));
            names.push(name);
          }
        });
        await Promise.all(workers);
        await cluster.startMember(follower);
        await assertAllHave(cluster, names);
        // It had no snapshot of its own when stopped, so a restore means the leader sent one.
        assert.match(follower.proc!.stderr(), /meta state restored from a snapshot/);
      } finally {
        await cluster.stop();
      }
    }),
});

Deno.test({
  name: "remove-meta then add-meta of a node while writes continue loses nothing",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (dir) => {
      const cluster = await MetaCluster.start(dir);
      try {
        const stream = writeStream(cluster, "r");
        await eventually("some writes", () => Promise.resolve(stream.acked.length > 10));
        const leader = await cluster.leader();
        const victim: MetaMember = cluster.members.find((m) => m !== leader)!;
        const removed = await ctl(leader.admin, "remove-meta", victim.admin);
        assert.equal(removed.code, 0, removed.err);
        await victim.proc!.stop("SIGTERM");
        victim.proc = null;
        await cluster.waitVoters(2, leader);

        // A removed node refuses to start again from its raft_dir.
        const again = startNode(["serve", "-c", `${victim.name}.toml`], dir);
        const status = await again.child.status;
        await again.stop();
        assert.notEqual(status.code, 0);
        assert.match(again.stderr(), /was removed from cluster/);

        // A fresh node (new id, empty dir, neither single nor join) is added with ctl add-meta.
        const toml = (await Deno.readTextFile(`${dir}/${victim.name}.toml`))
          .replace(/^id = \d+/m, "id = 4")
          .replace(/raft_dir = "[^"]+"/, 'raft_dir = "meta-4"')
          .replace(/^join = .*$/m, "");
        await Deno.writeTextFile(`${dir}/meta-4.toml`, toml);
        const fresh: MetaMember = { name: "meta-4", id: 4, admin: victim.admin, proc: null };
        fresh.proc = startNode(["serve", "-c", "meta-4.toml"], dir);
        await waitFor(`http://${fresh.admin}/v1/health`, 503);
        cluster.members.push(fresh);
        const added = await ctl(leader.admin, "add-meta", fresh.admin);
        assert.equal(added.code, 0, added.err);
        await cluster.waitVoters(3, leader);
        await new Promise((r) => setTimeout(r, 300));
        await stream.stop();
        await assertAllHave(cluster, stream.acked);
      } finally {
        await cluster.stop();
      }
    }),
});

Deno.test({
  name: "a node whose raft_dir belongs to another cluster refuses to join this one",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (dir) => {
      const cfg = (id: number, raft: number, admin: number, boot: string) =>
        `[raft_config]\nid = ${id}\nraft_dir = "n${id}"\nraft_advertise_host = "127.0.0.1"\n` +
        `raft_api_port = ${raft}\n${boot}\n[meta]\nadmin_api_address = "127.0.0.1:${admin}"\n`;
      const [ra, aa, rb, ab] = [freePort(), freePort(), freePort(), freePort()];
      // Node 1 bootstraps cluster A; node 2 bootstraps cluster B.
      await Deno.writeTextFile(`${dir}/a.toml`, cfg(1, ra, aa, "single = true"));
      await Deno.writeTextFile(`${dir}/b.toml`, cfg(2, rb, ab, "single = true"));
      const a = startNode(["serve", "-c", "a.toml"], dir);
      const b = startNode(["serve", "-c", "b.toml"], dir);
      try {
        await waitFor(`http://127.0.0.1:${aa}/v1/health`);
        await waitFor(`http://127.0.0.1:${ab}/v1/health`);
        assert.equal((await a.stop("SIGTERM")).code, 0);
        // Restart node 1 from cluster A's raft_dir, configured to join cluster B.
        await Deno.writeTextFile(
          `${dir}/a.toml`,
          cfg(1, ra, aa, `join = ["127.0.0.1:${ab}"]`),
        );
        const again = startNode(["serve", "-c", "a.toml"], dir);
        const status = await again.child.status;
        await again.stop();
        assert.notEqual(status.code, 0);
        assert.match(again.stderr(), /belongs to cluster .* is in cluster /);
      } finally {
        await b.stop("SIGTERM");
      }
    }),
});
