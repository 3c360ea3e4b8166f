import assert from "node:assert/strict";
import {
  adminUserExists,
  allShards,
  authorize,
  continuousQueries,
  dataNodeByRpcAddress,
  dataNodeId,
  DAY_NS,
  defaultRetentionPolicy,
  expiredShardGroups,
  HOUR_NS,
  type MetaData,
  retentionPolicy,
  shardForSeries,
  shardGroupAt,
  shardGroupId,
  type ShardGroupInfo,
  shardGroupsByTimeRange,
  shardId,
  shardLocation,
  shardsOwnedBy,
  userPrivilege,
  userPrivileges,
} from "../../src/meta/mod.ts";
import { fnv64a } from "../../src/util/hash.ts";
import { run, T0, withDataNodes } from "./fixtures.ts";

function sample(): MetaData {
  return run([
    {
      kind: "createDatabase",
      name: "db",
      retentionPolicy: { name: "rp", duration: 2n * DAY_NS, shardGroupDuration: HOUR_NS },
    },
    { kind: "createShardGroup", database: "db", retentionPolicy: "rp", timestamp: T0 },
    { kind: "createShardGroup", database: "db", retentionPolicy: "rp", timestamp: T0 + HOUR_NS },
    {
      kind: "createShardGroup",
      database: "db",
      retentionPolicy: "rp",
      timestamp: T0 + 2n * HOUR_NS,
    },
    {
      kind: "deleteShardGroup",
      database: "db",
      retentionPolicy: "rp",
      id: shardGroupId(2),
      at: T0,
    },
    { kind: "createUser", name: "u", hash: "h", admin: false },
    { kind: "setPrivilege", user: "u", database: "db", privilege: "READ" },
  ], withDataNodes(3));
}

Deno.test('retention policy lookups: by name, default via "", and missing database', () => {
  const data = sample();
  assert.equal(retentionPolicy(data, "db", "rp")?.name, "rp");
  assert.equal(retentionPolicy(data, "db", "")?.name, "rp");
  assert.equal(defaultRetentionPolicy(data, "db")?.name, "rp");
  assert.equal(retentionPolicy(data, "db", "nope"), undefined);
  assert.throws(() => retentionPolicy(data, "x", "rp"), /^MetaError: database not found: x$/);
});

Deno.test("shardGroupsByTimeRange skips deleted groups and uses inclusive bounds", () => {
  const data = sample();
  const ids = (gs: readonly ShardGroupInfo[]) => gs.map((g) => g.id);
  assert.deepEqual(ids(shardGroupsByTimeRange(data, "db", "rp", T0, T0 + 3n * HOUR_NS)), [1, 3]);
  assert.deepEqual(
    ids(shardGroupsByTimeRange(data, "db", "rp", T0 + HOUR_NS - 1n, T0 + HOUR_NS - 1n)),
    [1],
  );
  assert.deepEqual(
    ids(shardGroupsByTimeRange(data, "db", "rp", T0 + 2n * HOUR_NS, T0 + 2n * HOUR_NS)),
    [3],
  );
  assert.throws(
    () => shardGroupsByTimeRange(data, "db", "x", 0n, 1n),
    /retention policy not found: x/,
  );
});

Deno.test("shardGroupAt finds the live group for a time", () => {
  const data = sample();
  assert.equal(shardGroupAt(data, "db", "rp", T0 + 5n)?.id, 1);
  assert.equal(shardGroupAt(data, "db", "rp", T0 + HOUR_NS), undefined, "group 2 is deleted");
  assert.equal(shardGroupAt(data, "db", "rp", T0 - 1n), undefined);
});

Deno.test("shardForSeries is fnv64a(series key) mod shard count", () => {
  const g = shardGroupAt(sample(), "db", "rp", T0)!;
  assert.equal(g.shards.length, 3);
  for (const key of ["cpu,host=a", "cpu,host=b", "mem", "disk,path=/,host=z"]) {
    assert.equal(shardForSeries(g, key), g.shards[Number(fnv64a(key) % 3n)]);
  }
  assert.throws(() => shardForSeries({ ...g, shards: [] }, "x"), /shard group not found/);
});

Deno.test("shard ownership and location helpers skip deleted groups", () => {
  const data = sample();
  assert.equal(allShards(data).length, 6);
  const owned = shardsOwnedBy(data, dataNodeId(1)).map((l) => l.shard.id);
  assert.ok(owned.length > 0);
  for (const l of shardsOwnedBy(data, dataNodeId(1))) {
    assert.ok(l.shard.owners.includes(dataNodeId(1)));
  }
  assert.equal(shardLocation(data, shardId(1))?.shardGroup.id, 1);
  assert.equal(shardLocation(data, shardId(4)), undefined, "shard 4 is in deleted group 2");
});

Deno.test("expiredShardGroups: end + duration before now", () => {
  const data = sample();
  assert.deepEqual(
    expiredShardGroups(data, T0 + 2n * DAY_NS + HOUR_NS).map((e) => e.shardGroup.id),
    [],
  );
  assert.deepEqual(
    expiredShardGroups(data, T0 + 2n * DAY_NS + HOUR_NS + 1n).map((e) => e.shardGroup.id),
    [1],
  );
});

Deno.test("user helpers: privileges, authorize, admin existence", () => {
  const data = sample();
  assert.deepEqual(userPrivileges(data, "u"), { db: "READ" });
  assert.equal(userPrivilege(data, "u", "db"), "READ");
  assert.equal(userPrivilege(data, "u", "other"), "NONE");
  assert.throws(() => userPrivileges(data, "nobody"), /user not found/);
  const u = data.users[0];
  assert.equal(authorize(u, "READ", "db"), true);
  assert.equal(authorize(u, "WRITE", "db"), false);
  assert.equal(authorize({ ...u, privileges: { db: "ALL" } }, "WRITE", "db"), true);
  assert.equal(authorize({ ...u, admin: true }, "WRITE", "x"), true);
  assert.equal(adminUserExists(data), false);
});

Deno.test("continuousQueries and data node lookups", () => {
  const data = sample();
  assert.deepEqual(continuousQueries(data, "db"), []);
  assert.throws(() => continuousQueries(data, "x"), /database not found: x/);
  assert.equal(dataNodeByRpcAddress(data, "node2:8088")?.id, 2);
});
