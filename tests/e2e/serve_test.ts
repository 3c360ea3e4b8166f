import assert from "node:assert/strict";
import { freePort, startNode, waitFor, withFreePorts, withTempDir } from "./node_process.ts";

const SINGLE = new URL("../../configs/single.toml", import.meta.url);

Deno.test("the embedded default serves health and ping, and stops cleanly on SIGTERM", async () => {
  await withTempDir(async (dir) => {
    const node = startNode(["serve"], dir);
    try {
      const health = await waitFor("http://127.0.0.1:8091/v1/health");
      assert.equal(health.status, 200);
      const body = await (await fetch("http://127.0.0.1:8091/v1/health")).json();
      assert.equal(body.status, "ok");
      assert.deepEqual(body.roles, ["meta", "data"]);
      const head = await fetch("http://127.0.0.1:8091/v1/health", { method: "HEAD" });
      assert.equal(head.status, 200);
      await head.body?.cancel();
      const ping = await fetch("http://127.0.0.1:8086/ping");
      assert.equal(ping.status, 204);
      assert.ok(ping.headers.get("X-Influxdb-Version"));
      await ping.body?.cancel();
    } finally {
      const status = await node.stop("SIGTERM");
      assert.equal(status.code, 0, node.stderr());
    }
    // Its files live under ./chronoraft-data of the working directory.
    assert.ok((await Deno.stat(`${dir}/chronoraft-data`)).isDirectory);
    assert.match(node.stderr(), /listening listener=admin address=127\.0\.0\.1:8091/);
  });
});

Deno.test("configs/single.toml on free ports: healthy, leader in /v1/metrics, then SIGINT exits 0", async () => {
  await withTempDir(async (dir) => {
    const { toml, ports } = withFreePorts(await Deno.readTextFile(SINGLE));
    await Deno.writeTextFile(`${dir}/single.toml`, toml);
    const admin = ports.get(8091)!;
    const http = ports.get(8086)!;
    const node = startNode(["serve", "-c", "single.toml"], dir);
    try {
      await waitFor(`http://127.0.0.1:${admin}/v1/health`);
      await waitFor(`http://127.0.0.1:${http}/ping`, 204);
      const metrics = await fetch(`http://127.0.0.1:${admin}/v1/metrics`);
      assert.equal(metrics.status, 200);
      assert.equal(metrics.headers.get("content-type"), "text/plain; version=0.0.4");
      const text = await metrics.text();
      assert.match(text, /^chronoraft_raft_is_leader 1$/m);
      assert.match(text, /^chronoraft_raft_voters 1$/m);
    } finally {
      const status = await node.stop("SIGINT");
      assert.equal(status.code, 0, node.stderr());
    }
    assert.match(node.stderr(), /node stopped/);
  });
});

Deno.test("a port already in use: one clear line naming address and key, exit non-zero", async () => {
  await withTempDir(async (dir) => {
    const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (busy.addr as Deno.NetAddr).port;
    try {
      const toml = `[raft_config]\nid = 1\nsingle = true\nraft_api_port = ${freePort()}\n` +
        `[meta]\nadmin_api_address = "127.0.0.1:${port}"\n`;
      await Deno.writeTextFile(`${dir}/n.toml`, toml);
      const node = startNode(["serve", "-c", "n.toml"], dir);
      const status = await node.child.status;
      await node.stop();
      assert.notEqual(status.code, 0);
      assert.match(
        node.stderr(),
        new RegExp(
          `cannot listen on 127\\.0\\.0\\.1:${port} \\(\\[meta\\]\\.admin_api_address\\): address already in use`,
        ),
      );
    } finally {
      busy.close();
    }
  });
});

Deno.test("a second node on a raft_dir in use: one clear line, exit non-zero, the first unharmed", async () => {
  await withTempDir(async (dir) => {
    const config = (admin: number) =>
      `[raft_config]\nid = 1\nsingle = true\nraft_dir = "meta"\nraft_api_port = ${freePort()}\n` +
      `[meta]\nadmin_api_address = "127.0.0.1:${admin}"\n`;
    const firstAdmin = freePort();
    await Deno.writeTextFile(`${dir}/a.toml`, config(firstAdmin));
    await Deno.writeTextFile(`${dir}/b.toml`, config(freePort()));
    const first = startNode(["serve", "-c", "a.toml"], dir);
    try {
      await waitFor(`http://127.0.0.1:${firstAdmin}/v1/health`);
      const second = startNode(["serve", "-c", "b.toml"], dir);
      const status = await second.child.status;
      await second.stop();
      assert.notEqual(status.code, 0);
      assert.match(
        second.stderr(),
        /raft_dir meta is in use by another process \(it holds meta\/LOCK\)/,
      );
      assert.doesNotMatch(second.stderr(), /Uncaught/);
      const health = await waitFor(`http://127.0.0.1:${firstAdmin}/v1/health`);
      assert.equal(health.status, 200);
    } finally {
      const status = await first.stop("SIGTERM");
      assert.equal(status.code, 0, first.stderr());
    }
  });
});
