import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../src/storage/mod.ts";
import { nameFromSegment, pathSegment } from "../../src/storage/store.ts";
import { pt, readField, withTempDir } from "./helpers.ts";

Deno.test("store: shards open lazily under <dir>/<db>/<rp>/<id> and close when idle", async () => {
  await withTempDir(async (dir) => {
    let now = 0;
    const store = new Store({
      dir,
      now: () => now,
      idleTimeoutMs: 1000,
      shard: { autoCompact: false },
    });
    assert.equal(store.openShards, 0);
    await store.withShard("db0", "autogen", 1, (s) => s.writePoints([pt("m", {}, { v: 1 }, 1n)]));
    assert.equal(store.openShards, 1);
    assert.ok((await Deno.stat(join(dir, "db0", "autogen", "1", "shard.kv"))).isFile);
    const lease = await store.acquire("db0", "autogen", 2);
    now += 1000;
    assert.equal(await store.tick(), 1); // shard 1 idle; shard 2 is held
    assert.equal(store.openShards, 1);
    lease.release();
    now += 999;
    assert.equal(await store.tick(), 0);
    now += 1;
    assert.equal(await store.tick(), 1);
    assert.equal(store.openShards, 0);
    // Reopened on demand with its data.
    const got = await store.withShard("db0", "autogen", 1, (s) => readField(s, "m", "m", "v"));
    assert.deepEqual(got, [[1n, 1]]);
    await store.close();
    await store.close();
  });
});

Deno.test("store: the open-handle cap closes the least recently used idle shard", async () => {
  await withTempDir(async (dir) => {
    let now = 0;
    const store = new Store({ dir, now: () => now, maxOpenShards: 2 });
    for (const id of [1, 2, 3]) {
      now += 10;
      await store.withShard("db", "rp", id, async () => {});
    }
    assert.equal(store.openShards, 2);
    // All held: the cap gives way rather than failing.
    const a = await store.acquire("db", "rp", 4);
    const b = await store.acquire("db", "rp", 5);
    const c = await store.acquire("db", "rp", 6);
    assert.equal(store.openShards, 3);
    for (const l of [a, b, c]) l.release();
    await store.close();
  });
});

Deno.test("store: dropShard deletes the directory; concurrent acquires share one open", async () => {
  await withTempDir(async (dir) => {
    const store = new Store({ dir });
    const [x, y] = await Promise.all([store.acquire("db", "rp", 7), store.acquire("db", "rp", 7)]);
    assert.equal(x.shard, y.shard);
    await x.shard.writePoints([pt("m", {}, { v: 1 }, 1n)]);
    x.release();
    y.release();
    await store.dropShard("db", "rp", 7);
    await assert.rejects(() => Deno.stat(join(dir, "db", "rp", "7")), Deno.errors.NotFound);
    await store.dropShard("db", "rp", 7); // already gone: fine
    const again = await store.withShard("db", "rp", 7, (s) => readField(s, "m", "m", "v"));
    assert.deepEqual(again, []);
    await store.close();
    await assert.rejects(() => store.acquire("db", "rp", 1));
  });
});

Deno.test("store: database and policy names cannot escape the data directory", () => {
  assert.equal(pathSegment("db0"), "db0");
  assert.equal(pathSegment("my.db"), "my.db");
  assert.notEqual(pathSegment(".."), "..");
  assert.ok(!pathSegment("../x").includes("/"));
  assert.ok(!pathSegment("a/b").includes("/"));
  assert.notEqual(pathSegment("a b"), pathSegment("a_b"));
  for (const n of ["db0", "..", "../x", "a/b", "ünï cødé", "~x"]) {
    assert.equal(nameFromSegment(pathSegment(n)), n);
  }
});

Deno.test("store: listShards finds shard directories on disk, open or not", async () => {
  await withTempDir(async (dir) => {
    const store = new Store({ dir });
    assert.deepEqual(await store.listShards(), []);
    await store.withShard("db/x", "autogen", 12, async () => {});
    await store.withShard("db0", "rp", 3, async () => {});
    await store.withShard("db0", "rp", 1, async () => {});
    await store.close();
    assert.deepEqual(await new Store({ dir }).listShards(), [
      { db: "db/x", rp: "autogen", id: 12 },
      { db: "db0", rp: "rp", id: 1 },
      { db: "db0", rp: "rp", id: 3 },
    ]);
  });
});

Deno.test("store: the housekeeping timer closes idle shards by itself", async () => {
  await withTempDir(async (dir) => {
    let now = 0;
    const store = new Store({ dir, now: () => now, idleTimeoutMs: 100, housekeepingIntervalMs: 1 });
    await store.withShard("db", "rp", 1, async () => {});
    now = 100;
    for (let i = 0; i < 500 && store.openShards > 0; i++) {
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.equal(store.openShards, 0);
    await store.close();
  });
});
