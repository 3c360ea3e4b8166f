import { MemoryNetwork } from "../../src/cluster/transport_memory.ts";
import { runTransportConformance, type TestMsg } from "./transport_conformance.ts";

runTransportConformance("memory", () => {
  const net = new MemoryNetwork();
  return {
    create: (o) =>
      Promise.resolve(
        net.create<TestMsg>({
          id: o.id,
          clusterId: o.clusterId ?? "",
          secret: o.secret,
          logger: o.logger,
          maxFrameBytes: o.maxFrameBytes,
        }, o.address),
      ),
    connectRaw: (address) => {
      const c = net.connectRaw(address);
      if (c === null) throw new Error(`nothing listens at ${address}`);
      return Promise.resolve(c);
    },
    dispose: () => Promise.resolve(),
  };
});
