import type { NodeId } from "../raft/mod.ts";
import { importSecret } from "./frame_handshake.ts";
import { InboundSession } from "./transport_inbound.ts";
import {
  type MessageCodec,
  type MessageHandler,
  msgpackCodec,
  type Transport,
  type TransportLogger,
  type TransportOptions,
} from "./transport.ts";

/** A byte-level connection to an endpoint, for tests that speak the wire protocol by hand. */
export interface RawConnection {
  /** Next bytes from the endpoint, or null once the connection is closed. */
  read(): Promise<Uint8Array | null>;
  /** Sends bytes; rejects once the connection is closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes this end. Idempotent. */
  close(): void;
}

interface Endpoint {
  readonly id: NodeId;
  readonly clusterId: string;
  readonly secret: string;
  readonly logger: TransportLogger;
  isClosed(): boolean;
  receive(from: NodeId, bytes: Uint8Array): void;
  acceptRaw(remote: string): RawConnection;
}

/**
 * An in-process network for tests: transports created here reach each other by address,
 * messages are delivered in order on a later macrotask, and links can be cut and healed.
 * Messages go through the codec, so a message that would not survive the wire fails here too.
 */
export class MemoryNetwork {
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #blocked = new Set<string>();
  #pending: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextAddress = 1;

  /** Creates a transport attached to this network, at `address` or a fresh one. */
  create<M>(opts: TransportOptions<M>, address?: string): MemoryTransport<M> {
    address ??= `mem:${this.#nextAddress++}`;
    const taken = this.#endpoints.get(address);
    if (taken !== undefined && !taken.isClosed()) {
      throw new Error(`Memory address ${address} is in use; close its transport first`);
    }
    return new MemoryTransport(this, address, opts);
  }

  /** Stops delivery from `from` to `to` (one direction). */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.#blocked.add(`${from}>${to}`);
  }

  /** Stops delivery between `a` and `b` in both directions. */
  cut(a: NodeId, b: NodeId): void {
    this.cutOneWay(a, b);
    this.cutOneWay(b, a);
  }

  /** Cuts `id` off from every node in `others`. */
  isolate(id: NodeId, others: readonly NodeId[]): void {
    for (const o of others) if (o !== id) this.cut(id, o);
  }

  /** Restores every link. */
  heal(): void {
    this.#blocked.clear();
  }

  /** Opens a raw byte connection to the endpoint at `address` (null if nothing is there). */
  connectRaw(address: string): RawConnection | null {
    const ep = this.#endpoints.get(address);
    if (ep === undefined || ep.isClosed()) return null;
    return ep.acceptRaw(`raw-${this.#nextAddress++}`);
  }

  /** @internal Registers an endpoint under its address. */
  register(address: string, ep: Endpoint): void {
    this.#endpoints.set(address, ep);
  }

  /** @internal Removes an endpoint. */
  unregister(address: string): void {
    this.#endpoints.delete(address);
  }

  /** @internal Queues one delivery from a transport to the endpoint at `address`. */
  deliver(from: Endpoint, address: string, bytes: Uint8Array): void {
    const target = this.#endpoints.get(address);
    if (target === undefined || target.isClosed()) return;
    if (this.#blocked.has(`${from.id}>${target.id}`)) return;
    if (target.clusterId !== from.clusterId || target.secret !== from.secret) {
      target.logger.warn("raft connection refused: peer's cluster id or shared secret differs", {
        peer: from.id,
      });
      return;
    }
    this.#pending.push(() => {
      if (!target.isClosed() && !this.#blocked.has(`${from.id}>${target.id}`)) {
        target.receive(from.id, bytes);
      }
    });
    if (this.#timer === undefined) this.#timer = setTimeout(() => this.#flush(), 0);
  }

  #flush(): void {
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    for (const run of batch) run();
  }
}

/** A Transport over a MemoryNetwork: same contract as the TCP one, no sockets. */
export class MemoryTransport<M> implements Transport<M> {
  readonly id: NodeId;
  readonly address: string;
  readonly #net: MemoryNetwork;
  readonly #opts: TransportOptions<M>;
  readonly #codec: MessageCodec<M>;
  readonly #peers = new Map<NodeId, string>();
  readonly #raw = new Set<RawConnection>();
  readonly #endpoint: Endpoint;
  #handler: MessageHandler<M> = () => {};
  #closed = false;

  constructor(net: MemoryNetwork, address: string, opts: TransportOptions<M>) {
    this.id = opts.id;
    this.address = address;
    this.#net = net;
    this.#opts = opts;
    this.#codec = opts.codec ?? msgpackCodec<M>();
    this.#endpoint = {
      id: opts.id,
      clusterId: opts.clusterId,
      secret: opts.secret ?? "",
      logger: opts.logger,
      isClosed: () => this.#closed,
      receive: (from, bytes) => this.#receive(from, bytes),
      acceptRaw: (remote) => this.#acceptRaw(remote),
    };
    net.register(address, this.#endpoint);
  }

  /** Queues `msg` for `to`; dropped if `to` is unknown, cut off or closed. */
  send(to: NodeId, msg: M): void {
    if (this.#closed) return;
    const address = this.#peers.get(to);
    if (address === undefined) return;
    let bytes: Uint8Array;
    try {
      bytes = this.#codec.encode(msg);
    } catch (e) {
      this.#opts.logger.error("raft message could not be encoded; dropped", {
        peer: to,
        error: (e as Error).message,
      });
      return;
    }
    const max = this.#opts.maxFrameBytes;
    if (max !== undefined && bytes.byteLength > max) {
      this.#opts.logger.error("raft message exceeds the maximum frame size; dropped", {
        peer: to,
        bytes: bytes.byteLength,
      });
      return;
    }
    this.#net.deliver(this.#endpoint, address, bytes);
  }

  /** Sets the inbound message handler. */
  onMessage(handler: MessageHandler<M>): void {
    this.#handler = handler;
  }

  /** Records the memory address of `id`. */
  addPeer(id: NodeId, address: string): void {
    this.#peers.set(id, address);
  }

  /** Forgets `id`. */
  removePeer(id: NodeId): void {
    this.#peers.delete(id);
  }

  /** Detaches from the network and closes raw connections. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#net.unregister(this.address);
      for (const c of this.#raw) c.close();
      this.#raw.clear();
    }
    return Promise.resolve();
  }

  #receive(from: NodeId, bytes: Uint8Array): void {
    let msg: M;
    try {
      msg = this.#codec.decode(bytes);
    } catch (e) {
      this.#opts.logger.warn("raft peer sent a malformed message; dropped", {
        peer: from,
        error: (e as Error).message,
      });
      return;
    }
    try {
      this.#handler(from, msg);
    } catch (e) {
      this.#opts.logger.error("raft message handler failed", {
        peer: from,
        error: (e as Error).message,
      });
    }
  }

  #acceptRaw(remote: string): RawConnection {
    const toClient: Uint8Array[] = [];
    let waiter: ((b: Uint8Array | null) => void) | null = null;
    let open = true;
    const push = (b: Uint8Array | null) => {
      if (waiter !== null) {
        const w = waiter;
        waiter = null;
        w(b);
      } else if (b !== null) toClient.push(b);
    };
    const close = () => {
      if (!open) return;
      open = false;
      this.#raw.delete(conn);
      push(null);
    };
    const session = new InboundSession<M>({
      localId: this.id,
      clusterId: this.#opts.clusterId,
      key: this.#keyReady(),
      codec: this.#codec,
      logger: this.#opts.logger,
      maxFrameBytes: this.#opts.maxFrameBytes,
      remote,
      write: (bytes) => {
        if (!open) return Promise.reject(new Error("connection closed"));
        push(bytes.slice());
        return Promise.resolve();
      },
      deliver: (from, msg) => this.#handler(from, msg),
    });
    // Feeds are chained so frames are processed in arrival order, as on a socket.
    let chain = session.start();
    const conn: RawConnection = {
      read: () => {
        const b = toClient.shift();
        if (b !== undefined) return Promise.resolve(b);
        if (!open) return Promise.resolve(null);
        return new Promise((resolve) => (waiter = resolve));
      },
      write: (bytes) => {
        if (!open) return Promise.reject(new Error("connection closed"));
        const copy = bytes.slice();
        chain = chain.then(async (ok) => {
          if (!ok || !open) return false;
          const keep = await session.feed(copy);
          if (!keep) close();
          return keep;
        });
        return Promise.resolve();
      },
      close,
    };
    this.#raw.add(conn);
    return conn;
  }

  #key: Promise<CryptoKey | null> | undefined;
  #keyReady(): Promise<CryptoKey | null> {
    this.#key ??= importSecret(this.#opts.secret);
    return this.#key;
  }
}
