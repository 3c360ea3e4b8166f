/**
 * Issue 5's crash test: a writer sends batches to a real node, which is killed with SIGKILL
 * at random moments; after every restart each acknowledged batch is fully readable through
 * /query and no batch is half visible.
 */
import assert from "node:assert/strict";
import {
  type NodeProcess,
  startNode,
  waitFor,
  withFreePorts,
  withTempDir,
} from "./node_process.ts";
import { mulberry32 } from "../../src/util/random.ts";

const KILLS = 20;
const BATCH = 200;
const SEED = 20261122;

const prng = mulberry32;

/** Line protocol of batch `b`: BATCH points of series `crash,batch=b` at distinct times. */
function batchBody(b: number): string {
  const lines: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    lines.push(
      `crash,batch=${b} v=${i}i,s="p${i}" ${1_600_000_000_000_000_000n + BigInt(b * BATCH + i)}`,
    );
  }
  return lines.join("\n");
}

async function query(http: string, q: string): Promise<unknown> {
  const res = await fetch(`http://${http}/query?db=crash&q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

/** Points per batch as the node answers them. */
async function countsByBatch(http: string): Promise<Map<number, number>> {
  const r = await query(http, "SELECT count(v) FROM crash GROUP BY batch") as {
    results: { series?: { tags: { batch: string }; values: [string, number][] }[] }[];
  };
  const out = new Map<number, number>();
  for (const s of r.results[0].series ?? []) out.set(Number(s.tags.batch), s.values[0][1]);
  return out;
}

Deno.test({
  name: `acknowledged writes survive ${KILLS} kill -9 at random moments, none half visible`,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (dir) => {
      const src = await Deno.readTextFile(new URL("../../configs/single.toml", import.meta.url));
      const { toml, ports } = withFreePorts(src);
      await Deno.writeTextFile(`${dir}/node.toml`, toml);
      const admin = `127.0.0.1:${ports.get(8091)}`;
      const http = `127.0.0.1:${ports.get(8086)}`;
      const start = async (): Promise<NodeProcess> => {
        const node = startNode(["serve", "-c", "node.toml"], dir);
        await waitFor(`http://${admin}/v1/health`, 200, 30_000);
        await waitFor(`http://${http}/ping`, 204);
        return node;
      };
      let node = await start();
      const created = await fetch(`http://${http}/query?q=CREATE+DATABASE+crash`, {
        method: "POST",
      });
      assert.equal(created.status, 200);
      await created.body?.cancel();

      const rnd = prng(SEED);
      const acked = new Set<number>();
      let next = 0;
      try {
        for (let k = 0; k < KILLS; k++) {
          // Write until the kill lands, at a random moment within ~50-400 ms.
          let killed = false;
          const writer = (async () => {
            while (!killed) {
              const b = next++;
              try {
                const res = await fetch(`http://${http}/write?db=crash`, {
                  method: "POST",
                  body: batchBody(b),
                });
                await res.body?.cancel();
                if (res.status === 204) acked.add(b);
              } catch {
                // The node died mid-request: this batch is not acknowledged.
              }
            }
          })();
          await new Promise((r) => setTimeout(r, 50 + rnd() * 350));
          killed = true;
          await node.stop("SIGKILL");
          await writer;
          node = await start();
          // Writes need the data node registered again; wait for the first readable answer.
          const counts = await countsByBatch(http);
          for (const b of acked) {
            assert.equal(counts.get(b), BATCH, `acknowledged batch ${b} after kill ${k + 1}`);
          }
          for (const [b, n] of counts) {
            assert.ok(
              n === BATCH,
              `batch ${b} is half visible (${n} of ${BATCH}) after kill ${k + 1}`,
            );
          }
        }
        assert.ok(acked.size >= KILLS, `enough writes were acknowledged (${acked.size})`);
        // The string field of an acknowledged batch reads back exactly.
        const one = [...acked][0];
        const r = await query(http, `SELECT s FROM crash WHERE batch = '${one}' LIMIT 2`) as {
          results: { series: { values: [string, string][] }[] }[];
        };
        assert.deepEqual(r.results[0].series[0].values.map((v) => v[1]), ["p0", "p1"]);
      } finally {
        const status = await node.stop("SIGTERM");
        assert.equal(status.code, 0, node.stderr().slice(-2000));
      }
    }),
});
