import { decode, encode } from "@msgpack/msgpack";
import type { NodeId } from "../raft/mod.ts";

/**
 * The driver's snapshot data: the state machine's bytes plus the address of every member,
 * so a node restored from a snapshot can still reach members added after it started.
 */
export interface SnapshotEnvelope {
  readonly peers: ReadonlyMap<NodeId, string>;
  readonly data: Uint8Array;
}

/** Wraps state machine bytes and the address book. */
export function encodeSnapshotEnvelope(env: SnapshotEnvelope): Uint8Array {
  return encode({ v: 1, peers: [...env.peers], data: env.data });
}

/** Unwraps a snapshot made by `encodeSnapshotEnvelope`; throws a plain Error on other bytes. */
export function decodeSnapshotEnvelope(bytes: Uint8Array): SnapshotEnvelope {
  const v = decode(bytes) as { v?: unknown; peers?: unknown; data?: unknown } | null;
  if (
    v === null || typeof v !== "object" || v.v !== 1 || !Array.isArray(v.peers) ||
    !(v.data instanceof Uint8Array)
  ) {
    throw new Error("Raft snapshot data was not written by this driver; cannot restore it");
  }
  const peers = new Map<NodeId, string>();
  for (const p of v.peers) {
    if (Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "string") {
      peers.set(p[0] as NodeId, p[1]);
    }
  }
  return { peers, data: v.data };
}
