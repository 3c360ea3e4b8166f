/** A small in-process cluster of drivers over the memory transport, for driver tests. */
import { decode, encode } from "@msgpack/msgpack";
import {
  type Entry,
  type LogIndex,
  type LogStore,
  MemoryLogStore,
  type Message,
  type NodeId,
  nodeId,
  type PersistBatch,
  type PersistedState,
  type StateMachine,
} from "../../src/raft/mod.ts";
import { nullLogger } from "../../src/util/mod.ts";
import { RaftDriver, type RaftDriverOptions } from "../../src/cluster/raft_driver.ts";
import { raftMessageCodec } from "../../src/cluster/raft_message_codec.ts";
import { ManualTicker } from "../../src/cluster/raft_ticker.ts";
import { MemoryNetwork } from "../../src/cluster/transport_memory.ts";
import type { Transport } from "../../src/cluster/transport.ts";

/** An append-only list of strings; `apply` answers with the new length. */
export class ListMachine implements StateMachine {
  items: string[] = [];
  /** Every entry index applied, to check order. */
  indexes: number[] = [];
  apply(e: Entry): unknown {
    this.indexes.push(e.index);
    if (e.kind !== "normal") return null;
    this.items.push(new TextDecoder().decode(e.data));
    return this.items.length;
  }
  snapshot(): Uint8Array {
    return encode(this.items);
  }
  restore(data: Uint8Array): void {
    this.items = decode(data) as string[];
    this.indexes = [];
  }
}

/** A MemoryLogStore that survives `close` (a restarted node keeps its disk) and counts appends. */
export class DurableMemoryStore implements LogStore {
  readonly inner = new MemoryLogStore();
  appends = 0;
  /** Index of the last entry persisted (the log end after the latest append with entries). */
  persistedLast = 0;
  /** Term of the latest persisted hard state. */
  persistedTerm = 0;
  /** While set, appends wait for it (a slow disk). */
  hold: Promise<void> | null = null;
  load(): Promise<PersistedState> {
    return this.inner.load();
  }
  async append(b: PersistBatch): Promise<void> {
    this.appends++;
    if (this.hold !== null) await this.hold;
    await this.inner.append(b);
    if (b.entries.length > 0) this.persistedLast = b.entries[b.entries.length - 1].index;
    if (b.hardState !== undefined) this.persistedTerm = b.hardState.term;
  }
  compact(upTo: LogIndex): Promise<void> {
    return this.inner.compact(upTo);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Encodes a command string. */
export function cmd(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Lets queued macrotasks (memory deliveries) run. */
export function pause(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Several drivers on one memory network, ticked by hand. */
export class TestCluster {
  readonly net = new MemoryNetwork();
  readonly ticker = new ManualTicker();
  readonly drivers = new Map<NodeId, RaftDriver>();
  readonly stores = new Map<NodeId, DurableMemoryStore>();
  readonly machines = new Map<NodeId, ListMachine>();
  readonly addresses = new Map<NodeId, string>();
  /** Each node's peer-down handler (the memory network never reports one by itself). */
  readonly peerDownHandlers = new Map<NodeId, (peer: NodeId) => void>();
  #seed = 1;

  constructor(readonly extra: Partial<RaftDriverOptions> = {}) {}

  /** Starts nodes `ids`; `bootstrap` lists the voters of a new cluster. */
  async start(ids: number[], bootstrap: number[] = ids): Promise<void> {
    for (const i of ids) this.addresses.set(nodeId(i), `mem:node-${i}`);
    for (const i of ids) await this.startNode(nodeId(i), bootstrap.map(nodeId));
  }

  /** (Re)starts one node with its existing store, or a fresh one. */
  async startNode(id: NodeId, bootstrap: NodeId[] = []): Promise<RaftDriver> {
    this.addresses.set(id, this.addresses.get(id) ?? `mem:node-${id}`);
    const store = this.stores.get(id) ?? new DurableMemoryStore();
    this.stores.set(id, store);
    const sm = new ListMachine();
    this.machines.set(id, sm);
    const inner = this.net.create<Message>({
      id,
      clusterId: "c",
      logger: nullLogger,
      codec: raftMessageCodec(),
    }, this.addresses.get(id));
    const transport: Transport<Message> = {
      id: inner.id,
      address: inner.address,
      send: (to, m) => inner.send(to, m),
      onMessage: (h) => inner.onMessage(h),
      addPeer: (p, a) => inner.addPeer(p, a),
      removePeer: (p) => inner.removePeer(p),
      close: () => inner.close(),
      onPeerDown: (h) => this.peerDownHandlers.set(id, h),
    };
    let s = this.#seed++ * 7919;
    const driver = await RaftDriver.start({
      id,
      store,
      transport,
      stateMachine: sm,
      logger: nullLogger,
      peers: this.addresses,
      bootstrap,
      ticker: this.ticker,
      random: () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648),
      ...this.extra,
    });
    this.drivers.set(id, driver);
    return driver;
  }

  /** Tells every running node that its connection to `peer` broke. */
  peerDown(peer: NodeId): void {
    for (const id of this.drivers.keys()) this.peerDownHandlers.get(id)?.(peer);
  }

  /** Closes one node (its store's contents survive for a restart). */
  async stop(id: NodeId): Promise<void> {
    await this.drivers.get(id)?.close();
    this.drivers.delete(id);
  }

  /** Ticks and lets messages flow until `pred` holds (fails after `maxTicks`). */
  async until(what: string, pred: () => boolean, maxTicks = 2000): Promise<void> {
    for (let i = 0; i < maxTicks; i++) {
      if (pred()) return;
      this.ticker.tick();
      await pause(1);
    }
    throw new Error(`cluster never reached: ${what}`);
  }

  /** Waits for one leader that all running nodes agree on, and returns it. */
  async leader(): Promise<RaftDriver> {
    let found: RaftDriver | undefined;
    await this.until("an agreed leader", () => {
      const ds = [...this.drivers.values()];
      const leaders = ds.filter((d) => d.status().role === "leader");
      if (leaders.length !== 1) return false;
      const id = leaders[0].id;
      found = leaders[0];
      return ds.every((d) => d.status().leader === id);
    });
    return found!;
  }

  /** Drives the cluster while `p` is pending; returns its outcome. */
  async drive<T>(p: Promise<T>, maxTicks = 2000): Promise<T> {
    let done = false;
    const watched = p.finally(() => (done = true));
    watched.catch(() => {});
    await this.until("a request to finish", () => done, maxTicks);
    return await watched;
  }

  /** A running follower. */
  follower(): RaftDriver {
    const f = [...this.drivers.values()].find((d) => d.status().role !== "leader");
    if (f === undefined) throw new Error("no follower");
    return f;
  }

  /** Closes every node. */
  async close(): Promise<void> {
    for (const id of [...this.drivers.keys()]) await this.stop(id);
  }
}
