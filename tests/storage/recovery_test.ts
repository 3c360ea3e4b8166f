import assert from "node:assert/strict";
import { join } from "node:path";
import { walChunkKey, walMarkerKey } from "../../src/storage/key_layout.ts";
import { MemoryLogger, openShard, pt, readField, withTempDir } from "./helpers.ts";

Deno.test("recovery: acknowledged writes survive a crash without compaction", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([pt("m", { h: "a" }, { v: 1 }, 1n), pt("m", { h: "b" }, { v: 2 }, 2n)]);
    await shard.compact();
    await shard.writePoints([
      pt("m", { h: "a" }, { v: 10 }, 1n),
      pt("m", { h: "c" }, { s: "x" }, 3n),
    ]);
    shard.abandon(); // no flush, no compaction: what kill -9 leaves
    const logger = new MemoryLogger();
    const again = await openShard(dir, { logger });
    assert.deepEqual(logger.warnings, []);
    assert.deepEqual(again.reader.seriesKeys("m"), ["m,h=a", "m,h=b", "m,h=c"]);
    assert.deepEqual(await readField(again, "m", "m,h=a", "v"), [[1n, 10]]);
    assert.deepEqual(await readField(again, "m", "m,h=b", "v"), [[2n, 2]]);
    assert.deepEqual(await readField(again, "m", "m,h=c", "s"), [[3n, "x"]]);
    // New series after recovery get fresh ids (no clash with replayed ones).
    await again.writePoints([pt("m", { h: "d" }, { v: 4 }, 4n)]);
    assert.equal(new Set(again.reader.series("m").map((s) => s.id)).size, 4);
    await again.close();
  });
});

Deno.test("recovery: reopening from a copy of the KV files taken mid-run", async () => {
  await withTempDir(async (dir) => {
    const live = join(dir, "live");
    const copy = join(dir, "copy");
    const shard = await openShard(live);
    for (let b = 0; b < 5; b++) {
      await shard.writePoints([pt("m", {}, { v: b }, BigInt(b))]);
      if (b === 2) await shard.compact();
    }
    await Deno.mkdir(copy);
    for await (const e of Deno.readDir(live)) {
      await Deno.copyFile(join(live, e.name), join(copy, e.name));
    }
    await shard.writePoints([pt("m", {}, { v: 99 }, 99n)]);
    await shard.close();
    const fromCopy = await openShard(copy);
    assert.deepEqual(await readField(fromCopy, "m", "m", "v"), [
      [0n, 0],
      [1n, 1],
      [2n, 2],
      [3n, 3],
      [4n, 4],
    ]);
    await fromCopy.close();
  });
});

Deno.test("recovery: a corrupt WAL record is reported and skipped, the others replayed", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([pt("m", {}, { v: 1 }, 1n)]); // seq 1
    await shard.writePoints([pt("m", {}, { v: 2 }, 2n)]); // seq 2
    await shard.writePoints([pt("m", {}, { v: 3 }, 3n)]); // seq 3
    await shard.kv.set(walChunkKey(2, 0), new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    shard.abandon();
    const logger = new MemoryLogger();
    const again = await openShard(dir, { logger });
    assert.deepEqual(await readField(again, "m", "m", "v"), [[1n, 1], [3n, 3]]);
    assert.equal(logger.warnings.length, 1);
    assert.equal(logger.warnings[0].fields?.seq, 2);
    assert.equal(logger.warnings[0].fields?.reason, "CRC mismatch");
    // Compaction deletes the bad record too, so it is reported once only.
    await again.close();
    const logger2 = new MemoryLogger();
    const third = await openShard(dir, { logger: logger2 });
    assert.deepEqual(logger2.warnings, []);
    assert.deepEqual(await readField(third, "m", "m", "v"), [[1n, 1], [3n, 3]]);
    await third.close();
  });
});

Deno.test("recovery: a torn batch (chunks without commit marker) is never served", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([pt("m", {}, { v: 1 }, 1n)]);
    await shard.writePoints([pt("m", {}, { v: 2 }, 2n)]);
    await shard.kv.delete(walMarkerKey(2)); // as if the crash hit before the last commit
    await shard.kv.set(walMarkerKey(7), { chunks: 1, bytes: 3, crc: 0 }); // marker, no data
    shard.abandon();
    const logger = new MemoryLogger();
    const again = await openShard(dir, { logger });
    assert.deepEqual(await readField(again, "m", "m", "v"), [[1n, 1]]);
    assert.deepEqual(logger.warnings.map((w) => w.fields?.seq), [2, 7]);
    // Sequence numbers continue after everything seen, torn records included.
    await again.writePoints([pt("m", {}, { v: 3 }, 3n)]);
    again.abandon();
    const third = await openShard(dir, { logger: new MemoryLogger() });
    assert.deepEqual(await readField(third, "m", "m", "v"), [[1n, 1], [3n, 3]]);
    await third.close();
  });
});

Deno.test("recovery: a batch larger than one KV commit is split and replayed whole", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    const big = "x".repeat(2000);
    const batch = [];
    for (let i = 0; i < 600; i++) {
      batch.push(pt("m", { k: String(i % 7) }, { s: big + i }, BigInt(i)));
    }
    assert.equal((await shard.writePoints(batch)).written, 600); // ~1.2 MB of WAL
    shard.abandon();
    const again = await openShard(dir);
    let n = 0;
    for (const key of again.reader.seriesKeys("m")) {
      for (const [t, v] of await readField(again, "m", key, "s")) {
        assert.equal(v, big + t);
        n++;
      }
    }
    assert.equal(n, 600);
    await again.close();
  });
});

Deno.test("recovery: a corrupt block is reported and skipped, and compaction carries on", async () => {
  await withTempDir(async (dir) => {
    const logger = new MemoryLogger();
    const shard = await openShard(dir, { logger, blockSize: 2 });
    await shard.writePoints([1n, 2n, 3n, 4n, 5n].map((t) => pt("m", {}, { v: Number(t) }, t)));
    await shard.compact(); // blocks [1,2] [3,4] [5]
    const keys = [];
    for await (const e of shard.kv.list({ prefix: ["b"] })) keys.push(e.key);
    assert.equal(keys.length, 3);
    const damaged = (await shard.kv.get<Uint8Array>(keys[1])).value!.slice();
    damaged[damaged.length - 1] ^= 0xff; // body CRC no longer matches
    await shard.kv.set(keys[1], damaged);
    await shard.kv.set(keys[0], new Uint8Array([9, 9, 9])); // header unreadable
    assert.deepEqual(await readField(shard, "m", "m", "v"), [[5n, 5]]);
    assert.equal(logger.warnings.length, 2);
    await shard.writePoints([pt("m", {}, { v: 3.5 }, 3n), pt("m", {}, { v: 6 }, 6n)]);
    await shard.compact();
    assert.deepEqual(await readField(shard, "m", "m", "v"), [[3n, 3.5], [5n, 5], [6n, 6]]);
    await shard.close();
  });
});
