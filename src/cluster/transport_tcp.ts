import type { NodeId } from "../raft/mod.ts";
import { formatHostPort, type HostPort, parseHostPort } from "../util/mod.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "./frame.ts";
import { importSecret } from "./frame_handshake.ts";
import { InboundSession } from "./transport_inbound.ts";
import { type Backoff, PeerLink, writeAll } from "./transport_tcp_peer.ts";
import {
  type MessageCodec,
  type MessageHandler,
  msgpackCodec,
  type Transport,
  type TransportOptions,
} from "./transport.ts";

/** Options of the TCP transport, on top of the shared ones. */
export interface TcpTransportOptions<M> extends TransportOptions<M> {
  /** Where to listen, "host:port"; port 0 picks a free port. */
  readonly listen: string;
  /** The host peers should dial, when it differs from the listen host. */
  readonly advertiseHost?: string;
  /** Reconnect back-off (default 50 ms doubling to 250 ms). */
  readonly backoff?: Backoff;
  /** Bytes queued per peer before new messages are dropped (default 64 MiB). */
  readonly maxQueueBytes?: number;
  /** A connection must finish its handshake within this time (default 5 s). */
  readonly handshakeTimeoutMs?: number;
  /** Clock for back-off, in ms (default `Date.now`). */
  readonly now?: () => number;
}

/** The address text could not be parsed. */
export class TransportAddressError extends Error {
  constructor(readonly address: string) {
    super(`Raft peer address "${address}" is not "host:port"; fix the address and retry`);
    this.name = "TransportAddressError";
  }
}

function parseAddress(text: string): HostPort {
  const a = parseHostPort(text);
  if (a === null) throw new TransportAddressError(text);
  return a;
}

const READ_BUFFER_BYTES = 256 * 1024;

/**
 * Raft transport over TCP: length-prefixed msgpack frames, one outbound connection per peer
 * (inbound connections only receive), a challenge/HMAC handshake first on every connection.
 */
export class TcpTransport<M> implements Transport<M> {
  readonly id: NodeId;
  readonly address: string;
  readonly #o: TcpTransportOptions<M>;
  readonly #codec: MessageCodec<M>;
  readonly #key: Promise<CryptoKey | null>;
  readonly #listener: Deno.TcpListener;
  readonly #peers = new Map<NodeId, { address: string; link: PeerLink }>();
  readonly #inbound = new Set<Deno.TcpConn>();
  readonly #tasks = new Set<Promise<void>>();
  #handler: MessageHandler<M> = () => {};
  #onPeerDown: (peer: NodeId) => void = () => {};
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(opts: TcpTransportOptions<M>, listener: Deno.TcpListener, host: string) {
    this.id = opts.id;
    this.#o = opts;
    this.#codec = opts.codec ?? msgpackCodec<M>();
    this.#key = importSecret(opts.secret);
    this.#listener = listener;
    this.address = formatHostPort({ host, port: listener.addr.port });
    this.#track(this.#acceptLoop());
  }

  /** Binds the listener and starts accepting; throws if the address is taken or invalid. */
  static listen<M>(opts: TcpTransportOptions<M>): Promise<TcpTransport<M>> {
    const at = parseAddress(opts.listen);
    const listener = Deno.listen({ hostname: at.host, port: at.port, transport: "tcp" });
    return Promise.resolve(new TcpTransport(opts, listener, opts.advertiseHost ?? at.host));
  }

  /** Encodes `msg` and queues it on the link to `to`; dropped if it cannot go now. */
  send(to: NodeId, msg: M): void {
    if (this.#closed) return;
    const peer = this.#peers.get(to);
    if (peer === undefined) return;
    let bytes: Uint8Array;
    try {
      bytes = this.#codec.encode(msg);
    } catch (e) {
      this.#o.logger.error("raft message could not be encoded; dropped", {
        peer: to,
        error: (e as Error).message,
      });
      return;
    }
    if (bytes.byteLength > (this.#o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES)) {
      this.#o.logger.error("raft message exceeds the maximum frame size; dropped", {
        peer: to,
        bytes: bytes.byteLength,
      });
      return;
    }
    peer.link.send(bytes);
  }

  /** Sets the inbound message handler. */
  onMessage(handler: MessageHandler<M>): void {
    this.#handler = handler;
  }

  /** Sets the handler told when an established connection with a peer breaks. */
  onPeerDown(handler: (peer: NodeId) => void): void {
    this.#onPeerDown = handler;
  }

  #peerDown(peer: NodeId): void {
    if (this.#closed) return;
    try {
      this.#onPeerDown(peer);
    } catch (e) {
      this.#o.logger.error("peer-down handler failed", { peer, error: (e as Error).message });
    }
  }

  /** Records where `id` listens; a changed address replaces the old link. */
  addPeer(id: NodeId, address: string): void {
    if (this.#closed) return;
    const existing = this.#peers.get(id);
    if (existing !== undefined && existing.address === address) return;
    const at = parseAddress(address);
    if (existing !== undefined) this.#track(existing.link.close());
    const link = new PeerLink({
      localId: this.id,
      peerId: id,
      address: at,
      clusterId: this.#o.clusterId,
      key: this.#key,
      logger: this.#o.logger,
      // Capped low: a restarted peer says nothing until its election timeout, so the leader's
      // next attempt is what decides how soon it catches up.
      backoff: this.#o.backoff ?? { initialMs: 50, maxMs: 250 },
      maxQueueBytes: this.#o.maxQueueBytes ?? 64 * 1024 * 1024,
      handshakeTimeoutMs: this.#o.handshakeTimeoutMs ?? 5000,
      now: this.#o.now ?? Date.now,
      onDown: () => this.#peerDown(id),
    });
    this.#peers.set(id, { address, link });
    link.connectNow();
  }

  /** Forgets `id` and closes the link to it. */
  removePeer(id: NodeId): void {
    const peer = this.#peers.get(id);
    if (peer === undefined) return;
    this.#peers.delete(id);
    this.#track(peer.link.close());
  }

  /** Stops listening, closes every connection and waits for their loops. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const conn of this.#inbound) closeQuietly(conn);
    for (const { link } of this.#peers.values()) this.#track(link.close());
    this.#peers.clear();
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  #track(p: Promise<void>): void {
    this.#tasks.add(p);
    p.finally(() => this.#tasks.delete(p));
  }

  async #acceptLoop(): Promise<void> {
    while (!this.#closed) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch (e) {
        if (!this.#closed) {
          this.#o.logger.error("raft listener failed", { error: (e as Error).message });
        }
        return;
      }
      if (this.#closed) {
        closeQuietly(conn);
        return;
      }
      this.#inbound.add(conn);
      this.#track(this.#serve(conn));
    }
  }

  async #serve(conn: Deno.TcpConn): Promise<void> {
    const remote = formatHostPort({ host: conn.remoteAddr.hostname, port: conn.remoteAddr.port });
    const session = new InboundSession<M>({
      localId: this.id,
      clusterId: this.#o.clusterId,
      key: this.#key,
      codec: this.#codec,
      logger: this.#o.logger,
      maxFrameBytes: this.#o.maxFrameBytes,
      remote,
      write: (bytes) => writeAll(conn, bytes),
      deliver: (from, msg) => this.#handler(from, msg),
    });
    const timer = setTimeout(() => {
      if (session.peer === null) {
        this.#o.logger.warn("raft connection did not finish its handshake in time; closing it", {
          remote,
        });
        closeQuietly(conn);
      }
    }, this.#o.handshakeTimeoutMs ?? 5000);
    let broken = false;
    try {
      conn.setNoDelay(true);
      if (!(await session.start())) return;
      const buf = new Uint8Array(READ_BUFFER_BYTES);
      while (!this.#closed) {
        const n = await conn.read(buf);
        if (n === null) {
          broken = true;
          break;
        }
        const known = session.peer;
        if (!(await session.feed(buf.subarray(0, n)))) break;
        // The peer just authenticated: it is up, so our link to it need not wait its back-off.
        if (known === null && session.peer !== null) {
          this.#peers.get(session.peer)?.link.connectNow();
        }
      }
    } catch {
      // reset by the peer or closed by us: either way this connection is over
      broken = true;
    } finally {
      if (broken && session.peer !== null) this.#peerDown(session.peer);
      clearTimeout(timer);
      this.#inbound.delete(conn);
      closeQuietly(conn);
    }
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
