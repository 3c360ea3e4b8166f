import {
  type ApplyResult,
  type MetaCommand,
  type MetaData,
  MetaError,
  MetaStateMachine,
  type ShardGroupInfo,
} from "../meta/mod.ts";
import type { Logger } from "../util/mod.ts";
import { MetaHttpError, postCommand } from "./meta_http.ts";

/** What a data node needs from the meta cluster: the current state, and a way to change it. */
export interface DataMeta {
  data(): MetaData;
  propose(cmd: MetaCommand): Promise<ApplyResult>;
}

/** Creates (or finds) the shard group covering `time` through the meta cluster. */
export async function createShardGroup(
  meta: DataMeta,
  db: string,
  rp: string,
  time: bigint,
): Promise<ShardGroupInfo> {
  const r = await meta.propose({
    kind: "createShardGroup",
    database: db,
    retentionPolicy: rp,
    timestamp: time,
  });
  if (r.kind === "error") throw MetaError.fromData(r.error);
  if (r.kind !== "shardGroup") throw new Error(`createShardGroup answered ${r.kind}`);
  return r.shardGroup;
}

/**
 * The meta state of a data-only node: a local copy kept fresh by long-polling
 * `GET /v1/meta?index=N` on the meta nodes (any member; they are tried in turn), and commands
 * sent to a member, which forwards them to the leader.
 */
export class RemoteMeta implements DataMeta {
  /** A mirror of the leader's state machine, restored from every state fetched. */
  readonly sm = new MetaStateMachine();
  #closed = false;
  #abort = new AbortController();
  #next = 0;
  #loop: Promise<void> | null = null;
  #waiters: (() => void)[] = [];

  constructor(
    private readonly addresses: readonly string[],
    private readonly self: string,
    private readonly logger: Logger,
  ) {}

  /** Starts following the meta state; resolves once the first state arrived. */
  start(): Promise<void> {
    this.#loop ??= this.#follow();
    return this.sm.appliedIndex() > 0
      ? Promise.resolve()
      : new Promise((r) => this.#waiters.push(r));
  }

  data(): MetaData {
    return this.sm.data();
  }

  async #follow(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      const addr = this.addresses[this.#next % this.addresses.length];
      try {
        const res = await fetch(
          `http://${addr}/v1/meta?index=${this.sm.appliedIndex()}&timeout_ms=30000`,
          { headers: { accept: "application/msgpack" }, signal: this.#abort.signal },
        );
        if (res.status === 304) {
          await res.body?.cancel();
          continue;
        }
        if (!res.ok) throw new Error(`status ${res.status}`);
        this.sm.restore(new Uint8Array(await res.arrayBuffer()));
        failures = 0;
        for (const w of this.#waiters.splice(0)) w();
      } catch (e) {
        if (this.#closed) return;
        failures++;
        this.#next++;
        if (failures % this.addresses.length === 0) {
          this.logger.warn("cannot reach any meta node", { last: addr, error: String(e) });
          await new Promise((r) => setTimeout(r, Math.min(2000, 100 * failures)));
        }
      }
    }
  }

  /** Sends a command to the meta nodes in turn until one commits it (or 15 s pass). */
  async propose(cmd: MetaCommand): Promise<ApplyResult> {
    const deadline = Date.now() + 15_000;
    let last = "";
    for (let i = 0; Date.now() < deadline && !this.#closed; i++) {
      const addr = this.addresses[(this.#next + i) % this.addresses.length];
      try {
        return await postCommand(addr, cmd, this.self);
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        if (!(e instanceof MetaHttpError) || (e.status !== 0 && e.status !== 503)) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new MetaHttpError(503, `no meta node committed the command: ${last}`);
  }

  /** Stops polling; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    await this.#loop?.catch(() => {});
  }
}

/**
 * Registers this data node with the meta cluster (retrying until it succeeds or `signal`
 * aborts) and returns its id. The meta state keys data nodes by rpc address, so a restarted
 * node gets the same id back.
 */
export async function registerDataNode(
  meta: DataMeta,
  httpAddress: string,
  rpcAddress: string,
  logger: Logger,
  signal: AbortSignal,
): Promise<number> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const r = await meta.propose({ kind: "createDataNode", httpAddress, rpcAddress });
      if (r.kind === "dataNode") return r.dataNode.id;
      if (r.kind === "error") throw MetaError.fromData(r.error);
    } catch (e) {
      if (e instanceof MetaError) throw e;
      if (attempt % 20 === 5) logger.warn("data node not registered yet", { error: String(e) });
    }
    await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** Math.min(attempt, 5))));
  }
  throw new Error("data node registration was cancelled");
}
