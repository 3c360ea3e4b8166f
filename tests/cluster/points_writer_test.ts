import assert from "node:assert/strict";
import {
  type LocalShardWriter,
  PointsWriter,
  WriteError,
} from "../../src/cluster/points_writer.ts";
import {
  applyCommand,
  dataNodeId,
  emptyMetaData,
  type MetaCommand,
  type MetaData,
  type ShardGroupInfo,
} from "../../src/meta/mod.ts";
import { parsePointBatch, type Point, pointAt, type PointBatch } from "../../src/models/mod.ts";

const NOW = 1_700_000_000_000_000_000n;
const HOUR = 3_600_000_000_000n;

function metaWith(cmds: MetaCommand[]): { data: MetaData } {
  const m = { data: emptyMetaData() };
  for (
    const c of [
      { kind: "createDataNode", httpAddress: "h:1", rpcAddress: "r:1" } as MetaCommand,
      ...cmds,
    ]
  ) {
    const r = applyCommand(m.data, c);
    assert.notEqual(
      r.result.kind,
      "error",
      r.result.kind === "error" ? r.result.error.message : "",
    );
    m.data = r.data;
  }
  return m;
}

function points(text: string): PointBatch {
  const r = parsePointBatch(new TextEncoder().encode(text), { precision: "ns", now: NOW });
  assert.deepEqual(r.errors, []);
  return r.batch;
}

function writer(m: { data: MetaData }, created: bigint[] = []) {
  const writes: { shard: number; points: readonly Point[] }[] = [];
  const local: LocalShardWriter = {
    writeShard: (_db, _rp, shard, batch, selection) => {
      writes.push({ shard, points: [...selection].map((i) => pointAt(batch, i)) });
      return Promise.resolve({ written: selection.length, errors: [] });
    },
  };
  const w = new PointsWriter(
    {
      data: () => m.data,
      createShardGroup: (db, rp, t): Promise<ShardGroupInfo> => {
        created.push(t);
        const r = applyCommand(m.data, {
          kind: "createShardGroup",
          database: db,
          retentionPolicy: rp,
          timestamp: t,
        });
        m.data = r.data;
        if (r.result.kind !== "shardGroup") throw new Error(r.result.kind);
        return Promise.resolve(r.result.shardGroup);
      },
    },
    () => dataNodeId(1),
    local,
  );
  return { w, writes };
}

const req = (database: string, pts: PointBatch, retentionPolicy = "") => ({
  database,
  retentionPolicy,
  consistency: "one" as const,
  points: pts,
  now: NOW,
});

Deno.test("points go to the shard group covering their time, created once per group", async () => {
  const m = metaWith([{ kind: "createDatabase", name: "db" }]);
  const created: bigint[] = [];
  const { w, writes } = writer(m, created);
  const t0 = NOW - NOW % (7n * 24n * HOUR);
  const out = await w.writePoints(
    req("db", points(`cpu,h=a v=1 ${t0}\ncpu,h=b v=2 ${t0 + HOUR}\ncpu,h=a v=3 ${t0 + HOUR}`)),
  );
  assert.deepEqual(out, { written: 3, dropped: 0, reason: null });
  assert.equal(created.length, 1, "one shard group for one week");
  assert.equal(writes.reduce((n, w) => n + w.points.length, 0), 3);
  // A second write reuses the group from the meta state.
  await w.writePoints(req("db", points(`cpu,h=c v=1 ${t0 + 2n * HOUR}`)));
  assert.equal(created.length, 1);
});

Deno.test("an unknown database is a 404 with InfluxDB's text", async () => {
  const { w } = writer(metaWith([]));
  await assert.rejects(w.writePoints(req("nope", points("cpu v=1 1"))), (e: unknown) => {
    assert.ok(e instanceof WriteError);
    assert.equal(e.status, 404);
    assert.equal(e.message, 'database not found: "nope"');
    return true;
  });
});

Deno.test("an unknown retention policy is a 400", async () => {
  const { w } = writer(metaWith([{ kind: "createDatabase", name: "db" }]));
  await assert.rejects(
    w.writePoints(req("db", points("cpu v=1 1"), "weekly")),
    /retention policy not found: weekly/,
  );
});

Deno.test("points older than the retention policy keeps are dropped as InfluxDB drops them", async () => {
  const m = metaWith([{
    kind: "createDatabase",
    name: "db",
    retentionPolicy: { name: "day", duration: 24n * HOUR },
  }]);
  const { w } = writer(m);
  const out = await w.writePoints(
    req("db", points(`cpu v=1 ${NOW - 48n * HOUR}\ncpu v=2 ${NOW - HOUR}`)),
  );
  assert.deepEqual(out, { written: 1, dropped: 1, reason: "points beyond retention policy" });
});

Deno.test("the reserved key time: a time tag drops the point, time fields are skipped", async () => {
  const m = metaWith([{ kind: "createDatabase", name: "db" }]);
  const { w, writes } = writer(m);
  const out = await w.writePoints(
    req("db", points(`cpu,time=x v=1 ${NOW}\ncpu v=2,time=3 ${NOW}\ncpu time=4 ${NOW}`)),
  );
  assert.equal(out.written, 1);
  assert.equal(out.dropped, 2);
  assert.equal(out.reason, 'invalid tag key: input tag "time" on measurement "cpu" is invalid');
  assert.deepEqual(writes[0].points[0].fields.map((f) => f.key), ["v"]);
});

Deno.test("a shard this node does not own is refused rather than silently dropped", async () => {
  const m = metaWith([{ kind: "createDatabase", name: "db" }]);
  const { w } = writer(m);
  const other = new PointsWriter(
    { data: () => m.data, createShardGroup: () => Promise.reject(new Error("unused")) },
    () => dataNodeId(2),
    { writeShard: () => Promise.reject(new Error("unused")) },
  );
  await w.writePoints(req("db", points(`cpu v=1 ${NOW}`)));
  await assert.rejects(other.writePoints(req("db", points(`cpu v=1 ${NOW}`))), /not by this node/);
});
