/**
 * A data-only node (configs/data-1.toml) registers with a meta node (configs/meta-1.toml)
 * through meta_addresses, keeps its id across restarts, and serves writes and queries with
 * the meta state it follows over the admin API.
 */
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/mod.ts";
import { eventually, startNode, waitFor, withFreePorts, withTempDir } from "./node_process.ts";

const CONFIGS = new URL("../../configs/", import.meta.url);

async function showJson(meta: string) {
  let out = "";
  const code = await runCli(["ctl", "--meta", meta, "--json", "show"], {
    stdout: (t) => void (out += t),
    stderr: () => {},
  });
  assert.equal(code, 0);
  return JSON.parse(out) as { dataNodes: { id: number; rpcAddress: string }[] };
}

Deno.test({
  name: "a data-only node registers through meta_addresses and keeps its id across restarts",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDir(async (dir) => {
      const ports = new Map<number, number>();
      for (const name of ["meta-1", "data-1"]) {
        const { toml } = withFreePorts(
          await Deno.readTextFile(new URL(`${name}.toml`, CONFIGS)),
          ports,
        );
        await Deno.writeTextFile(`${dir}/${name}.toml`, toml);
      }
      const admin = `127.0.0.1:${ports.get(18191)}`;
      const http = `http://127.0.0.1:${ports.get(18186)}`;
      const meta = startNode(["serve", "-c", "meta-1.toml"], dir);
      let data = startNode(["serve", "-c", "data-1.toml"], dir);
      try {
        await waitFor(`http://${admin}/v1/health`);
        await waitFor(`${http}/ping`, 204);
        const first = await eventually("data node registered", async () => {
          const nodes = (await showJson(admin)).dataNodes;
          return nodes.length === 1 ? nodes[0] : null;
        });

        // Writes and queries work through the meta state the data node follows remotely.
        const created = await fetch(`${http}/query?q=CREATE+DATABASE+d`, { method: "POST" });
        assert.equal(created.status, 200, await created.text());
        await eventually("write accepted", async () => {
          const w = await fetch(`${http}/write?db=d`, { method: "POST", body: "m,h=a v=1 1" });
          await w.body?.cancel();
          return w.status === 204;
        });
        const q = await (await fetch(`${http}/query?db=d&q=SELECT+v+FROM+m`)).json();
        assert.deepEqual(q.results[0].series[0].values, [["1970-01-01T00:00:00.000000001Z", 1]]);

        // A restart keeps the id (and the data).
        assert.equal((await data.stop("SIGTERM")).code, 0);
        data = startNode(["serve", "-c", "data-1.toml"], dir);
        await waitFor(`${http}/ping`, 204);
        const again = await fetch(`${http}/query?db=d&q=SELECT+count(v)+FROM+m`);
        assert.equal((await again.json()).results[0].series[0].values[0][1], 1);
        const nodes = (await showJson(admin)).dataNodes;
        assert.deepEqual(nodes, [first]);
        assert.deepEqual(
          JSON.parse(await Deno.readTextFile(`${dir}/data-1/node.json`)).id,
          first.id,
        );
      } finally {
        assert.equal((await data.stop("SIGTERM")).code, 0);
        assert.equal((await meta.stop("SIGTERM")).code, 0);
      }
    }),
});
