import assert from "node:assert/strict";
import {
  dataNodeId,
  emptyMetaData,
  HOUR_NS,
  type MetaData,
  metaNodeId,
} from "../../src/meta/mod.ts";
import { fails, ok, run, T0, withDataNodes } from "./fixtures.ts";

Deno.test("initCluster sets the id once; the same id is a no-op, another is refused", () => {
  const data = ok(emptyMetaData(), { kind: "initCluster", clusterId: "abc" }).data;
  assert.equal(data.clusterId, "abc");
  assert.equal(ok(data, { kind: "initCluster", clusterId: "abc" }).data, data);
  assert.match(fails(data, { kind: "initCluster", clusterId: "xyz" }), /cluster id is already abc/);
  assert.match(fails(emptyMetaData(), { kind: "initCluster", clusterId: "" }), /must not be empty/);
});

Deno.test("data nodes get increasing ids and keep them when they re-register", () => {
  const data = withDataNodes(3);
  assert.deepEqual(data.dataNodes.map((n) => [n.id, n.rpcAddress]), [
    [1, "node1:8088"],
    [2, "node2:8088"],
    [3, "node3:8088"],
  ]);
  const same = ok(data, {
    kind: "createDataNode",
    httpAddress: "node2:8086",
    rpcAddress: "node2:8088",
  });
  assert.equal(same.data, data);
  assert.deepEqual(same.result, { kind: "dataNode", dataNode: data.dataNodes[1] });
  const moved = ok(data, {
    kind: "createDataNode",
    httpAddress: "new:8086",
    rpcAddress: "node2:8088",
  });
  assert.equal(moved.result.kind === "dataNode" && moved.result.dataNode.id, 2);
  assert.equal(moved.data.dataNodes[1].httpAddress, "new:8086");
  assert.equal(moved.data.nextDataNodeId, 4);
});

Deno.test("a removed data node's id is never reused", () => {
  let data = withDataNodes(2);
  data = ok(data, { kind: "deleteDataNode", id: dataNodeId(2), at: T0 }).data;
  data = ok(data, { kind: "createDataNode", httpAddress: "n9:8086", rpcAddress: "n9:8088" }).data;
  assert.deepEqual(data.dataNodes.map((n) => n.id), [1, 3]);
});

Deno.test("updateDataNode changes addresses; unknown id and taken address fail", () => {
  const data = withDataNodes(2);
  const r = ok(data, {
    kind: "updateDataNode",
    id: dataNodeId(1),
    httpAddress: "a:1",
    rpcAddress: "a:2",
  });
  assert.deepEqual(r.data.dataNodes[0], { id: 1, httpAddress: "a:1", rpcAddress: "a:2" });
  assert.equal(
    fails(data, { kind: "updateDataNode", id: dataNodeId(7), httpAddress: "a", rpcAddress: "b" }),
    "node not found",
  );
  assert.equal(
    fails(data, {
      kind: "updateDataNode",
      id: dataNodeId(1),
      httpAddress: "a",
      rpcAddress: "node2:8088",
    }),
    "node already exists",
  );
});

function twoGroupsOnThreeNodes(): MetaData {
  // Replication 1 on 3 nodes: each group has 3 single-owner shards.
  return run([
    {
      kind: "createDatabase",
      name: "db",
      retentionPolicy: { name: "rp", shardGroupDuration: HOUR_NS },
    },
    { kind: "createShardGroup", database: "db", retentionPolicy: "rp", timestamp: T0 },
  ], withDataNodes(3));
}

Deno.test("deleteDataNode hands orphaned shards to the least-loaded remaining owner", () => {
  const data = twoGroupsOnThreeNodes();
  const before = data.databases[0].retentionPolicies[0].shardGroups[0];
  assert.deepEqual(before.shards.map((s) => s.owners), [[1], [2], [3]]);
  const after = ok(data, { kind: "deleteDataNode", id: dataNodeId(2), at: T0 + 1n }).data;
  const g = after.databases[0].retentionPolicies[0].shardGroups[0];
  assert.deepEqual(g.shards.map((s) => s.owners), [[1], [1], [3]]);
  assert.equal(g.deletedAt, undefined);
  assert.deepEqual(after.dataNodes.map((n) => n.id), [1, 3]);
  assert.equal(
    fails(after, { kind: "deleteDataNode", id: dataNodeId(2), at: T0 }),
    "node not found",
  );
});

Deno.test("deleteDataNode marks a group deleted when all its shards lose their only owner", () => {
  const data = run([
    { kind: "createDatabase", name: "db" },
    { kind: "createShardGroup", database: "db", retentionPolicy: "autogen", timestamp: T0 },
  ], withDataNodes(1));
  const after = ok(data, { kind: "deleteDataNode", id: dataNodeId(1), at: T0 + 7n }).data;
  const g = after.databases[0].retentionPolicies[0].shardGroups[0];
  assert.equal(g.deletedAt, T0 + 7n);
  assert.deepEqual(g.shards.map((s) => s.owners), [[]]);
});

Deno.test("deleteDataNode with replicas just drops the replica", () => {
  const data = run([
    { kind: "createDatabase", name: "db", retentionPolicy: { name: "rp", replicaN: 2 } },
    { kind: "createShardGroup", database: "db", retentionPolicy: "rp", timestamp: T0 },
  ], withDataNodes(2));
  const after = ok(data, { kind: "deleteDataNode", id: dataNodeId(1), at: T0 }).data;
  assert.deepEqual(after.databases[0].retentionPolicies[0].shardGroups[0].shards[0].owners, [2]);
});

Deno.test("meta nodes: add, update in place, conflicts, remove", () => {
  let data = ok(emptyMetaData(), {
    kind: "addMetaNode",
    id: metaNodeId(2),
    raftAddress: "m2:8089",
    httpAddress: "m2:8091",
  }).data;
  data = ok(data, {
    kind: "addMetaNode",
    id: metaNodeId(1),
    raftAddress: "m1:8089",
    httpAddress: "m1:8091",
  }).data;
  assert.deepEqual(data.metaNodes.map((n) => n.id), [1, 2]);
  const same = ok(data, {
    kind: "addMetaNode",
    id: metaNodeId(1),
    raftAddress: "m1:8089",
    httpAddress: "m1:8091",
  });
  assert.equal(same.data, data);
  const moved =
    ok(data, { kind: "addMetaNode", id: metaNodeId(1), raftAddress: "m1:8089", httpAddress: "x:1" })
      .data;
  assert.equal(moved.metaNodes[0].httpAddress, "x:1");
  assert.equal(
    fails(data, {
      kind: "addMetaNode",
      id: metaNodeId(3),
      raftAddress: "m1:8089",
      httpAddress: "m3:8091",
    }),
    "node already exists",
  );
  assert.equal(
    fails(data, { kind: "addMetaNode", id: metaNodeId(0), raftAddress: "a", httpAddress: "b" }),
    "node id must be greater than 0",
  );
  const removed = ok(data, { kind: "removeMetaNode", id: metaNodeId(2) }).data;
  assert.deepEqual(removed.metaNodes.map((n) => n.id), [1]);
  assert.equal(fails(removed, { kind: "removeMetaNode", id: metaNodeId(2) }), "node not found");
});
