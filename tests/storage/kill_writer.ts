/**
 * Child process for `kill_test.ts`: writes numbered batches (from `Deno.args[1]`) into the
 * shard at `Deno.args[0]` and prints `ack <n>` after each write is acknowledged, until it is killed.
 */

import { Shard } from "../../src/storage/mod.ts";
import { pt } from "./helpers.ts";

const shard = new Shard({ dir: Deno.args[0], compaction: { maxCacheBytes: 64 * 1024 } });
await shard.open();
const enc = new TextEncoder();
for (let b = Number(Deno.args[1] ?? 0);; b++) {
  const batch = [];
  for (let i = 0; i < 200; i++) {
    batch.push(pt("m", { k: String(i % 5) }, { b, i: BigInt(i) }, BigInt(b * 1000 + i)));
  }
  await shard.writePoints(batch);
  await Deno.stdout.write(enc.encode(`ack ${b}\n`));
}
