import { decode, encode } from "@msgpack/msgpack";
import type { Logger } from "../util/mod.ts";
import type { NodeId } from "../raft/mod.ts";

/** Receives every message that arrives, with the authenticated sender's id. */
export type MessageHandler<M> = (from: NodeId, msg: M) => void;

/**
 * Moves messages between nodes. Delivery is best-effort: `send` never blocks and never throws
 * for an unreachable peer (the message is dropped; raft retries). Messages to one peer arrive
 * in the order they were sent, with no duplicates, while a connection lasts. Implementations
 * must survive any bytes a peer sends: a bad frame or a bad handshake closes that connection
 * and is logged, and the node carries on.
 */
export interface Transport<M> {
  /** This node's id, sent in the handshake of every connection it opens. */
  readonly id: NodeId;
  /** The address other nodes dial to reach this one ("host:port", or a memory name). */
  readonly address: string;
  /** Queues `msg` for `to`; dropped when `to` is unknown, unreachable or its queue is full. */
  send(to: NodeId, msg: M): void;
  /** Sets the one handler that receives inbound messages (replaces any earlier one). */
  onMessage(handler: MessageHandler<M>): void;
  /** Records (or changes) where `id` listens; connects at once or on the first send. */
  addPeer(id: NodeId, address: string): void;
  /** Forgets `id` and closes any connection to it. */
  removePeer(id: NodeId): void;
  /** Closes every connection and the listener; later sends are dropped. Idempotent. */
  close(): Promise<void>;
  /**
   * Sets the one handler told when an established connection with a peer breaks (the peer
   * closed or reset it: its process is likely gone). Optional: a failure detector's hint only.
   */
  onPeerDown?(handler: (peer: NodeId) => void): void;
}

/** Turns messages into frame payloads and back; `decode` throws on anything not a message. */
export interface MessageCodec<M> {
  encode(msg: M): Uint8Array;
  decode(bytes: Uint8Array): M;
}

/** The logger methods a transport uses. */
export type TransportLogger = Pick<Logger, "error" | "warn" | "info" | "debug">;

/** A message payload that the codec refused. */
export class MessageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MessageDecodeError";
  }
}

/**
 * A msgpack codec. With `validate`, a decoded value that fails it is refused (so a peer cannot
 * hand the node a value of the wrong shape); without it any msgpack value passes.
 */
export function msgpackCodec<M>(validate?: (x: unknown) => x is M): MessageCodec<M> {
  return {
    encode: (msg) => encode(msg),
    decode: (bytes) => {
      let v: unknown;
      try {
        v = decode(bytes);
      } catch (e) {
        throw new MessageDecodeError(`message is not valid msgpack: ${(e as Error).message}`);
      }
      if (validate !== undefined && !validate(v)) {
        throw new MessageDecodeError("message does not have the expected shape");
      }
      return v as M;
    },
  };
}

/** Settings shared by every transport implementation. */
export interface TransportOptions<M> {
  /** This node's id. */
  readonly id: NodeId;
  /** Peers must present the same cluster id in their handshake. */
  readonly clusterId: string;
  /** Shared secret; when set, a peer must prove it knows it (HMAC-SHA256 of a challenge). */
  readonly secret?: string;
  /** Frame payload codec; msgpack without shape validation by default. */
  readonly codec?: MessageCodec<M>;
  /** Where refused connections and frames are reported. */
  readonly logger: TransportLogger;
  /** Largest frame payload accepted or sent (default 16 MiB). */
  readonly maxFrameBytes?: number;
}
