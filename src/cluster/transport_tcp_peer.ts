import type { NodeId } from "../raft/mod.ts";
import type { HostPort } from "../util/mod.ts";
import { encodeFrame, encodeFrames, FrameDecoder } from "./frame.ts";
import {
  decodeChallenge,
  encodeHandshake,
  makeHello,
  MAX_HANDSHAKE_FRAME_BYTES,
} from "./frame_handshake.ts";
import type { TransportLogger } from "./transport.ts";

/** Reconnect back-off: the delay doubles after each failure, from `initialMs` up to `maxMs`. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** What one outbound link needs from its transport. */
export interface PeerLinkOptions {
  readonly localId: NodeId;
  readonly peerId: NodeId;
  readonly address: HostPort;
  readonly clusterId: string;
  readonly key: Promise<CryptoKey | null>;
  readonly logger: TransportLogger;
  readonly backoff: Backoff;
  readonly maxQueueBytes: number;
  readonly handshakeTimeoutMs: number;
  readonly now: () => number;
  /** Called when an established connection breaks (not when it is closed on purpose). */
  readonly onDown?: () => void;
}

/** A connection that stayed up this long resets the back-off to its initial delay. */
const STABLE_CONNECTION_MS = 1000;

/** Writes all of `bytes`, looping over short writes. */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.byteLength) off += await conn.write(bytes.subarray(off));
}

/**
 * The single outbound connection to one peer. Frames queued while connecting are kept (up to
 * `maxQueueBytes`); while the peer is down and the back-off has not expired they are dropped.
 * A frame sent while the link is idle goes out at once (latency: a lone raft append or ack
 * should not wait for a later turn of the event loop); frames sent while a write is in
 * flight are sent together in the next write.
 */
export class PeerLink {
  readonly #o: PeerLinkOptions;
  #state: "idle" | "connecting" | "ready" | "closed" = "idle";
  #conn: Deno.TcpConn | null = null;
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #retryAt = 0;
  #delay: number;
  #connectedAt = 0;
  #writing = false;
  #flushScheduled = false;
  #tasks = new Set<Promise<void>>();

  constructor(opts: PeerLinkOptions) {
    this.#o = opts;
    this.#delay = opts.backoff.initialMs;
  }

  /** Queues one frame payload; false when it was dropped. */
  send(payload: Uint8Array): boolean {
    if (this.#state === "closed") return false;
    if (this.#state === "idle") {
      if (this.#o.now() < this.#retryAt) return false;
      this.#state = "connecting";
      this.#track(this.#connect());
    }
    if (this.#queuedBytes + payload.byteLength > this.#o.maxQueueBytes) return false;
    this.#queue.push(payload);
    this.#queuedBytes += payload.byteLength;
    if (this.#state === "ready" && !this.#writing) this.#track(this.#flush());
    return true;
  }

  /**
   * Connects now if not connected, even inside the back-off: the peer has just shown it is up
   * (it dialled us), or it was just added. A restarted follower then hears from its leader at
   * the next heartbeat instead of after the leader's back-off.
   */
  connectNow(): void {
    if (this.#state !== "idle") return;
    this.#retryAt = 0;
    this.#delay = this.#o.backoff.initialMs;
    this.#state = "connecting";
    this.#track(this.#connect());
  }

  /** Closes the connection for good and waits for its tasks to end. Idempotent. */
  async close(): Promise<void> {
    this.#state = "closed";
    this.#dropConn();
    this.#queue = [];
    this.#queuedBytes = 0;
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  #track(p: Promise<void>): void {
    this.#tasks.add(p);
    p.finally(() => this.#tasks.delete(p));
  }

  async #connect(): Promise<void> {
    const { address, logger, peerId } = this.#o;
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: address.host, port: address.port });
    } catch (e) {
      logger.debug("raft peer unreachable", { peer: peerId, error: (e as Error).message });
      this.#fail();
      return;
    }
    if (this.#state !== "connecting") {
      conn.close();
      return;
    }
    this.#conn = conn;
    const timer = setTimeout(() => this.#dropConn(), this.#o.handshakeTimeoutMs);
    try {
      conn.setNoDelay(true);
      const decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES);
      const buf = new Uint8Array(MAX_HANDSHAKE_FRAME_BYTES);
      let frame: Uint8Array | null = null;
      while (frame === null) {
        const n = await conn.read(buf);
        if (n === null) throw new Error("peer closed the connection during the handshake");
        decoder.push(buf.subarray(0, n));
        frame = decoder.next();
      }
      if (decoder.buffered > 0) throw new Error("peer sent more than a challenge before our hello");
      const challenge = decodeChallenge(frame);
      if (challenge.server !== peerId) {
        throw new Error(`node ${challenge.server} answers at this address, not node ${peerId}`);
      }
      const hello = await makeHello(
        challenge,
        this.#o.localId,
        this.#o.clusterId,
        await this.#o.key,
      );
      await writeAll(conn, encodeFrame(encodeHandshake(hello)));
    } catch (e) {
      clearTimeout(timer);
      if (this.#state === "connecting") {
        logger.warn("raft handshake with peer failed", {
          peer: peerId,
          address: `${address.host}:${address.port}`,
          error: (e as Error).message,
        });
      }
      this.#fail();
      return;
    }
    clearTimeout(timer);
    if (this.#state !== "connecting" || this.#conn !== conn) return;
    this.#state = "ready";
    this.#connectedAt = this.#o.now();
    logger.debug("raft connection to peer open", { peer: peerId });
    this.#track(this.#watch(conn));
    this.#scheduleFlush();
  }

  /** The listener never speaks after its challenge: any bytes or EOF end the connection. */
  async #watch(conn: Deno.TcpConn): Promise<void> {
    const buf = new Uint8Array(512);
    try {
      const n = await conn.read(buf);
      if (n !== null && this.#conn === conn) {
        this.#o.logger.warn("raft peer sent unexpected bytes; closing the connection", {
          peer: this.#o.peerId,
        });
      }
    } catch {
      // closed by us or reset by the peer: both end the connection below
    }
    if (this.#conn === conn) this.#fail();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#writing) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#track(this.#flush());
    });
  }

  async #flush(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#state === "ready" && this.#queue.length > 0 && this.#conn !== null) {
        const batch = encodeFrames(this.#queue);
        this.#queue = [];
        this.#queuedBytes = 0;
        const conn = this.#conn;
        try {
          await writeAll(conn, batch);
        } catch (e) {
          if (this.#conn === conn) {
            this.#o.logger.debug("raft write to peer failed", {
              peer: this.#o.peerId,
              error: (e as Error).message,
            });
            this.#fail();
          }
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Drops the connection and queue, and waits out the back-off before the next attempt. */
  #fail(): void {
    if (this.#state === "closed") return;
    const wasReady = this.#state === "ready";
    this.#dropConn();
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#state = "idle";
    const now = this.#o.now();
    if (wasReady && now - this.#connectedAt >= STABLE_CONNECTION_MS) {
      this.#delay = this.#o.backoff.initialMs;
    }
    this.#retryAt = now + this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.#o.backoff.maxMs);
    if (wasReady) this.#o.onDown?.();
  }

  #dropConn(): void {
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  }
}
