import assert from "node:assert/strict";
import { removeDataNodeCommand, updateDataNodeCommand } from "../../src/cluster/meta_data_nodes.ts";
import { MetaRequestError } from "../../src/cluster/meta_request_error.ts";
import { applyCommand, HOUR_NS, type MetaData } from "../../src/meta/mod.ts";
import { run, T0, withDataNodes } from "../meta/fixtures.ts";

/** Two data nodes; db "one" keeps 1 replica per shard, db "two" keeps 2. */
function cluster(): MetaData {
  let data = run([
    {
      kind: "createDatabase",
      name: "one",
      retentionPolicy: { name: "rp", replicaN: 1, shardGroupDuration: HOUR_NS },
    },
    {
      kind: "createDatabase",
      name: "two",
      retentionPolicy: { name: "rp", replicaN: 2, shardGroupDuration: HOUR_NS },
    },
  ], withDataNodes(2));
  for (const database of ["one", "two"]) {
    data = applyCommand(data, {
      kind: "createShardGroup",
      database,
      retentionPolicy: "rp",
      timestamp: T0,
    }).data;
  }
  return data;
}

function refused(fn: () => unknown, status: number, text: RegExp): void {
  assert.throws(
    fn,
    (e) => e instanceof MetaRequestError && e.status === status && text.test(e.message),
  );
}

Deno.test("remove-data: refuses to orphan a single-replica shard unless forced", () => {
  const data = cluster();
  const soleOwner = data.dataNodes.find((n) =>
    data.databases[0].retentionPolicies[0].shardGroups[0].shards.some((s) => s.owners[0] === n.id)
  )!;
  refused(
    () => removeDataNodeCommand(data, { id: soleOwner.id }, 5n),
    409,
    new RegExp(
      `data node ${soleOwner.id} is the only owner of \\d+ shard\\(s\\) \\(e\\.g\\. \\d+\\); copy them first or use -force`,
    ),
  );
  assert.deepEqual(removeDataNodeCommand(data, { id: soleOwner.id, force: true }, 5n), {
    kind: "deleteDataNode",
    id: soleOwner.id,
    at: 5n,
  });
});

Deno.test("remove-data: by rpc address; an unknown node is a 404", () => {
  const data = withDataNodes(2);
  const node = data.dataNodes[1];
  assert.deepEqual(removeDataNodeCommand(data, { rpcAddress: node.rpcAddress }, 1n), {
    kind: "deleteDataNode",
    id: node.id,
    at: 1n,
  });
  refused(() => removeDataNodeCommand(data, { id: 99 }, 1n), 404, /no data node 99/);
  refused(
    () => removeDataNodeCommand(data, { rpcAddress: "nowhere:1" }, 1n),
    404,
    /no data node nowhere:1/,
  );
});

Deno.test("update-data: keeps the id, changes the addresses; http stays unless given", () => {
  const data = withDataNodes(1);
  const node = data.dataNodes[0];
  const { command, updated } = updateDataNodeCommand(data, {
    oldRpcAddress: node.rpcAddress,
    rpcAddress: "new:8088",
  });
  assert.deepEqual(updated, { ...node, rpcAddress: "new:8088" });
  assert.deepEqual(command, {
    kind: "updateDataNode",
    id: node.id,
    rpcAddress: "new:8088",
    httpAddress: node.httpAddress,
  });
  refused(
    () => updateDataNodeCommand(data, { oldRpcAddress: "gone:1", rpcAddress: "x:1" }),
    404,
    /no data node at gone:1/,
  );
});
