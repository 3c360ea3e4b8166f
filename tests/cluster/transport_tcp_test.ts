import assert from "node:assert/strict";
import { nodeId } from "../../src/raft/mod.ts";
import { nullLogger } from "../../src/util/mod.ts";
import { TcpTransport } from "../../src/cluster/transport_tcp.ts";
import type { RawConnection } from "../../src/cluster/transport_memory.ts";
import { runTransportConformance, type TestMsg } from "./transport_conformance.ts";

async function connectRaw(address: string): Promise<RawConnection> {
  const [hostname, port] = address.split(":");
  const conn = await Deno.connect({ hostname, port: Number(port) });
  let open = true;
  const buf = new Uint8Array(64 * 1024);
  return {
    read: async () => {
      if (!open) return null;
      try {
        const n = await conn.read(buf);
        return n === null ? null : buf.slice(0, n);
      } catch {
        return null;
      }
    },
    write: async (bytes) => {
      let off = 0;
      while (off < bytes.byteLength) off += await conn.write(bytes.subarray(off));
    },
    close: () => {
      if (!open) return;
      open = false;
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

runTransportConformance("tcp", () => ({
  create: (o) =>
    TcpTransport.listen<TestMsg>({
      id: o.id,
      clusterId: o.clusterId ?? "",
      secret: o.secret,
      logger: o.logger,
      maxFrameBytes: o.maxFrameBytes,
      listen: o.address ?? "127.0.0.1:0",
      backoff: { initialMs: 5, maxMs: 50 },
    }),
  connectRaw,
  dispose: () => Promise.resolve(),
}));

Deno.test("tcp: a peer whose process goes away is reported down, on both connections", async () => {
  const opts = (id: number) => ({
    id: nodeId(id),
    clusterId: "c",
    logger: nullLogger,
    listen: "127.0.0.1:0",
    backoff: { initialMs: 5, maxMs: 50 },
  });
  const a = await TcpTransport.listen<TestMsg>(opts(1));
  const b = await TcpTransport.listen<TestMsg>(opts(2));
  try {
    const down: number[] = [];
    b.onPeerDown((peer) => down.push(peer));
    let got = 0;
    a.onMessage(() => got++);
    b.onMessage(() => got++);
    a.addPeer(b.id, b.address);
    b.addPeer(a.id, a.address);
    const msg: TestMsg = { seq: 1, note: "hi", body: new Uint8Array(1) };
    a.send(b.id, msg);
    b.send(a.id, msg);
    for (let i = 0; i < 200 && got < 2; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(got, 2);
    assert.deepEqual(down, []);
    await a.close();
    for (let i = 0; i < 200 && down.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    // The inbound connection from a and b's own link to a both broke.
    assert.deepEqual(down, [1, 1]);
  } finally {
    await a.close();
    await b.close();
  }
});
