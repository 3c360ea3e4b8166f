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
