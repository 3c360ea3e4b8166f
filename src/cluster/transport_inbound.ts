import type { NodeId } from "../raft/mod.ts";
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from "./frame.ts";
import {
  decodeHello,
  encodeHandshake,
  MAX_HANDSHAKE_FRAME_BYTES,
  newNonce,
  verifyHello,
} from "./frame_handshake.ts";
import type { MessageCodec, MessageHandler, TransportLogger } from "./transport.ts";

/** What an accepted connection needs from the transport that owns it. */
export interface InboundSessionOptions<M> {
  readonly localId: NodeId;
  readonly clusterId: string;
  /** HMAC key of the shared secret (null: none); may still be importing. */
  readonly key: CryptoKey | null | Promise<CryptoKey | null>;
  readonly codec: MessageCodec<M>;
  readonly logger: TransportLogger;
  readonly maxFrameBytes?: number;
  /** Who is on the other end, for logs ("127.0.0.1:53312"). */
  readonly remote: string;
  /** Writes bytes to the peer (used once, for the challenge). */
  readonly write: (bytes: Uint8Array) => Promise<void>;
  /** Hands a decoded message to the transport's handler. */
  readonly deliver: MessageHandler<M>;
}

/**
 * The listening side of one connection: sends a challenge, checks the hello that answers
 * it, then decodes message frames. Any refusal is logged and reported as `false` from
 * `feed`, and the owner closes the connection; nothing here throws.
 */
export class InboundSession<M> {
  readonly #opts: InboundSessionOptions<M>;
  readonly #decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES);
  readonly #nonce = newNonce();
  #peer: NodeId | null = null;
  #dead = false;

  constructor(opts: InboundSessionOptions<M>) {
    this.#opts = opts;
  }

  /** The authenticated peer, once its hello was accepted. */
  get peer(): NodeId | null {
    return this.#peer;
  }

  /** Sends the challenge; false when the connection is already gone. */
  async start(): Promise<boolean> {
    const challenge = encodeHandshake({
      kind: "challenge",
      server: this.#opts.localId,
      nonce: this.#nonce,
    });
    try {
      await this.#opts.write(encodeFrame(challenge));
      return true;
    } catch (e) {
      this.#opts.logger.debug("raft connection closed before the handshake", {
        remote: this.#opts.remote,
        error: (e as Error).message,
      });
      this.#dead = true;
      return false;
    }
  }

  /** Processes bytes read from the connection; false means "close it now". */
  async feed(chunk: Uint8Array): Promise<boolean> {
    if (this.#dead) return false;
    this.#decoder.push(chunk);
    for (;;) {
      let payload: Uint8Array | null;
      try {
        payload = this.#decoder.next();
      } catch (e) {
        return this.#refuse("raft connection sent a bad frame; closing it", e);
      }
      if (payload === null) break;
      if (this.#peer === null) {
        if (!(await this.#handshake(payload))) return false;
        continue;
      }
      let msg: M;
      try {
        msg = this.#opts.codec.decode(payload);
      } catch (e) {
        return this.#refuse("raft connection sent a malformed message; closing it", e);
      }
      try {
        this.#opts.deliver(this.#peer, msg);
      } catch (e) {
        this.#opts.logger.error("raft message handler failed", {
          remote: this.#opts.remote,
          peer: this.#peer,
          error: (e as Error).message,
        });
      }
    }
    return true;
  }

  async #handshake(payload: Uint8Array): Promise<boolean> {
    let why: string | null;
    let from: number | undefined;
    try {
      const hello = decodeHello(payload);
      from = hello.from;
      why = await verifyHello(hello, this.#nonce, this.#opts.clusterId, await this.#opts.key);
    } catch (e) {
      return this.#refuse("raft connection sent a bad handshake; closing it", e);
    }
    if (why !== null) {
      this.#opts.logger.warn("raft connection refused: " + why, {
        remote: this.#opts.remote,
        peer: from,
      });
      this.#dead = true;
      return false;
    }
    this.#peer = from as NodeId;
    this.#decoder.setMaxFrameBytes(this.#opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.#opts.logger.debug("raft connection accepted", { remote: this.#opts.remote, peer: from });
    return true;
  }

  #refuse(msg: string, e: unknown): false {
    this.#opts.logger.warn(msg, {
      remote: this.#opts.remote,
      peer: this.#peer ?? undefined,
      error: (e as Error).message,
    });
    this.#dead = true;
    return false;
  }
}
