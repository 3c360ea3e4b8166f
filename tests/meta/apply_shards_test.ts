import assert from "node:assert/strict";
import {
  applyCommand,
  dataNodeId,
  DAY_NS,
  emptyMetaData,
  HOUR_NS,
  type MetaData,
  shardGroupId,
  type ShardGroupInfo,
  shardId,
} from "../../src/meta/mod.ts";
import { fails, ok, run, T0, withDataNodes } from "./fixtures.ts";

/** A cluster of `nodes` data nodes with db "db" whose default policy "rp" has replication `r`. */
function cluster(nodes: number, r = 1, sgd = HOUR_NS): MetaData {
  return run([{
    kind: "createDatabase",
    name: "db",
    retentionPolicy: { name: "rp", replicaN: r, shardGroupDuration: sgd },
  }], withDataNodes(nodes));
}

function create(
  data: MetaData,
  t: bigint,
): { data: MetaData; group: ShardGroupInfo; created: boolean } {
  const r = ok(data, {
    kind: "createShardGroup",
    database: "db",
    retentionPolicy: "rp",
    timestamp: t,
  });
  assert.equal(r.result.kind, "shardGroup");
  if (r.result.kind !== "shardGroup") throw new Error("unreachable");
  return { data: r.data, group: r.result.shardGroup, created: r.result.created };
}

const owners = (g: ShardGroupInfo) => g.shards.map((s) => s.owners.map(Number));

Deno.test("a new group covers [floor(t, sgd), +sgd) and takes fresh ids", () => {
  const { data, group, created } = create(cluster(1), T0 + 90n * 60_000_000_000n);
  assert.equal(created, true);
  assert.deepEqual(group, {
    id: shardGroupId(1),
    start: T0 + HOUR_NS,
    end: T0 + 2n * HOUR_NS,
    shards: [{ id: shardId(1), owners: [dataNodeId(1)] }],
  });
  assert.equal(data.nextShardGroupId, 2);
  assert.equal(data.nextShardId, 2);
  assert.deepEqual(data.databases[0].retentionPolicies[0].shardGroups, [group]);
});

Deno.test("shard count and round-robin owners for 1..5 data nodes and replication 1..3", () => {
  for (let n = 1; n <= 5; n++) {
    for (let r = 1; r <= 3; r++) {
      let data = cluster(n, r);
      const effR = Math.min(r, n);
      const shardN = Math.max(1, Math.floor(n / effR));
      for (let g = 0; g < 2 * n; g++) {
        const made = create(data, T0 + BigInt(g) * HOUR_NS);
        data = made.data;
        const got = owners(made.group);
        assert.equal(got.length, shardN, `n=${n} r=${r}: shard count`);
        // Replicas are consecutive nodes (by id) starting at (groupId - 1) mod n.
        const want: number[][] = [];
        let next = g % n;
        for (let s = 0; s < shardN; s++) {
          const o: number[] = [];
          for (let j = 0; j < effR; j++) o.push((next++ % n) + 1);
          want.push(o);
        }
        assert.deepEqual(got, want, `n=${n} r=${r} group ${g + 1}`);
        const flat = got.flat();
        assert.equal(new Set(flat).size, flat.length, "no node holds two replicas in a group");
      }
    }
  }
});

Deno.test("owners over many groups are spread evenly across nodes", () => {
  let data = cluster(5, 2);
  const count = new Map<number, number>();
  for (let g = 0; g < 50; g++) {
    const made = create(data, T0 + BigInt(g) * HOUR_NS);
    data = made.data;
    for (const o of made.group.shards.flatMap((s) => s.owners)) {
      count.set(o, (count.get(o) ?? 0) + 1);
    }
  }
  assert.deepEqual([...count.values()], [40, 40, 40, 40, 40]);
});

Deno.test("creating a group for a covered time is idempotent", () => {
  const first = create(cluster(3), T0 + 10n);
  const again = create(first.data, T0 + HOUR_NS - 1n);
  assert.equal(again.created, false);
  assert.equal(again.data, first.data);
  assert.deepEqual(again.group, first.group);
});

Deno.test("groups are kept sorted by end time whatever order they are made in", () => {
  let data = cluster(1);
  for (const h of [5n, 1n, 3n, 0n]) data = create(data, T0 + h * HOUR_NS).data;
  const starts = data.databases[0].retentionPolicies[0].shardGroups.map((g) => g.start);
  assert.deepEqual(starts, [0n, 1n, 3n, 5n].map((h) => T0 + h * HOUR_NS));
});

Deno.test("createShardGroup errors: no data nodes, missing database or policy", () => {
  const noNodes = run([{ kind: "createDatabase", name: "db" }]);
  const cmd = {
    kind: "createShardGroup",
    database: "db",
    retentionPolicy: "autogen",
    timestamp: T0,
  } as const;
  assert.equal(fails(noNodes, cmd), "at least one node required");
  const data = cluster(1);
  assert.equal(fails(data, { ...cmd, database: "x" }), "database not found: x");
  assert.equal(fails(data, { ...cmd, retentionPolicy: "x" }), "retention policy not found: x");
});

Deno.test("truncate ends current groups; the next write makes a group on today's nodes", () => {
  let data = cluster(1, 1, DAY_NS);
  const old = create(data, T0);
  data = old.data;
  const future = create(data, T0 + 2n * DAY_NS);
  data = future.data;
  const at = T0 + 6n * HOUR_NS;
  data = ok(data, { kind: "truncateShardGroups", at }).data;
  const groups = data.databases[0].retentionPolicies[0].shardGroups;
  assert.equal(groups.find((g) => g.id === old.group.id)?.truncatedAt, at);
  assert.equal(groups.find((g) => g.id === future.group.id)?.truncatedAt, T0 + 2n * DAY_NS);

  data = withDataNodes(2, data); // node 2 joins; node 1 re-registers with the same id
  const before = create(data, at - 1n);
  assert.equal(before.created, false);
  assert.equal(before.group.id, old.group.id);
  const after = create(data, at);
  assert.equal(after.created, true);
  assert.equal(after.group.start, T0);
  assert.deepEqual(owners(after.group), [[1], [2]]);
  // Truncating again at a later time leaves already-truncated groups alone.
  const again = ok(after.data, { kind: "truncateShardGroups", at: at + HOUR_NS }).data;
  const g0 = again.databases[0].retentionPolicies[0].shardGroups.find((g) => g.id === old.group.id);
  assert.equal(g0?.truncatedAt, at);
});

Deno.test("deleteShardGroup marks it deleted; a later write makes a new group", () => {
  const made = create(cluster(1), T0);
  const cmd = {
    kind: "deleteShardGroup",
    database: "db",
    retentionPolicy: "rp",
    id: made.group.id,
    at: T0 + 5n,
  } as const;
  const deleted = ok(made.data, cmd).data;
  assert.equal(deleted.databases[0].retentionPolicies[0].shardGroups[0].deletedAt, T0 + 5n);
  assert.equal(ok(deleted, { ...cmd, at: T0 + 9n }).data, deleted, "first deletion time kept");
  assert.equal(fails(made.data, { ...cmd, id: shardGroupId(99) }), "shard group not found");
  assert.equal(fails(made.data, { ...cmd, database: "x" }), "database not found: x");
  assert.equal(fails(made.data, { ...cmd, retentionPolicy: "x" }), "retention policy not found: x");
  const next = create(deleted, T0);
  assert.equal(next.created, true);
  assert.notEqual(next.group.id, made.group.id);
});

Deno.test("dropShard removes a shard; dropping the last one deletes the group", () => {
  const made = create(cluster(2), T0);
  assert.equal(made.group.shards.length, 2);
  const [a, b] = made.group.shards.map((s) => s.id);
  const one = ok(made.data, { kind: "dropShard", id: a, at: T0 + 1n }).data;
  let g = one.databases[0].retentionPolicies[0].shardGroups[0];
  assert.deepEqual(g.shards.map((s) => s.id), [b]);
  assert.equal(g.deletedAt, undefined);
  assert.equal(ok(one, { kind: "dropShard", id: a, at: T0 + 1n }).data, one, "idempotent");
  const none = ok(one, { kind: "dropShard", id: b, at: T0 + 2n }).data;
  g = none.databases[0].retentionPolicies[0].shardGroups[0];
  assert.deepEqual([g.shards.length, g.deletedAt], [0, T0 + 2n]);
});

Deno.test("add and remove shard owners", () => {
  const made = create(cluster(2), T0);
  const s = made.group.shards[0];
  const added = ok(made.data, { kind: "addShardOwner", shardId: s.id, nodeId: dataNodeId(2) }).data;
  assert.deepEqual(added.databases[0].retentionPolicies[0].shardGroups[0].shards[0].owners, [1, 2]);
  assert.equal(
    ok(added, { kind: "addShardOwner", shardId: s.id, nodeId: dataNodeId(2) }).data,
    added,
  );
  assert.equal(
    fails(made.data, { kind: "addShardOwner", shardId: s.id, nodeId: dataNodeId(9) }),
    "node not found",
  );
  assert.equal(
    fails(made.data, { kind: "addShardOwner", shardId: shardId(99), nodeId: dataNodeId(1) }),
    "shard not found: 99",
  );
  const removed =
    ok(added, { kind: "removeShardOwner", shardId: s.id, nodeId: dataNodeId(1) }).data;
  assert.deepEqual(removed.databases[0].retentionPolicies[0].shardGroups[0].shards[0].owners, [2]);
  assert.equal(
    ok(removed, { kind: "removeShardOwner", shardId: s.id, nodeId: dataNodeId(1) }).data,
    removed,
  );
  assert.equal(
    fails(made.data, { kind: "removeShardOwner", shardId: shardId(99), nodeId: dataNodeId(1) }),
    "shard not found: 99",
  );
});

Deno.test("failed commands never touch the id counters", () => {
  const data = emptyMetaData();
  const r = applyCommand(data, {
    kind: "createShardGroup",
    database: "x",
    retentionPolicy: "y",
    timestamp: 0n,
  });
  assert.equal(r.data.nextShardId, 1);
  assert.equal(r.data.nextShardGroupId, 1);
});
