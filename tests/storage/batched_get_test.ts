import assert from "node:assert/strict";
import { BatchedGet } from "../../src/storage/batched_get.ts";
import { withTempDir } from "./helpers.ts";

Deno.test("batched get: lookups of one tick resolve to their own values, absent ones to null", async () => {
  await withTempDir(async (dir) => {
    const kv = await Deno.openKv(`${dir}/t.kv`);
    try {
      for (let i = 0; i < 25; i++) await kv.set(["b", i], new Uint8Array([i]));
      await kv.set(["s", 1], "not bytes");
      const gets = new BatchedGet(kv);
      const keys: Deno.KvKey[] = [];
      for (let i = 0; i < 27; i++) keys.push(["b", i]); // 25 and 26 are absent
      keys.push(["s", 1]);
      const got = await Promise.all(keys.map((k) => gets.get(k)));
      assert.deepEqual(
        got.map((v) => (v === null ? null : v[0])),
        [...Array.from({ length: 25 }, (_, i) => i), null, null, null],
      );
      // A later tick starts a new batch.
      assert.deepEqual(await gets.get(["b", 3]), new Uint8Array([3]));
    } finally {
      kv.close();
    }
  });
});
