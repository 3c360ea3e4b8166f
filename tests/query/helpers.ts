/** Query test fixtures: a real meta state machine, a real Store of shards, line protocol in. */
import {
  type ApplyResult,
  encodeCommand,
  LocalMetaClient,
  type MetaCommand,
  MetaStateMachine,
} from "../../src/meta/mod.ts";
import { parsePoints } from "../../src/models/mod.ts";
import type { Point } from "../../src/models/point.ts";
import { Store } from "../../src/storage/mod.ts";
import {
  type ExecuteOptions,
  type QueryShards,
  StatementExecutor,
  type StatementExecutor as Executor,
  type StatementResult,
} from "../../src/query/mod.ts";
import { parseQuery } from "../../src/influxql/mod.ts";

/** A node with one database `db` (policy `autogen`), its shards in a temp dir. */
export interface TestNode {
  readonly meta: LocalMetaClient;
  readonly store: Store;
  readonly shards: QueryShards;
  readonly executor: Executor;
  /** Writes line protocol (ns precision) into `db`. */
  write(lines: string, db?: string): Promise<void>;
  writePoints(db: string, rp: string, points: readonly Point[]): Promise<void>;
  /** Runs InfluxQL, returning every statement's result. */
  query(q: string, opts?: Partial<ExecuteOptions>): Promise<StatementResult[]>;
  close(): Promise<void>;
}

/** A fresh node; `close()` removes its files. */
export async function testNode(): Promise<TestNode> {
  const dir = await Deno.makeTempDir({ prefix: "chronoraft-query-test-" });
  const sm = new MetaStateMachine();
  const propose = (cmd: MetaCommand): Promise<ApplyResult> =>
    Promise.resolve(
      sm.apply({ index: sm.appliedIndex() + 1, kind: "normal", data: encodeCommand(cmd) }),
    );
  const meta = new LocalMetaClient(sm, propose);
  await meta.createDataNode("127.0.0.1:8086", "127.0.0.1:8088");
  await meta.createDatabase("db");
  const store = new Store({ dir, shard: { autoCompact: false } });
  const shards: QueryShards = {
    async open(db, rp, id) {
      const lease = await store.acquire(db, rp, id);
      const s = lease.shard;
      return {
        reader: s.reader,
        deleteSeries: (m, p, r) => s.deleteSeries(m, p, r),
        dropMeasurement: (m) => s.dropMeasurement(m),
        release: () => lease.release(),
      };
    },
  };
  const writePoints = async (db: string, rp: string, points: readonly Point[]) => {
    const byShard = new Map<number, Point[]>();
    for (const p of points) {
      const g = await meta.createShardGroupIfNotExists(db, rp, p.time);
      const id = g.shards[0].id;
      let list = byShard.get(id);
      if (list === undefined) byShard.set(id, list = []);
      list.push(p);
    }
    for (const [id, list] of byShard) {
      await store.withShard(db, rp, id, async (s) => {
        const r = await s.writePoints(list);
        if (r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
      });
    }
  };
  const executor = new StatementExecutor({ meta, shards, writePoints, random: () => 0.5 });
  return {
    meta,
    store,
    shards,
    executor,
    writePoints,
    async write(lines, db = "db") {
      const r = parsePoints(new TextEncoder().encode(lines), { precision: "ns", now: 0n });
      if (r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
      const rp = meta.database(db)!.defaultRetentionPolicy;
      await writePoints(db, rp, r.points);
    },
    async query(q, opts = {}) {
      const out: StatementResult[] = [];
      for await (
        const r of executor.execute(parseQuery(q), {
          database: "db",
          retentionPolicy: "",
          now: 3_600_000_000_000n,
          ...opts,
        })
      ) out.push(r);
      return out;
    },
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Runs `fn` with a fresh node, closed afterwards. */
export async function withNode(fn: (n: TestNode) => Promise<void>): Promise<void> {
  const n = await testNode();
  try {
    await fn(n);
  } finally {
    await n.close();
  }
}

/** Seconds to ns. */
export const s = (n: number): bigint => BigInt(n) * 1_000_000_000n;
