import assert from "node:assert/strict";
import {
  type ApplyResult,
  dataNodeId,
  encodeCommand,
  HOUR_NS,
  LocalMetaClient,
  type MetaCommand,
  MetaError,
  metaNodeId,
  MetaStateMachine,
} from "../../src/meta/mod.ts";
import { T0 } from "./fixtures.ts";

/** A client whose `propose` appends straight to the state machine, counting proposals. */
function local(): { client: LocalMetaClient; sm: MetaStateMachine; proposed: MetaCommand[] } {
  const sm = new MetaStateMachine();
  const proposed: MetaCommand[] = [];
  const propose = (cmd: MetaCommand): Promise<ApplyResult> => {
    proposed.push(cmd);
    return Promise.resolve(
      sm.apply({ index: sm.appliedIndex() + 1, kind: "normal", data: encodeCommand(cmd) }),
    );
  };
  return { client: new LocalMetaClient(sm, propose), sm, proposed };
}

Deno.test("databases and retention policies through the client", async () => {
  const { client } = local();
  const db = await client.createDatabase("db");
  assert.equal(db.defaultRetentionPolicy, "autogen");
  assert.equal(client.database("db"), db);
  const rp = await client.createRetentionPolicy(
    "db",
    { name: "short", duration: 2n * HOUR_NS },
    true,
  );
  assert.equal(rp.shardGroupDuration, HOUR_NS);
  assert.equal(client.retentionPolicy("db", "")?.name, "short");
  await client.updateRetentionPolicy("db", "short", { replicaN: 2 }, false);
  assert.equal(client.retentionPolicy("db", "short")?.replicaN, 2);
  await client.setDefaultRetentionPolicy("db", "autogen");
  await client.dropRetentionPolicy("db", "short");
  assert.deepEqual(client.database("db")?.retentionPolicies.map((r) => r.name), ["autogen"]);
  const withRp = await client.createDatabaseWithRetentionPolicy("db2", { name: "x", duration: 0n });
  assert.equal(withRp.defaultRetentionPolicy, "x");
  await client.dropDatabase("db2");
  assert.deepEqual(client.databases().map((d) => d.name), ["db"]);
});

Deno.test("client errors are MetaErrors with InfluxDB's text", async () => {
  const { client } = local();
  await assert.rejects(
    client.createRetentionPolicy("nodb", { name: "r" }, false),
    (err: unknown) => err instanceof MetaError && err.message === "database not found: nodb",
  );
  await assert.rejects(client.dropUser("x"), /^MetaError: user not found$/);
});

Deno.test("createDatabase and createShardGroupIfNotExists skip Raft when nothing would change", async () => {
  const { client, proposed } = local();
  await client.createDataNode("d1:8086", "d1:8088");
  await client.createDatabase("db");
  await client.createDatabase("db");
  const g1 = await client.createShardGroupIfNotExists("db", "autogen", T0);
  const g2 = await client.createShardGroupIfNotExists("db", "autogen", T0 + 1n);
  assert.deepEqual(g2, g1);
  assert.deepEqual(proposed.map((c) => c.kind), [
    "createDataNode",
    "createDatabase",
    "createShardGroup",
  ]);
  assert.deepEqual(client.shardGroupsByTimeRange("db", "autogen", T0, T0), [g1]);
  await client.createDataNode("d1:8086", "d1:8088");
  assert.equal(proposed.length, 3, "re-registering an unchanged data node proposes nothing");
});

Deno.test("shard maintenance through the client", async () => {
  const { client } = local();
  const n1 = await client.createDataNode("d1:8086", "d1:8088");
  const n2 = await client.createDataNode("d2:8086", "d2:8088");
  assert.deepEqual([n1.id, n2.id], [1, 2]);
  assert.equal((await client.updateDataNode(n2.id, "e:1", "e:2")).rpcAddress, "e:2");
  await client.createDatabase("db");
  const g = await client.createShardGroupIfNotExists("db", "autogen", T0);
  const s = g.shards[0];
  await client.addShardOwner(s.id, n2.id);
  assert.deepEqual(client.shardLocation(s.id)?.shard.owners, [1, 2]);
  assert.equal(client.shardsOwnedBy(n2.id).length, 2);
  await client.removeShardOwner(s.id, n2.id);
  await client.truncateShardGroups(T0 + 1n);
  await client.dropShard(g.shards[1].id, T0 + 2n);
  await client.deleteShardGroup("db", "autogen", g.id, T0 + 3n);
  assert.deepEqual(client.shardGroupsByTimeRange("db", "autogen", T0, T0 + 10n), []);
  await client.deleteDataNode(dataNodeId(2), T0 + 4n);
  assert.deepEqual(client.dataNodes().map((n) => n.id), [1]);
  assert.equal(client.dataNode(dataNodeId(1))?.httpAddress, "d1:8086");
});

Deno.test("users, privileges, authentication and continuous queries through the client", async () => {
  const { client } = local();
  await client.createDatabase("db");
  const u = await client.createUser("bob", "hash-1", false);
  assert.equal(u.name, "bob");
  assert.equal(client.adminUserExists(), false);
  await client.setAdminPrivilege("bob", true);
  assert.equal(client.adminUserExists(), true);
  await client.setPrivilege("bob", "db", "ALL");
  await client.revokePrivilege("bob", "db", "WRITE");
  assert.deepEqual(client.userPrivileges("bob"), { db: "READ" });
  await client.updateUser("bob", "hash-2");
  const check = (h: string) => Promise.resolve(h === "hash-2");
  assert.equal((await client.authenticate("bob", check)).name, "bob");
  await assert.rejects(
    client.authenticate("bob", () => Promise.resolve(false)),
    /authentication failed/,
  );
  await assert.rejects(client.authenticate("amy", check), /user not found/);
  assert.deepEqual(client.users().map((x) => x.name), ["bob"]);
  await client.dropUser("bob");
  assert.equal(client.user("bob"), undefined);

  await client.createContinuousQuery("db", "cq", "SELECT 1");
  assert.deepEqual(client.continuousQueries("db"), [{ name: "cq", query: "SELECT 1" }]);
  await client.dropContinuousQuery("db", "cq");
  assert.deepEqual(client.continuousQueries("db"), []);
});

Deno.test("meta nodes, cluster id and long polling through the client", async () => {
  const { client, sm } = local();
  assert.equal(client.clusterId(), "");
  const changed = client.waitForChange(sm.appliedIndex());
  await client.addMetaNode(metaNodeId(1), "m1:8089", "m1:8091");
  assert.equal((await changed).metaNodes.length, 1);
  await client.removeMetaNode(metaNodeId(1));
  assert.deepEqual(client.metaNodes(), []);
  assert.equal(client.data(), sm.data());
});

Deno.test("createShardGroupIfNotExists asks the leader when the local copy lags", async () => {
  const leader = new MetaStateMachine();
  const toLeader = (cmd: MetaCommand): Promise<ApplyResult> =>
    Promise.resolve(
      leader.apply({ index: leader.appliedIndex() + 1, kind: "normal", data: encodeCommand(cmd) }),
    );
  await toLeader({ kind: "createDataNode", httpAddress: "d1:8086", rpcAddress: "d1:8088" });
  await toLeader({ kind: "createDatabase", name: "db" });
  const lagging = new LocalMetaClient(new MetaStateMachine(), toLeader);
  const g = await lagging.createShardGroupIfNotExists("db", "autogen", T0);
  assert.equal(g.id, 1);
  await assert.rejects(
    lagging.createShardGroupIfNotExists("nodb", "autogen", T0),
    /database not found: nodb/,
  );
});
