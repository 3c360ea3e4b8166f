// Public surface of the meta service's pure core: state, commands, apply, queries, client.

export * from "./types.ts";
export * from "./errors.ts";
export { type Applied, type ApplyResult } from "./apply_result.ts";
export { applyCommand } from "./apply.ts";
export {
  decodeCommand,
  encodeCommand,
  META_COMMAND_KINDS,
  type MetaCommand,
  type MetaCommandKind,
  validateCommand,
} from "./commands.ts";
export { isValidName } from "./apply_databases.ts";
export {
  DAY_NS,
  DEFAULT_RETENTION_POLICY_NAME,
  HOUR_NS,
  MAX_NANO_TIME,
  MIN_NANO_TIME,
  MIN_RETENTION_POLICY_DURATION,
  normalisedShardDuration,
  shardGroupDuration,
  shardGroupRange,
  shardGroupStart,
} from "./shard_groups.ts";
export * from "./queries.ts";
export {
  decodeMetaData,
  encodeMetaData,
  SNAPSHOT_FORMAT_VERSION,
  SnapshotError,
} from "./snapshot.ts";
export { type MetaListener, type MetaLogEntry, MetaStateMachine } from "./state_machine.ts";
export { type MetaClient, type ProposeFn } from "./meta_client.ts";
export { LocalMetaClient } from "./local_meta_client.ts";
