import assert from "node:assert/strict";
import { BlockReadCache, type CachedBlock } from "../../src/storage/block_read_cache.ts";
import { tagPredicate } from "../../src/storage/mod.ts";
import { openShard, pt, readField, withTempDir } from "./helpers.ts";

function block(min: bigint, max: bigint, bytes = 100): CachedBlock {
  return { key: ["b", 1, 1, max], bytes: new Uint8Array(bytes), min, max, count: 10 };
}

Deno.test("read cache: a block answers only inside the span its read proved", () => {
  const c = new BlockReadCache(1 << 20);
  const owner = c.newOwner();
  const b = block(100n, 190n);
  c.add(owner, 1, 1, 50n, b); // a read from 50 found this block first
  assert.equal(c.find(owner, 1, 1, 50n), b);
  assert.equal(c.find(owner, 1, 1, 190n), b);
  assert.equal(c.find(owner, 1, 1, 49n), undefined, "a block may end before 50");
  assert.equal(c.find(owner, 1, 1, 191n), undefined);
  assert.equal(c.find(owner, 1, 2, 100n), undefined, "another field");
  assert.equal(c.find(c.newOwner(), 1, 1, 100n), undefined, "another shard");
  c.add(owner, 1, 1, 0n, b); // a wider proof replaces the narrower one
  assert.equal(c.find(owner, 1, 1, 0n), b);
});

Deno.test("read cache: the least recently used blocks go first once over budget", () => {
  const one = 100 + 10 * 16 + 64;
  const c = new BlockReadCache(one * 2);
  const owner = c.newOwner();
  const [a, b, d] = [block(0n, 9n), block(10n, 19n), block(20n, 29n)];
  c.add(owner, 1, 1, 0n, a);
  c.add(owner, 1, 1, 10n, b);
  c.find(owner, 1, 1, 5n); // a is now the most recent
  c.add(owner, 1, 1, 20n, d);
  assert.equal(c.find(owner, 1, 1, 5n), a);
  assert.equal(c.find(owner, 1, 1, 15n), undefined);
  assert.equal(c.find(owner, 1, 1, 25n), d);
  assert.equal(c.bytes, one * 2);
  c.dropOwner(owner);
  assert.equal(c.bytes, 0);
  assert.equal(c.find(owner, 1, 1, 5n), undefined);
});

Deno.test("read cache: reads after a compaction, overwrite or delete see the new blocks", async () => {
  await withTempDir(async (dir) => {
    const readCache = new BlockReadCache(1 << 20);
    const shard = await openShard(dir, { blockSize: 10, readCache });
    const batch = [];
    for (let t = 0n; t < 30n; t++) batch.push(pt("m", { h: "a" }, { v: Number(t) }, t * 10n));
    await shard.writePoints(batch);
    await shard.compact();
    assert.equal((await readField(shard, "m", "m,h=a", "v")).length, 30);
    assert.equal(readCache.bytes, 0, "a scan of all three blocks is not remembered");
    const before = await readField(shard, "m", "m,h=a", "v", 100n, 150n);
    assert.ok(readCache.bytes > 0, "the narrow read was remembered");
    assert.deepEqual(await readField(shard, "m", "m,h=a", "v", 100n, 150n), before);
    // Overwrite a stored value and compact it into the block the cache holds.
    await shard.writePoints([pt("m", { h: "a" }, { v: -1 }, 120n)]);
    await shard.compact();
    assert.deepEqual(await readField(shard, "m", "m,h=a", "v", 120n, 120n), [[120n, -1]]);
    assert.deepEqual(await readField(shard, "m", "m,h=a", "v", 120n, 120n), [[120n, -1]]);
    // A delete rewrites blocks too.
    await shard.deleteSeries("m", tagPredicate.eq("h", "a"), { min: 100n, max: 140n });
    assert.deepEqual(await readField(shard, "m", "m,h=a", "v", 90n, 150n), [[90n, 9], [150n, 15]]);
    await shard.close();
    assert.equal(readCache.bytes, 0, "a closed shard leaves nothing cached");
  });
});
