import assert from "node:assert/strict";
import { tagPredicate } from "../../src/storage/mod.ts";
import { openShard, pt, readField, withTempDir } from "./helpers.ts";

const all = tagPredicate.all();

async function seed(dir: string) {
  const shard = await openShard(dir);
  await shard.writePoints([
    pt("cpu", { host: "a" }, { v: 1 }, 10n),
    pt("cpu", { host: "a" }, { v: 2 }, 20n),
    pt("cpu", { host: "b" }, { v: 3 }, 10n),
    pt("mem", { host: "a" }, { free: 5n }, 10n),
  ]);
  return shard;
}

for (const compactFirst of [false, true]) {
  const where = compactFirst ? "blocks" : "cache";
  Deno.test(`delete: a time-ranged DELETE from the ${where} survives reopen and crash`, async () => {
    await withTempDir(async (dir) => {
      const shard = await seed(dir);
      if (compactFirst) await shard.compact();
      const n = await shard.deleteSeries("cpu", tagPredicate.eq("host", "a"), {
        min: 0n,
        max: 15n,
      });
      assert.equal(n, 1);
      assert.deepEqual(await readField(shard, "cpu", "cpu,host=a", "v"), [[20n, 2]]);
      // A later write inside the deleted range is kept.
      await shard.writePoints([pt("cpu", { host: "a" }, { v: 9 }, 12n)]);
      shard.abandon();
      const again = await openShard(dir);
      assert.deepEqual(await readField(again, "cpu", "cpu,host=a", "v"), [[12n, 9], [20n, 2]]);
      assert.deepEqual(await readField(again, "cpu", "cpu,host=b", "v"), [[10n, 3]]);
      assert.deepEqual(again.reader.seriesKeys("cpu"), ["cpu,host=a", "cpu,host=b"]);
      await again.close();
      const third = await openShard(dir);
      assert.deepEqual(await readField(third, "cpu", "cpu,host=a", "v"), [[12n, 9], [20n, 2]]);
      await third.close();
    });
  });

  Deno.test(`delete: DROP SERIES from the ${where} removes data and index entries durably`, async () => {
    await withTempDir(async (dir) => {
      const shard = await seed(dir);
      if (compactFirst) await shard.compact();
      assert.equal(await shard.deleteSeries("cpu", tagPredicate.eq("host", "a")), 1);
      assert.deepEqual(shard.reader.seriesKeys("cpu"), ["cpu,host=b"]);
      assert.deepEqual(shard.reader.tagValues("cpu", "host"), ["b"]);
      shard.abandon();
      const again = await openShard(dir);
      assert.deepEqual(again.reader.seriesKeys("cpu"), ["cpu,host=b"]);
      assert.deepEqual(await readField(again, "cpu", "cpu,host=a", "v"), []);
      // Writing the series again starts it afresh.
      await again.writePoints([pt("cpu", { host: "a" }, { v: 7 }, 30n)]);
      assert.deepEqual(await readField(again, "cpu", "cpu,host=a", "v"), [[30n, 7]]);
      await again.close();
      const third = await openShard(dir);
      assert.deepEqual(await readField(third, "cpu", "cpu,host=a", "v"), [[30n, 7]]);
      assert.deepEqual(await readField(third, "mem", "mem,host=a", "free"), [[10n, 5n]]);
      await third.close();
    });
  });

  Deno.test(`delete: DROP MEASUREMENT from the ${where} frees its field types`, async () => {
    await withTempDir(async (dir) => {
      const shard = await seed(dir);
      if (compactFirst) await shard.compact();
      await shard.dropMeasurement("cpu");
      assert.deepEqual(shard.reader.measurements(), ["mem"]);
      assert.deepEqual(shard.reader.fieldKeys("cpu"), []);
      shard.abandon();
      const again = await openShard(dir);
      assert.deepEqual(again.reader.measurements(), ["mem"]);
      const r = await again.writePoints([pt("cpu", { host: "a" }, { v: "now a string" }, 40n)]);
      assert.deepEqual(r.errors, []);
      await again.close();
      const third = await openShard(dir);
      assert.deepEqual(await readField(third, "cpu", "cpu,host=a", "v"), [[40n, "now a string"]]);
      await third.close();
    });
  });
}

Deno.test("delete: nothing matches, nothing changes", async () => {
  await withTempDir(async (dir) => {
    const shard = await seed(dir);
    assert.equal(await shard.deleteSeries("cpu", tagPredicate.eq("host", "zzz")), 0);
    assert.equal(await shard.deleteSeries("nope", all), 0);
    assert.deepEqual(shard.reader.seriesKeys("cpu"), ["cpu,host=a", "cpu,host=b"]);
    await shard.close();
  });
});

Deno.test("delete: a range cutting through the middle of a block keeps both sides", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, { blockSize: 10 });
    const batch = [];
    for (let t = 0n; t < 35n; t++) batch.push(pt("m", {}, { v: Number(t) }, t));
    await shard.writePoints(batch);
    await shard.compact();
    await shard.deleteSeries("m", all, { min: 5n, max: 24n });
    const expected = [0, 1, 2, 3, 4, ...Array.from({ length: 10 }, (_, i) => 25 + i)].map((
      t,
    ) => [BigInt(t), t]);
    assert.deepEqual(await readField(shard, "m", "m", "v"), expected);
    await shard.close();
    const again = await openShard(dir);
    assert.deepEqual(await readField(again, "m", "m", "v"), expected);
    await again.close();
  });
});
