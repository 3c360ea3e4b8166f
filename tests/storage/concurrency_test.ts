import assert from "node:assert/strict";
import { tagPredicate } from "../../src/storage/mod.ts";
import { dump, openShard, pt, readField, withTempDir } from "./helpers.ts";

type OpenShard = Awaited<ReturnType<typeof openShard>>;

/** Runs `check` on the shard, and again after a simulated crash and reopen. */
async function checkAcrossCrash(
  dir: string,
  shard: OpenShard,
  check: (s: OpenShard) => Promise<void>,
): Promise<void> {
  await check(shard);
  shard.abandon();
  await new Promise((r) => setTimeout(r, 0));
  const again = await openShard(dir);
  await check(again);
  await again.close();
}

Deno.test("concurrency: overlapping writes, reads, compactions and a delete stay consistent", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, {
      autoCompact: true,
      blockSize: 50,
      compaction: { maxCacheBytes: 30_000 },
    });
    const writes = [];
    for (let b = 0; b < 12; b++) {
      const batch = [];
      for (let i = 0; i < 120; i++) {
        const t = BigInt(b * 120 + i);
        batch.push(pt("m", { k: String(i % 4) }, { v: Number(t), w: t }, t));
      }
      writes.push(shard.writePoints(batch));
      if (b === 5) writes.push(shard.compact());
      if (b === 8) writes.push(readField(shard, "m", "m,k=0", "v"));
    }
    writes.push(shard.deleteSeries("m", tagPredicate.eq("k", "3"), { min: 0n, max: 99999n }));
    await Promise.all(writes);
    const check = async (s: OpenShard) => {
      const all = await dump(s, "m", ["v", "w"]);
      assert.deepEqual(Object.keys(all), ["m,k=0", "m,k=1", "m,k=2", "m,k=3"]);
      assert.deepEqual(all["m,k=3"], []);
      for (const k of ["m,k=0", "m,k=1", "m,k=2"]) {
        assert.equal(all[k].length, 360);
        for (const [t, v, w] of all[k]) {
          assert.equal(v, Number(t));
          assert.equal(w, t);
        }
      }
    };
    await checkAcrossCrash(dir, shard, check);
  });
});

Deno.test("concurrency: pipelined writes land in submission order, new series among them", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, {
      autoCompact: true,
      blockSize: 40,
      compaction: { maxCacheBytes: 20_000 },
    });
    // 30 batches in flight at once, all rewriting the same timestamps: the last submitted
    // value must win. Every third batch also introduces a new series and a new field.
    const writes = [];
    for (let b = 0; b < 30; b++) {
      const batch = [];
      for (let i = 0; i < 50; i++) batch.push(pt("m", { k: "a" }, { v: b }, BigInt(i)));
      if (b % 3 === 0) batch.push(pt("m", { k: `new${b}` }, { v: b, [`f${b}`]: b }, 0n));
      writes.push(shard.writePoints(batch));
      if (b === 10 || b === 20) writes.push(shard.compact());
    }
    const results = await Promise.all(writes);
    for (const r of results) if (r && "errors" in r) assert.deepEqual(r.errors, []);
    const check = async (s: OpenShard) => {
      const all = await dump(s, "m", ["v"]);
      assert.equal(all["m,k=a"].length, 50);
      for (const [, v] of all["m,k=a"]) assert.equal(v, 29);
      for (let b = 0; b < 30; b += 3) assert.deepEqual(all[`m,k=new${b}`], [[0n, b]]);
    };
    await checkAcrossCrash(dir, shard, check);
  });
});
