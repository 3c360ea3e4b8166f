// The commands the meta Raft log carries, and their msgpack encoding. A command holds every
// input its application needs (times included), so applying it is deterministic.

import { Decoder as MsgpackDecoder, Encoder } from "@msgpack/msgpack";
import { MetaError, metaErrors } from "./errors.ts";
import { bool, DecodeError, type Decoder, i64, id, int, obj, oneOf, opt, str } from "./schema.ts";
import type {
  DataNodeId,
  MetaNodeId,
  Privilege,
  RetentionPolicySpec,
  RetentionPolicyUpdate,
  ShardGroupId,
  ShardId,
} from "./types.ts";

/** Every change to the meta state, discriminated by `kind`. Times are ns since the epoch. */
export type MetaCommand =
  | { readonly kind: "initCluster"; readonly clusterId: string }
  | {
    readonly kind: "createDatabase";
    readonly name: string;
    /** The RP clause of CREATE DATABASE; absent creates the default "autogen". */
    readonly retentionPolicy?: RetentionPolicySpec;
  }
  | { readonly kind: "dropDatabase"; readonly name: string }
  | {
    readonly kind: "createRetentionPolicy";
    readonly database: string;
    readonly spec: RetentionPolicySpec;
    readonly makeDefault: boolean;
  }
  | {
    readonly kind: "updateRetentionPolicy";
    readonly database: string;
    readonly name: string;
    readonly update: RetentionPolicyUpdate;
    readonly makeDefault: boolean;
  }
  | { readonly kind: "dropRetentionPolicy"; readonly database: string; readonly name: string }
  | {
    readonly kind: "setDefaultRetentionPolicy";
    readonly database: string;
    readonly name: string;
  }
  | {
    readonly kind: "createShardGroup";
    readonly database: string;
    readonly retentionPolicy: string;
    readonly timestamp: bigint;
  }
  | {
    readonly kind: "deleteShardGroup";
    readonly database: string;
    readonly retentionPolicy: string;
    readonly id: ShardGroupId;
    readonly at: bigint;
  }
  | { readonly kind: "truncateShardGroups"; readonly at: bigint }
  | { readonly kind: "dropShard"; readonly id: ShardId; readonly at: bigint }
  | { readonly kind: "addShardOwner"; readonly shardId: ShardId; readonly nodeId: DataNodeId }
  | { readonly kind: "removeShardOwner"; readonly shardId: ShardId; readonly nodeId: DataNodeId }
  | { readonly kind: "createDataNode"; readonly httpAddress: string; readonly rpcAddress: string }
  | {
    readonly kind: "updateDataNode";
    readonly id: DataNodeId;
    readonly httpAddress: string;
    readonly rpcAddress: string;
  }
  | { readonly kind: "deleteDataNode"; readonly id: DataNodeId; readonly at: bigint }
  | {
    readonly kind: "addMetaNode";
    readonly id: MetaNodeId;
    readonly raftAddress: string;
    readonly httpAddress: string;
  }
  | { readonly kind: "removeMetaNode"; readonly id: MetaNodeId }
  | {
    readonly kind: "createUser";
    readonly name: string;
    readonly hash: string;
    readonly admin: boolean;
  }
  | { readonly kind: "dropUser"; readonly name: string }
  | { readonly kind: "setPassword"; readonly name: string; readonly hash: string }
  | { readonly kind: "setAdmin"; readonly name: string; readonly admin: boolean }
  | {
    readonly kind: "setPrivilege";
    readonly user: string;
    readonly database: string;
    readonly privilege: Privilege;
  }
  | {
    readonly kind: "revokePrivilege";
    readonly user: string;
    readonly database: string;
    readonly privilege: Privilege;
  }
  | {
    readonly kind: "createContinuousQuery";
    readonly database: string;
    readonly name: string;
    readonly query: string;
  }
  | { readonly kind: "dropContinuousQuery"; readonly database: string; readonly name: string };

/** The `kind` of a MetaCommand. */
export type MetaCommandKind = MetaCommand["kind"];

const privilege = oneOf<Privilege>("NONE", "READ", "WRITE", "ALL");
const rpSpec = obj({
  name: opt(str),
  duration: opt(i64),
  replicaN: opt(int),
  shardGroupDuration: opt(i64),
});
const rpUpdate = rpSpec;
const dataNode = id<DataNodeId>();

const DECODERS: { readonly [K in MetaCommandKind]: Decoder<Extract<MetaCommand, { kind: K }>> } = {
  initCluster: obj({ kind: oneOf("initCluster"), clusterId: str }),
  createDatabase: obj({ kind: oneOf("createDatabase"), name: str, retentionPolicy: opt(rpSpec) }),
  dropDatabase: obj({ kind: oneOf("dropDatabase"), name: str }),
  createRetentionPolicy: obj({
    kind: oneOf("createRetentionPolicy"),
    database: str,
    spec: rpSpec,
    makeDefault: bool,
  }),
  updateRetentionPolicy: obj({
    kind: oneOf("updateRetentionPolicy"),
    database: str,
    name: str,
    update: rpUpdate,
    makeDefault: bool,
  }),
  dropRetentionPolicy: obj({ kind: oneOf("dropRetentionPolicy"), database: str, name: str }),
  setDefaultRetentionPolicy: obj({
    kind: oneOf("setDefaultRetentionPolicy"),
    database: str,
    name: str,
  }),
  createShardGroup: obj({
    kind: oneOf("createShardGroup"),
    database: str,
    retentionPolicy: str,
    timestamp: i64,
  }),
  deleteShardGroup: obj({
    kind: oneOf("deleteShardGroup"),
    database: str,
    retentionPolicy: str,
    id: id<ShardGroupId>(),
    at: i64,
  }),
  truncateShardGroups: obj({ kind: oneOf("truncateShardGroups"), at: i64 }),
  dropShard: obj({ kind: oneOf("dropShard"), id: id<ShardId>(), at: i64 }),
  addShardOwner: obj({ kind: oneOf("addShardOwner"), shardId: id<ShardId>(), nodeId: dataNode }),
  removeShardOwner: obj({
    kind: oneOf("removeShardOwner"),
    shardId: id<ShardId>(),
    nodeId: dataNode,
  }),
  createDataNode: obj({ kind: oneOf("createDataNode"), httpAddress: str, rpcAddress: str }),
  updateDataNode: obj({
    kind: oneOf("updateDataNode"),
    id: dataNode,
    httpAddress: str,
    rpcAddress: str,
  }),
  deleteDataNode: obj({ kind: oneOf("deleteDataNode"), id: dataNode, at: i64 }),
  addMetaNode: obj({
    kind: oneOf("addMetaNode"),
    id: id<MetaNodeId>(),
    raftAddress: str,
    httpAddress: str,
  }),
  removeMetaNode: obj({ kind: oneOf("removeMetaNode"), id: id<MetaNodeId>() }),
  createUser: obj({ kind: oneOf("createUser"), name: str, hash: str, admin: bool }),
  dropUser: obj({ kind: oneOf("dropUser"), name: str }),
  setPassword: obj({ kind: oneOf("setPassword"), name: str, hash: str }),
  setAdmin: obj({ kind: oneOf("setAdmin"), name: str, admin: bool }),
  setPrivilege: obj({ kind: oneOf("setPrivilege"), user: str, database: str, privilege }),
  revokePrivilege: obj({ kind: oneOf("revokePrivilege"), user: str, database: str, privilege }),
  createContinuousQuery: obj({
    kind: oneOf("createContinuousQuery"),
    database: str,
    name: str,
    query: str,
  }),
  dropContinuousQuery: obj({ kind: oneOf("dropContinuousQuery"), database: str, name: str }),
};

/** Every command kind, in a stable order. */
export const META_COMMAND_KINDS: readonly MetaCommandKind[] = Object.keys(
  DECODERS,
) as MetaCommandKind[];

/** msgpack options shared by commands and snapshots: bigint as int64, keys sorted. */
export const MSGPACK_ENCODE_OPTIONS = {
  useBigInt64: true,
  ignoreUndefined: true,
  sortKeys: true,
} as const;

/** Encodes a command for the Raft log. Equal commands encode to equal bytes. */
export function encodeCommand(cmd: MetaCommand): Uint8Array {
  return encoder.encode(cmd);
}

// Reused instances: building an Encoder per call costs more than encoding a command.
const encoder = new Encoder(MSGPACK_ENCODE_OPTIONS);
const decoder = new MsgpackDecoder({ useBigInt64: true });

/** Decodes and validates a command; throws MetaError("badCommand") naming the bad field. */
export function decodeCommand(bytes: Uint8Array): MetaCommand {
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (err) {
    throw metaErrors.badCommand(`not msgpack (${err instanceof Error ? err.message : err})`);
  }
  return validateCommand(raw);
}

/** Validates an already-decoded value (e.g. from JSON) as a MetaCommand. */
export function validateCommand(raw: unknown): MetaCommand {
  const kind = typeof raw === "object" && raw !== null
    ? (raw as Record<string, unknown>).kind
    : undefined;
  if (typeof kind !== "string" || !Object.hasOwn(DECODERS, kind)) {
    throw metaErrors.badCommand(`unknown kind ${JSON.stringify(kind)}`);
  }
  try {
    return DECODERS[kind as MetaCommandKind](raw, "command");
  } catch (err) {
    if (err instanceof DecodeError) throw metaErrors.badCommand(err.message);
    throw err;
  }
}

/** True when `err` is a MetaError from decoding a malformed command. */
export function isBadCommand(err: unknown): err is MetaError {
  return err instanceof MetaError && err.code === "badCommand";
}
