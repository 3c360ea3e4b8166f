import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { FieldValue } from "../../src/models/point.ts";
import { MemoryLogger, openShard, readField, withTempDir } from "./helpers.ts";

const WRITER = fileURLToPath(new URL("./kill_writer.ts", import.meta.url));

/** Starts the writer at batch `from`, waits for `acks` acknowledgements, then SIGKILLs it. */
async function writeThenKill(dir: string, from: number, acks: number): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--unstable-kv", WRITER, dir, String(from)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let last = -1;
  let buf = "";
  const dec = new TextDecoder();
  const reader = child.stdout.getReader();
  while (last < from + acks - 1) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const l of lines) if (l.startsWith("ack ")) last = Number(l.slice(4));
  }
  child.kill("SIGKILL");
  await reader.cancel();
  await child.status;
  return last;
}

Deno.test("kill -9: every acknowledged batch is readable, no batch is half visible", async () => {
  await withTempDir(async (dir) => {
    let acked = -1;
    for (const acks of [3, 17, 8]) {
      acked = Math.max(acked, await writeThenKill(dir, acked + 1, acks));
      const logger = new MemoryLogger();
      const shard = await openShard(dir, { logger });
      const perBatch = new Map<number, number>();
      for (let k = 0; k < 5; k++) {
        const rows: [bigint, FieldValue][] = await readField(shard, "m", `m,k=${k}`, "b");
        for (const [t, b] of rows) {
          assert.equal(Number(t) - (Number(t) % 1000), (b as number) * 1000);
          perBatch.set(b as number, (perBatch.get(b as number) ?? 0) + 1);
        }
      }
      for (let b = 0; b <= acked; b++) assert.equal(perBatch.get(b), 200, `batch ${b}`);
      for (const [b, n] of perBatch) assert.equal(n, 200, `batch ${b} is partial`);
      // A batch in flight when the kill came may have made it; later runs continue after it.
      acked = Math.max(acked, ...perBatch.keys());
      assert.deepEqual(logger.warnings, []);
      shard.abandon();
    }
  });
});
