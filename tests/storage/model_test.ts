/**
 * Model-based test: random writes, compactions, deletes, clean reopens and simulated crashes
 * against a plain in-memory model; after every step the shard must read back exactly the model.
 */

import assert from "node:assert/strict";
import type { FieldValue } from "../../src/models/point.ts";
import { type Shard, tagPredicate } from "../../src/storage/mod.ts";
import { dump, openShard, pt, readField, readFieldDescending, withTempDir } from "./helpers.ts";
import { mulberry32 } from "../../src/util/random.ts";

type Model = Map<string, Map<bigint, Map<string, FieldValue>>>;

const FIELDS: [string, (r: () => number) => FieldValue][] = [
  ["f", (r) => Math.round(r() * 1000) / 10],
  ["i", (r) => BigInt(Math.floor(r() * 2000) - 1000)],
  ["s", (r) => "s" + Math.floor(r() * 50)],
  ["b", (r) => r() < 0.5],
];
const HOSTS = ["a", "b", "c", "d", "e"];

const prng = mulberry32;

function expected(model: Model): Record<string, [bigint, ...(FieldValue | null)[]][]> {
  const out: Record<string, [bigint, ...(FieldValue | null)[]][]> = {};
  for (const key of [...model.keys()].sort()) {
    const rows = [...model.get(key)!.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    out[key] = rows.map(([t, fs]) => [t, ...FIELDS.map(([f]) => fs.has(f) ? fs.get(f)! : null)]);
  }
  return out;
}

async function runSeed(seed: number): Promise<void> {
  await withTempDir(async (dir) => {
    const r = prng(seed);
    const ranges = prng(seed + 1000); // apart from `r`, so the scenario stays as it was
    const model: Model = new Map();
    const open = () =>
      openShard(dir, { blockSize: 4, autoCompact: r() < 0.5, compaction: { maxCacheBytes: 4000 } });
    let shard: Shard = await open();
    for (let step = 0; step < 60; step++) {
      const op = r();
      if (op < 0.5) {
        const batch = [];
        for (let n = Math.floor(r() * 20) + 1; n > 0; n--) {
          const host = HOSTS[Math.floor(r() * HOSTS.length)];
          const t = BigInt(Math.floor(r() * 100));
          const fields: Record<string, FieldValue> = {};
          for (const [f, gen] of FIELDS) if (r() < 0.6) fields[f] = gen(r);
          if (Object.keys(fields).length === 0) fields.f = 1.5;
          batch.push(pt("m", { host }, fields, t));
          const key = `m,host=${host}`;
          if (!model.has(key)) model.set(key, new Map());
          const row = model.get(key)!.get(t) ?? new Map();
          for (const [f, v] of Object.entries(fields)) row.set(f, v);
          model.get(key)!.set(t, row);
        }
        const res = await shard.writePoints(batch);
        assert.deepEqual(res.errors, []);
      } else if (op < 0.62) {
        await shard.compact();
      } else if (op < 0.72) {
        const host = HOSTS[Math.floor(r() * HOSTS.length)];
        const min = BigInt(Math.floor(r() * 100));
        const max = min + BigInt(Math.floor(r() * 40));
        await shard.deleteSeries("m", tagPredicate.eq("host", host), { min, max });
        const rows = model.get(`m,host=${host}`);
        for (const t of [...(rows?.keys() ?? [])]) if (t >= min && t <= max) rows!.delete(t);
      } else if (op < 0.76) {
        const host = HOSTS[Math.floor(r() * HOSTS.length)];
        await shard.deleteSeries("m", tagPredicate.eq("host", host));
        model.delete(`m,host=${host}`);
      } else if (op < 0.86) {
        await shard.close();
        shard = await open();
      } else {
        // Half the time the crash lands in the middle of a background compaction.
        if (r() < 0.5) await shard.settled();
        const crashed = shard;
        crashed.abandon();
        await crashed.settled();
        shard = await open();
      }
      assert.deepEqual(
        await dump(shard, "m", FIELDS.map(([f]) => f)),
        expected(model),
        `seed ${seed} step ${step}`,
      );
      // Newest-first reads (last()) see the same values, over a random range too; they may
      // learn a series' last block, which later compactions then rely on.
      const lo = BigInt(Math.floor(ranges() * 100));
      const hi = lo + BigInt(Math.floor(ranges() * 60));
      for (const key of model.keys()) {
        for (const [f] of FIELDS) {
          assert.deepEqual(
            await readFieldDescending(shard, "m", key, f, lo, hi),
            await readField(shard, "m", key, f, lo, hi),
            `seed ${seed} step ${step} ${key} ${f} [${lo}, ${hi}]`,
          );
          assert.deepEqual(
            await readFieldDescending(shard, "m", key, f),
            await readField(shard, "m", key, f),
            `seed ${seed} step ${step} ${key} ${f}`,
          );
        }
      }
    }
    await shard.close();
  });
}

for (const seed of (Deno.env.get("MODEL_SEEDS") ?? "1,2,3,4,5,6,7,8").split(",").map(Number)) {
  Deno.test(`model: random writes, compactions, deletes, reopens and crashes (seed ${seed})`, async () => {
    await runSeed(seed);
  });
}
