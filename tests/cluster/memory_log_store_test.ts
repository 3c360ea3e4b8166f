import { MemoryLogStore } from "../../src/raft/mod.ts";
import { runLogStoreConformance } from "./log_store_conformance.ts";

runLogStoreConformance("memory", () => ({
  open: () => Promise.resolve(new MemoryLogStore()),
  dispose: () => Promise.resolve(),
}));
