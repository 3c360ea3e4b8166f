/** The pure Raft core: types, the persistence contract and the in-memory log store. */
export * from "./types.ts";
export * from "./errors.ts";
export type { LogStore, PersistBatch, PersistedState, StateMachine } from "./storage.ts";
export { EMPTY_HARD_STATE, MemoryLogStore } from "./memory_log_store.ts";
export { applyConfChange, decodeConfChange, encodeConfChange } from "./conf_change.ts";
export { DEFAULT_RAFT_CONFIG, type RaftConfig, raftConfig } from "./config.ts";
export { canSendBeforePersist } from "./early_send.ts";
export { bootstrapState, type RaftStatus, RawNode } from "./raw_node.ts";
export { Raft } from "./raft.ts";
export { RaftLog } from "./raft_log.ts";
export { Progress, type ProgressState } from "./progress.ts";
