// The meta state as bytes, for Raft snapshots: msgpack with bigint times and sorted keys,
// so equal states encode to identical bytes. Decoding validates every field.

import { decode, encode } from "@msgpack/msgpack";
import { MSGPACK_ENCODE_OPTIONS } from "./commands.ts";
import { arr, bool, DecodeError, i64, id, int, obj, oneOf, opt, rec, str } from "./schema.ts";
import type {
  DataNodeId,
  MetaData,
  MetaNodeId,
  Privilege,
  ShardGroupId,
  ShardId,
} from "./types.ts";

/** Bumped when the snapshot layout changes incompatibly. */
export const SNAPSHOT_FORMAT_VERSION = 1;

const metaData = obj({
  clusterId: str,
  index: int,
  metaNodes: arr(obj({ id: id<MetaNodeId>(), raftAddress: str, httpAddress: str })),
  dataNodes: arr(obj({ id: id<DataNodeId>(), httpAddress: str, rpcAddress: str })),
  databases: arr(obj({
    name: str,
    defaultRetentionPolicy: str,
    retentionPolicies: arr(obj({
      name: str,
      duration: i64,
      shardGroupDuration: i64,
      replicaN: int,
      shardGroups: arr(obj({
        id: id<ShardGroupId>(),
        start: i64,
        end: i64,
        deletedAt: opt(i64),
        truncatedAt: opt(i64),
        shards: arr(obj({ id: id<ShardId>(), owners: arr(id<DataNodeId>()) })),
      })),
    })),
    continuousQueries: arr(obj({ name: str, query: str })),
  })),
  users: arr(obj({
    name: str,
    hash: str,
    admin: bool,
    privileges: rec(oneOf<Privilege>("NONE", "READ", "WRITE", "ALL")),
  })),
  nextDataNodeId: int,
  nextShardGroupId: int,
  nextShardId: int,
});

const envelope = obj({ version: int, data: metaData });

/** A snapshot that cannot be read: not msgpack, another format version, or a bad field. */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
}

/** Encodes the whole meta state. */
export function encodeMetaData(data: MetaData): Uint8Array {
  return encode({ version: SNAPSHOT_FORMAT_VERSION, data }, MSGPACK_ENCODE_OPTIONS);
}

/** Decodes and validates a meta state written by `encodeMetaData`. */
export function decodeMetaData(bytes: Uint8Array): MetaData {
  let raw: unknown;
  try {
    raw = decode(bytes, { useBigInt64: true });
  } catch (err) {
    throw new SnapshotError(
      `meta snapshot is not msgpack: ${err instanceof Error ? err.message : err}`,
    );
  }
  try {
    const { version, data } = envelope(raw, "snapshot");
    if (version !== SNAPSHOT_FORMAT_VERSION) {
      throw new SnapshotError(
        `meta snapshot format ${version} is not supported (this build reads ${SNAPSHOT_FORMAT_VERSION})`,
      );
    }
    return data;
  } catch (err) {
    if (err instanceof DecodeError) throw new SnapshotError(`bad meta snapshot: ${err.message}`);
    throw err;
  }
}
