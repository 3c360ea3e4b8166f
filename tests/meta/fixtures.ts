// Shared helpers for the meta tests.

import assert from "node:assert/strict";
import {
  type Applied,
  applyCommand,
  dataNodeId,
  emptyMetaData,
  HOUR_NS,
  type MetaCommand,
  type MetaData,
  metaNodeId,
  shardGroupId,
  shardId,
} from "../../src/meta/mod.ts";

/** 2024-01-01T00:00:00Z (a Monday) in ns. */
export const T0 = 1_704_067_200_000_000_000n;

/** Applies commands in order, asserting each succeeds; returns the final state. */
export function run(cmds: readonly MetaCommand[], from: MetaData = emptyMetaData()): MetaData {
  let data = from;
  for (const cmd of cmds) {
    const r = applyCommand(data, cmd);
    if (r.result.kind === "error") assert.fail(`${cmd.kind}: ${r.result.error.message}`);
    data = r.data;
  }
  return data;
}

/** Applies one command that must succeed. */
export function ok(data: MetaData, cmd: MetaCommand): Applied {
  const r = applyCommand(data, cmd);
  if (r.result.kind === "error") assert.fail(`${cmd.kind}: ${r.result.error.message}`);
  return r;
}

/** Applies one command that must fail; asserts the state is unchanged and returns the message. */
export function fails(data: MetaData, cmd: MetaCommand): string {
  const r = applyCommand(data, cmd);
  assert.equal(r.result.kind, "error", `${cmd.kind} should fail`);
  assert.equal(r.data, data, "a failed command returns the input state");
  return r.result.kind === "error" ? r.result.error.message : "";
}

/** `n` data nodes registered. */
export function withDataNodes(n: number, from: MetaData = emptyMetaData()): MetaData {
  const cmds: MetaCommand[] = [];
  for (let i = 1; i <= n; i++) {
    cmds.push({
      kind: "createDataNode",
      httpAddress: `node${i}:8086`,
      rpcAddress: `node${i}:8088`,
    });
  }
  return run(cmds, from);
}

/** Recursively freezes a value so any mutation throws. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** One command of every kind, in an order that succeeds when applied to an empty state. */
export const SAMPLE_COMMANDS: readonly MetaCommand[] = [
  { kind: "initCluster", clusterId: "c-1234" },
  { kind: "addMetaNode", id: metaNodeId(1), raftAddress: "m1:8089", httpAddress: "m1:8091" },
  { kind: "addMetaNode", id: metaNodeId(2), raftAddress: "m2:8089", httpAddress: "m2:8091" },
  { kind: "removeMetaNode", id: metaNodeId(2) },
  { kind: "createDataNode", httpAddress: "d1:8086", rpcAddress: "d1:8088" },
  { kind: "createDataNode", httpAddress: "d2:8086", rpcAddress: "d2:8088" },
  { kind: "createDataNode", httpAddress: "d3:8086", rpcAddress: "d3:8088" },
  { kind: "updateDataNode", id: dataNodeId(3), httpAddress: "d3b:8086", rpcAddress: "d3b:8088" },
  { kind: "createDatabase", name: "db0" },
  {
    kind: "createDatabase",
    name: "db1",
    retentionPolicy: { name: "rp1", duration: 48n * HOUR_NS, replicaN: 2 },
  },
  {
    kind: "createRetentionPolicy",
    database: "db0",
    spec: { name: "week", duration: 168n * HOUR_NS, replicaN: 1, shardGroupDuration: HOUR_NS },
    makeDefault: false,
  },
  {
    kind: "updateRetentionPolicy",
    database: "db0",
    name: "week",
    update: { replicaN: 2, duration: 336n * HOUR_NS },
    makeDefault: false,
  },
  { kind: "setDefaultRetentionPolicy", database: "db0", name: "week" },
  { kind: "createShardGroup", database: "db0", retentionPolicy: "week", timestamp: T0 },
  { kind: "createShardGroup", database: "db0", retentionPolicy: "autogen", timestamp: T0 + 5n },
  {
    kind: "createShardGroup",
    database: "db1",
    retentionPolicy: "rp1",
    timestamp: T0 + HOUR_NS,
  },
  { kind: "addShardOwner", shardId: shardId(1), nodeId: dataNodeId(3) },
  { kind: "removeShardOwner", shardId: shardId(1), nodeId: dataNodeId(3) },
  { kind: "truncateShardGroups", at: T0 + 30n * 60_000_000_000n },
  {
    kind: "deleteShardGroup",
    database: "db0",
    retentionPolicy: "week",
    id: shardGroupId(1),
    at: T0 + 2n * HOUR_NS,
  },
  { kind: "dropShard", id: shardId(2), at: T0 + 3n * HOUR_NS },
  { kind: "createUser", name: "admin", hash: "h0", admin: true },
  { kind: "createUser", name: "bob", hash: "h1", admin: false },
  { kind: "setPassword", name: "bob", hash: "h2" },
  { kind: "setAdmin", name: "bob", admin: true },
  { kind: "setPrivilege", user: "bob", database: "db0", privilege: "ALL" },
  { kind: "revokePrivilege", user: "bob", database: "db0", privilege: "READ" },
  { kind: "dropUser", name: "admin" },
  {
    kind: "createContinuousQuery",
    database: "db0",
    name: "cq1",
    query:
      "CREATE CONTINUOUS QUERY cq1 ON db0 BEGIN SELECT mean(v) INTO m1 FROM m GROUP BY time(1h) END",
  },
  { kind: "createContinuousQuery", database: "db0", name: "cq2", query: "q2" },
  { kind: "dropContinuousQuery", database: "db0", name: "cq2" },
  { kind: "deleteDataNode", id: dataNodeId(2), at: T0 + 4n * HOUR_NS },
  { kind: "dropRetentionPolicy", database: "db1", name: "rp1" },
  { kind: "createDatabase", name: "gone" },
  { kind: "dropDatabase", name: "gone" },
];
