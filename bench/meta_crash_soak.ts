/**
 * `deno task soak:meta`: a 3-node meta cluster of real processes under 8 writers (CREATE
 * DATABASE through any live member). Every 1–2 s one member is killed with SIGKILL — the
 * leader half the time, else a random one — and restarted after up to 0.8 s. At the end every
 * acknowledged write must be in all three members' applied state; the run fails otherwise.
 * Flags: --cycles N (default 60), --seed S (default 1), --snapshot-every N (default 2000: small,
 * so restarts also cross snapshots and log compaction).
 */
import { parseArgs } from "node:util";
import { MetaCluster } from "../tests/e2e/meta_cluster.ts";
import { eventually, kill9, withTempDir } from "../tests/e2e/node_process.ts";
import { mulberry32 } from "../src/util/mod.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    cycles: { type: "string", default: "60" },
    seed: { type: "string", default: "1" },
    "snapshot-every": { type: "string", default: "2000" },
  },
});
const CYCLES = Number(args.values.cycles);
const rnd = mulberry32(Number(args.values.seed));
const t0 = performance.now();

await withTempDir(async (dir) => {
  const c = await MetaCluster.start(
    dir,
    `snapshot_logs_since_last = ${Number(args.values["snapshot-every"])}`,
  );
  const acked: string[] = [];
  let stop = false;
  let n = 0;
  const writers = Array.from({ length: 8 }, async () => {
    while (!stop) {
      const live = c.running();
      const via = live[n % Math.max(1, live.length)];
      const name = `db_${n++}`;
      if (via && await c.createDatabase(via, name)) acked.push(name);
      else await new Promise((r) => setTimeout(r, 10));
    }
  });
  try {
    for (let i = 0; i < CYCLES; i++) {
      await new Promise((r) => setTimeout(r, 1000 + rnd() * 1000));
      const victim = rnd() < 0.5 ? await c.leader() : c.members[Math.floor(rnd() * 3)];
      await kill9(victim.proc!);
      victim.proc = null;
      await new Promise((r) => setTimeout(r, rnd() * 800));
      await c.startMember(victim);
      console.error(
        `cycle ${i + 1}/${CYCLES}: killed ${victim.name}; ${acked.length} acknowledged`,
      );
    }
    stop = true;
    await Promise.all(writers);
    for (const m of c.running()) {
      await eventually(`${m.name} holds every acknowledged write`, async () => {
        const dbs = await c.databases(m);
        return acked.every((x) => dbs.has(x));
      }, 60_000);
    }
  } finally {
    stop = true;
    await c.stop();
  }
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(
    `soak:meta — ${CYCLES} kill -9 cycles (seed ${args.values.seed}), ${acked.length} ` +
      `acknowledged writes, all present on all 3 members after restarts (${s} s)`,
  );
});
