import assert from "node:assert/strict";
import { dirBytes, dump, openShard, pt, readField, unsignedPt, withTempDir } from "./helpers.ts";

Deno.test("shard: every field type round-trips from the cache and from blocks", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    const points = [
      pt("m", { host: "a" }, { f: 1.5, i: -7n, b: true, s: 'héllo "x"' }, 10n),
      pt("m", { host: "a" }, { f: -0, i: 9223372036854775807n, b: false, s: "" }, 20n),
      pt("m", { host: "a" }, { f: Infinity, i: -9223372036854775808n, b: true, s: "z" }, -5n),
      unsignedPt("m", "u", 18446744073709551615n, 30n),
    ];
    const r = await shard.writePoints(points);
    assert.deepEqual(r, { written: 4, errors: [] });
    const expected = {
      "m": [
        [30n, null, null, null, null, 18446744073709551615n],
      ],
      "m,host=a": [
        [-5n, Infinity, -9223372036854775808n, true, "z", null],
        [10n, 1.5, -7n, true, 'héllo "x"', null],
        [20n, -0, 9223372036854775807n, false, "", null],
      ],
    };
    assert.deepEqual(await dump(shard, "m", ["f", "i", "b", "s", "u"]), expected);
    await shard.compact();
    assert.deepEqual(await dump(shard, "m", ["f", "i", "b", "s", "u"]), expected);
    await shard.close();
    const again = await openShard(dir);
    assert.deepEqual(await dump(again, "m", ["f", "i", "b", "s", "u"]), expected);
    assert.deepEqual(again.reader.fieldKeys("m"), [
      { key: "b", type: "boolean" },
      { key: "f", type: "float" },
      { key: "i", type: "integer" },
      { key: "s", type: "string" },
      { key: "u", type: "unsigned" },
    ]);
    await again.close();
  });
});

Deno.test("shard: NaN survives the round trip", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([pt("m", {}, { v: NaN }, 1n)]);
    await shard.compact();
    const got = await readField(shard, "m", "m", "v");
    assert.equal(got.length, 1);
    assert.ok(Number.isNaN(got[0][1]));
    await shard.close();
  });
});

Deno.test("shard: last write wins within the cache, across cache and blocks, and in blocks", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([
      pt("m", {}, { v: 1 }, 1n),
      pt("m", {}, { v: 2 }, 2n),
      pt("m", {}, { v: 3 }, 1n), // same batch, same time: the later one wins
    ]);
    assert.deepEqual(await readField(shard, "m", "m", "v"), [[1n, 3], [2n, 2]]);
    await shard.compact();
    await shard.writePoints([pt("m", {}, { v: 20 }, 2n), pt("m", {}, { v: 5 }, 5n)]);
    // Cache over block.
    assert.deepEqual(await readField(shard, "m", "m", "v"), [[1n, 3], [2n, 20], [5n, 5]]);
    await shard.compact();
    // Merged into the blocks.
    assert.deepEqual(await readField(shard, "m", "m", "v"), [[1n, 3], [2n, 20], [5n, 5]]);
    await shard.writePoints([pt("m", {}, { v: 30 }, 1n)]);
    await shard.close();
    const again = await openShard(dir);
    assert.deepEqual(await readField(again, "m", "m", "v"), [[1n, 30], [2n, 20], [5n, 5]]);
    await again.close();
  });
});

Deno.test("shard: a field type conflict refuses that point with InfluxDB's text, keeps the rest", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([pt("cpu", {}, { x: 1.5 }, 1n)]);
    const r = await shard.writePoints([
      pt("cpu", {}, { y: 1n }, 2n),
      pt("cpu", {}, { x: 2n, z: true }, 3n),
      pt("cpu", {}, { x: 3.5 }, 4n),
      pt("cpu", {}, { y: "s" }, 5n), // conflicts with y from this same batch
    ]);
    assert.equal(r.written, 2);
    assert.deepEqual(r.errors.map((e) => [e.index, e.message]), [
      [
        1,
        'field type conflict: input field "x" on measurement "cpu" is type integer, already exists as type float',
      ],
      [
        3,
        'field type conflict: input field "y" on measurement "cpu" is type string, already exists as type integer',
      ],
    ]);
    // The refused point did not create field z.
    assert.deepEqual(shard.reader.fieldKeys("cpu").map((f) => f.key), ["x", "y"]);
    assert.deepEqual(await readField(shard, "cpu", "cpu", "x"), [[1n, 1.5], [4n, 3.5]]);
    await shard.close();
    const again = await openShard(dir);
    const r2 = await again.writePoints([pt("cpu", {}, { x: true }, 9n)]);
    assert.equal(r2.written, 0);
    assert.match(r2.errors[0].message, /is type boolean, already exists as type float$/);
    await again.close();
  });
});

Deno.test("shard: compaction keeps every value and shrinks the files", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, { blockSize: 100 });
    const batch = [];
    for (let h = 0; h < 5; h++) {
      for (let t = 0; t < 600; t++) {
        batch.push(
          pt(
            "cpu",
            { host: `h${h}` },
            { v: BigInt((t * 7) % 50), u: t / 4 },
            BigInt(t) * 10_000_000_000n,
          ),
        );
      }
    }
    await shard.writePoints(batch);
    const before = await dump(shard, "cpu", ["v", "u"]);
    assert.equal(Object.values(before).reduce((n, rows) => n + rows.length, 0), 3000);
    assert.deepEqual(shard.stats(), {
      series: 5,
      measurements: 1,
      cacheBytes: shard.cache.bytes,
      walRecords: 1,
      compacting: false,
    });
    const sizeBefore = await dirBytes(dir);
    const stats = await shard.compact();
    assert.equal(stats.values, 6000);
    assert.deepEqual(await dump(shard, "cpu", ["v", "u"]), before);
    await shard.close();
    const sizeAfter = await dirBytes(dir);
    assert.ok(sizeAfter < sizeBefore, `${sizeAfter} should be < ${sizeBefore}`);
    const again = await openShard(dir);
    assert.deepEqual(await dump(again, "cpu", ["v", "u"]), before);
    await again.close();
  });
});

Deno.test("shard: background compaction by cache size keeps acknowledged data readable", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, {
      autoCompact: true,
      compaction: { maxCacheBytes: 20_000 },
    });
    let expected = 0;
    for (let b = 0; b < 20; b++) {
      const batch = [];
      for (let i = 0; i < 100; i++) {
        const t = BigInt(b * 100 + i);
        batch.push(pt("m", { k: String(i % 3) }, { v: Number(t) }, t));
      }
      expected += (await shard.writePoints(batch)).written;
    }
    await shard.close();
    const again = await openShard(dir);
    const all = await dump(again, "m", ["v"]);
    const rows = Object.values(all).flat();
    assert.equal(rows.length, expected);
    for (const [t, v] of rows) assert.equal(v, Number(t));
    await again.close();
  });
});

Deno.test("shard: age-based compaction follows the injected clock", async () => {
  await withTempDir(async (dir) => {
    let now = 1000;
    const shard = await openShard(dir, {
      autoCompact: true,
      now: () => now,
      compaction: { maxCacheAgeMs: 60_000 },
    });
    await shard.writePoints([pt("m", {}, { v: 1 }, 1n)]);
    shard.maybeCompact();
    assert.equal(shard.cache.empty, false);
    now += 60_000;
    shard.maybeCompact();
    await shard.settled();
    assert.equal(shard.cache.empty, true);
    assert.equal(shard.snapshots.length, 0);
    assert.deepEqual(await readField(shard, "m", "m", "v"), [[1n, 1]]);
    await shard.close();
    assert.equal(shard.isOpen, false);
  });
});

Deno.test("shard: points without fields are refused, and close is idempotent", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    const p = pt("m", {}, {}, 1n);
    const r = await shard.writePoints([p]);
    assert.equal(r.written, 0);
    assert.equal(r.errors[0].kind, "no_fields");
    await Promise.all([shard.close(), shard.close()]);
    await shard.close();
    await assert.rejects(() => shard.writePoints([pt("m", {}, { v: 1 }, 1n)]), {
      name: "ShardClosedError",
    });
  });
});
