import assert from "node:assert/strict";
import { s, withNode } from "./helpers.ts";

const DAY = 86_400n;
const lines = [
  `cpu,host=a v=1 ${s(0)}`,
  `cpu,host=b v=2 ${s(60)}`,
  `cpu,host=a v=3 ${s(Number(8n * DAY))}`,
  `cpu,host=b v=4 ${s(Number(8n * DAY) + 60)}`,
  `mem,host=a free=7i ${s(0)}`,
].join("\n");

Deno.test("aggregates merge partial states across shard groups, before and after compaction", async () => {
  await withNode(async (n) => {
    await n.write(lines);
    const groups = n.meta.shardGroupsByTimeRange("db", "autogen", 0n, s(Number(9n * DAY)));
    assert.equal(groups.length, 2);
    const check = async () => {
      const [r] = await n.query("SELECT count(v), sum(v), mean(v) FROM cpu");
      assert.deepEqual(r.series?.[0].values, [[0n, 4n, 10, 2.5]]);
      const [l] = await n.query("SELECT last(v) FROM cpu");
      assert.deepEqual(l.series?.[0].values, [[s(Number(8n * DAY) + 60), 4]]);
      const [f] = await n.query("SELECT first(v) FROM cpu GROUP BY host");
      assert.deepEqual(f.series?.map((x) => x.values), [[[0n, 1]], [[s(60), 2]]]);
    };
    await check();
    for (const g of groups) {
      await n.store.withShard("db", "autogen", g.shards[0].id, (sh) => sh.compact());
    }
    await check();
  });
});

Deno.test("time ranges prune shard groups and bound the read", async () => {
  await withNode(async (n) => {
    await n.write(lines);
    const [r] = await n.query(`SELECT v FROM cpu WHERE time >= ${s(Number(7n * DAY))}`);
    assert.deepEqual(r.series?.[0].values, [[s(Number(8n * DAY)), 3], [
      s(Number(8n * DAY) + 60),
      4,
    ]]);
  });
});

Deno.test("DELETE and DROP MEASUREMENT remove data from every shard", async () => {
  await withNode(async (n) => {
    await n.write(lines);
    const [d] = await n.query("DELETE FROM cpu WHERE time < 1d");
    assert.equal(d.error, undefined);
    const [c] = await n.query("SELECT count(v) FROM cpu");
    assert.deepEqual(c.series?.[0].values, [[0n, 2n]]);
    await n.query("DROP MEASUREMENT cpu");
    const [m] = await n.query("SHOW MEASUREMENTS");
    assert.deepEqual(m.series?.[0].values, [["mem"]]);
  });
});

Deno.test("SHOW TAG VALUES and FIELD KEYS read the real index", async () => {
  await withNode(async (n) => {
    await n.write(lines);
    const [t] = await n.query("SHOW TAG VALUES WITH KEY = host");
    assert.deepEqual(t.series?.map((x) => [x.name, x.values]), [
      ["cpu", [["host", "a"], ["host", "b"]]],
      ["mem", [["host", "a"]]],
    ]);
    const [f] = await n.query("SHOW FIELD KEYS FROM mem");
    assert.deepEqual(f.series?.[0].values, [["free", "integer"]]);
  });
});

Deno.test("last() is right when series end at different times", async () => {
  await withNode(async (n) => {
    const pts: string[] = [];
    for (let i = 0; i < 3000; i++) pts.push(`cpu,host=a v=${i} ${s(i)}`);
    for (let i = 0; i < 1500; i++) pts.push(`cpu,host=b v=${-i} ${s(i)}`);
    for (let i = 0; i < 2500; i++) pts.push(`cpu,host=c v=${i * 2} ${s(i)}`);
    await n.write(pts.join("\n"));
    const g = n.meta.shardGroupsByTimeRange("db", "autogen", 0n, s(3000))[0];
    await n.store.withShard("db", "autogen", g.shards[0].id, (sh) => sh.compact());
    const [r] = await n.query("SELECT last(v), first(v) FROM cpu GROUP BY host");
    assert.deepEqual(r.series?.map((x) => x.values), [
      [[0n, 2999, 0]],
      [[0n, -1499, 0]],
      [[0n, 4998, 0]],
    ]);
    const [l] = await n.query("SELECT last(v) FROM cpu GROUP BY host");
    assert.deepEqual(l.series?.map((x) => x.values), [
      [[s(2999), 2999]],
      [[s(1499), -1499]],
      [[s(2499), 4998]],
    ]);
  });
});
