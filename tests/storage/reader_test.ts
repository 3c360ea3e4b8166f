import assert from "node:assert/strict";
import { tagPredicate } from "../../src/storage/mod.ts";
import { openShard, pt, readField, readFieldDescending, withTempDir } from "./helpers.ts";

Deno.test("reader: segments come in time order, exact counts only for untouched whole blocks", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, { blockSize: 10 });
    const batch = [];
    for (let t = 0n; t < 30n; t++) batch.push(pt("m", {}, { v: Number(t) }, t * 10n));
    await shard.writePoints(batch);
    await shard.compact(); // blocks [0..90] [100..190] [200..290]
    await shard.writePoints([
      pt("m", {}, { v: -1 }, 155n), // inside block 2
      pt("m", {}, { v: -2 }, 295n), // after the blocks
      pt("m", {}, { v: -3 }, 100n), // overwrites a block value
    ]);
    const series = shard.reader.series("m")[0];
    const segs = [];
    for await (const s of shard.reader.segments(series, "v", 0n, 1000n)) {
      const c = s.column();
      segs.push({ source: s.source, exact: s.exact, count: s.count, n: c.times.length });
    }
    assert.deepEqual(segs, [
      { source: "block", exact: true, count: 10, n: 10 },
      { source: "block", exact: false, count: 0, n: 11 },
      { source: "block", exact: true, count: 10, n: 10 },
      { source: "cache", exact: true, count: 1, n: 1 },
    ]);
    const got = await readField(shard, "m", "m", "v", 95n, 160n);
    assert.deepEqual(got, [[100n, -3], [110n, 11], [120n, 12], [130n, 13], [140n, 14], [150n, 15], [
      155n,
      -1,
    ], [160n, 16]]);
    // A range that starts inside a block and ends inside another is clipped on both sides.
    const clipped = [];
    for await (const s of shard.reader.segments(series, "v", 85n, 205n)) clipped.push(s.exact);
    assert.deepEqual(clipped, [false, false, false]);
    assert.deepEqual(await readField(shard, "m", "m", "v", 300n, 400n), []);
    assert.deepEqual(await readField(shard, "m", "m", "nope"), []);
    await shard.close();
  });
});

Deno.test("reader: multi-field rows per series with nulls, selected by tag predicate", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir);
    await shard.writePoints([
      pt("cpu", { host: "a" }, { user: 1, sys: 2 }, 1n),
      pt("cpu", { host: "a" }, { user: 3 }, 2n),
      pt("cpu", { host: "b" }, { sys: 4 }, 1n),
      pt("cpu", { host: "c" }, { user: 5 }, 1n),
    ]);
    await shard.compact();
    await shard.writePoints([pt("cpu", { host: "a" }, { sys: 6 }, 3n)]);
    const sel = shard.reader.points("cpu", tagPredicate.neq("host", "c"), ["user", "sys"], 0n, 10n);
    const out: Record<string, unknown[]> = {};
    for (const s of sel) {
      out[s.series.key] = [];
      for await (const r of s.rows()) out[s.series.key].push([r.time, ...r.values]);
    }
    assert.deepEqual(out, {
      "cpu,host=a": [[1n, 1, 2], [2n, 3, null], [3n, null, 6]],
      "cpu,host=b": [[1n, null, 4]],
    });
    assert.deepEqual(shard.reader.tagKeys("cpu"), ["host"]);
    assert.deepEqual(shard.reader.tagValues("cpu", "host"), ["a", "b", "c"]);
    assert.deepEqual(shard.reader.measurements(), ["cpu"]);
    await shard.close();
  });
});

Deno.test("reader: a block-level count and sum can be pushed down without the row path", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, { blockSize: 100 });
    const batch = [];
    for (let t = 0n; t < 1000n; t++) batch.push(pt("m", {}, { v: t }, t));
    await shard.writePoints(batch);
    await shard.compact();
    const series = shard.reader.series("m")[0];
    let count = 0;
    let sum = 0n;
    let decoded = 0;
    for await (const s of shard.reader.segments(series, "v", 50n, 999n)) {
      if (s.exact) {
        count += s.count;
        const c = s.column();
        for (const x of c.values as BigInt64Array) sum += x;
      } else {
        decoded++;
        const c = s.column();
        count += c.times.length;
        for (const x of c.values as BigInt64Array) sum += x;
      }
    }
    assert.equal(count, 950);
    assert.equal(sum, 499500n - 1225n);
    assert.equal(decoded, 1);
    await shard.close();
  });
});

Deno.test("reader: newest-first segments, and the newest cached values without a block read", async () => {
  await withTempDir(async (dir) => {
    const shard = await openShard(dir, { blockSize: 10 });
    const batch = [];
    for (let t = 0n; t < 30n; t++) batch.push(pt("m", {}, { v: Number(t) }, t * 10n));
    await shard.writePoints(batch);
    await shard.compact(); // blocks [0..90] [100..190] [200..290]; the last one is known
    await shard.writePoints([
      pt("m", {}, { v: -1 }, 155n), // inside block 2
      pt("m", {}, { v: -2 }, 295n), // after the blocks
      pt("m", {}, { v: -3 }, 100n), // overwrites a block value
    ]);
    const series = shard.reader.series("m")[0];
    const blocks = shard.blocks;
    const listed: bigint[][] = [];
    const original = blocks.blocksDescending.bind(blocks);
    blocks.blocksDescending = (sid, fid, min, max) => {
      listed.push([min, max]);
      return original(sid, fid, min, max);
    };
    const segs = [];
    for await (const s of shard.reader.segmentsDescending(series, "v", 0n, 1000n)) {
      const c = s.column();
      segs.push({ source: s.source, exact: s.exact, count: s.count, first: c.times[0] });
      if (segs.length <= 2) assert.equal(listed.length, 0, "the newest values need no block");
    }
    assert.deepEqual(segs, [
      { source: "cache", exact: true, count: 1, first: 295n },
      // The newest stored value, which compaction remembered, then the rest of its block.
      { source: "block", exact: true, count: 1, first: 290n },
      { source: "block", exact: false, count: 0, first: 200n },
      { source: "block", exact: false, count: 0, first: 100n },
      { source: "block", exact: true, count: 10, first: 0n },
    ]);
    // Ranges clipped on both sides, including one ending inside a block.
    for (const [lo, hi] of [[85n, 205n], [101n, 155n], [296n, 400n], [0n, 95n]]) {
      assert.deepEqual(
        await readFieldDescending(shard, "m", "m", "v", lo, hi),
        await readField(shard, "m", "m", "v", lo, hi),
      );
    }
    await shard.close();
    // Reopened, the last block is unknown until a newest-first read of everything learns it.
    const again = await openShard(dir, { blockSize: 10 });
    await again.writePoints([pt("m", {}, { v: -4 }, 400n)]);
    const s2 = again.reader.series("m")[0];
    assert.equal(again.blocks.knownLast(s2.id, 1), undefined);
    const all = await readFieldDescending(again, "m", "m", "v");
    assert.deepEqual(all, await readField(again, "m", "m", "v"));
    assert.equal(again.blocks.knownLast(s2.id, 1)?.max, 295n);
    await again.compact();
    assert.deepEqual(await readField(again, "m", "m", "v"), all);
    await again.close();
  });
});
