import assert from "node:assert/strict";
import { listMembers } from "../../src/cluster/meta_members.ts";
import { renderMetaMetrics } from "../../src/cluster/meta_metrics.ts";
import type { DriverStatus } from "../../src/cluster/raft_driver.ts";
import { emptyMetaData, type MetaData, type MetaNodeId } from "../../src/meta/mod.ts";
import { logIndex, nodeId, term } from "../../src/raft/mod.ts";

/** A leader (node 1) of voters 1 and 2, with learner 4 catching up. */
const leader: DriverStatus = {
  id: nodeId(1),
  role: "leader",
  term: term(7),
  leader: nodeId(1),
  commit: logIndex(120),
  applied: 118,
  lastIndex: logIndex(125),
  snapshotIndex: logIndex(100),
  voters: [nodeId(1), nodeId(2)],
  learners: [nodeId(4)],
  progress: {
    1: { match: 125, state: "replicate" },
    2: { match: 120, state: "replicate" },
    4: { match: 30, state: "snapshot" },
  },
};

const data: MetaData = {
  ...emptyMetaData(),
  metaNodes: [1, 2, 3].map((i) => ({
    id: i as MetaNodeId,
    raftAddress: `10.0.0.${i}:8089`,
    httpAddress: `10.0.0.${i}:8091`,
  })),
};

Deno.test("metrics: Prometheus text with a HELP and TYPE per metric and lag per member on a leader", () => {
  const text = renderMetaMetrics({
    raft: leader,
    metaIndex: 118,
    databases: 3,
    dataNodes: 2,
    proposals: 40,
    proposalErrors: 1,
  });
  assert.ok(text.endsWith("\n"));
  const samples = new Map<string, string>();
  const types = new Map<string, string>();
  for (const line of text.trimEnd().split("\n")) {
    const type = /^# TYPE (\S+) (gauge|counter)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    else if (!line.startsWith("# HELP ")) {
      const m = /^([a-z_]+)(\{node="\d+"\})? (\d+)$/.exec(line);
      assert.ok(m, `not an exposition line: ${line}`);
      assert.ok(types.has(m[1]), `${m[1]} has no TYPE before its sample`);
      samples.set(m[1] + (m[2] ?? ""), m[3]);
    }
  }
  assert.equal(samples.get("chronoraft_raft_term"), "7");
  assert.equal(samples.get("chronoraft_raft_is_leader"), "1");
  assert.equal(samples.get("chronoraft_raft_commit_index"), "120");
  assert.equal(samples.get("chronoraft_raft_applied_index"), "118");
  assert.equal(samples.get("chronoraft_raft_learners"), "1");
  assert.equal(samples.get("chronoraft_meta_databases"), "3");
  assert.equal(types.get("chronoraft_meta_proposals_total"), "counter");
  assert.equal(samples.get("chronoraft_meta_proposal_errors_total"), "1");
  assert.equal(samples.get('chronoraft_raft_member_lag{node="2"}'), "5");
  assert.equal(samples.get('chronoraft_raft_member_lag{node="4"}'), "95");
});

Deno.test("metrics: a node outside any cluster reports zeros and no member lag", () => {
  const text = renderMetaMetrics({
    raft: undefined,
    metaIndex: 0,
    databases: 0,
    dataNodes: 0,
    proposals: 0,
    proposalErrors: 0,
  });
  assert.match(text, /^chronoraft_raft_is_leader 0$/m);
  assert.match(text, /^chronoraft_raft_leader_id 0$/m);
  assert.doesNotMatch(text, /member_lag/);
});

Deno.test("members: roles from raft, addresses from the meta state, lag on a leader", () => {
  const members = listMembers(
    leader,
    data,
    { id: 1, raftAddress: "10.0.0.1:8089" },
    new Map([[4, "10.0.0.4:8091"]]),
  );
  assert.deepEqual(members, [
    {
      id: 1,
      raftAddress: "10.0.0.1:8089",
      adminAddress: "10.0.0.1:8091",
      state: "leader",
      match: 125,
      lag: 0,
    },
    {
      id: 2,
      raftAddress: "10.0.0.2:8089",
      adminAddress: "10.0.0.2:8091",
      state: "voter",
      match: 120,
      lag: 5,
    },
    // In the meta state but no longer in the raft configuration.
    { id: 3, raftAddress: "10.0.0.3:8089", adminAddress: "10.0.0.3:8091", state: "removed" },
    // Added to raft, not yet to the meta state: its admin address comes from the join answer.
    { id: 4, raftAddress: "", adminAddress: "10.0.0.4:8091", state: "learner", match: 30, lag: 95 },
  ]);
});

Deno.test("members: before joining, only the meta state's nodes, all shown as removed", () => {
  const members = listMembers(undefined, data, { id: 9, raftAddress: "10.0.0.9:8089" }, new Map());
  assert.deepEqual(members.map((m) => [m.id, m.state]), [[1, "removed"], [2, "removed"], [
    3,
    "removed",
  ]]);
});
