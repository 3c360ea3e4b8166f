/** Pre-vote, check-quorum, leadership transfer and removed nodes (beyond the paper). */
import assert from "node:assert/strict";
import { nodeId, RaftError } from "../../src/raft/mod.ts";
import { appliedTexts, TestCluster } from "./harness.ts";

Deno.test("pre-vote: a partitioned follower does not raise its term or disrupt the leader", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  const t = c.n(1).raft.term;
  c.isolate(3);
  c.tick(50, [3]);
  assert.equal(c.n(3).raft.term, t, "pre-vote rounds never bump the term");
  assert.equal(c.n(3).raft.role, "pre_candidate");
  c.heal();
  c.tick(2);
  assert.deepEqual(c.leaders(), [1]);
  assert.equal(c.n(1).raft.term, t);
  assert.equal(c.n(3).raft.lead, 1);
});

Deno.test("without pre-vote the same partition forces a new election on rejoin", () => {
  const c = new TestCluster([1, 2, 3], { preVote: false, checkQuorum: false });
  c.elect(1);
  const t = c.n(1).raft.term;
  c.isolate(3);
  c.tick(50, [3]);
  assert.ok(c.n(3).raft.term > t + 2);
  c.heal();
  c.tick(1, [1]);
  assert.equal(c.n(1).raft.role, "follower", "the higher term deposes the leader");
});

Deno.test("pre-vote: voters that hear from a leader ignore pre-votes (lease)", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.elect(2); // node 2 asks for pre-votes while 1 still leads
  assert.deepEqual(c.leaders(), [1]);
  assert.equal(c.n(2).raft.term, c.n(1).raft.term);
});

Deno.test("forgetLeader: followers that forgot a dead leader elect a new one at once", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.propose(1, "a");
  const t = c.n(1).raft.term;
  c.isolate(1); // the leader's process is gone
  // One follower forgetting is not enough: the other still honours the lease.
  c.n(2).raw.forgetLeader();
  assert.equal(c.n(2).raft.lead, 0);
  c.elect(2);
  assert.equal(c.n(2).raft.role, "pre_candidate");
  assert.equal(c.n(2).raft.term, t);
  // Once both forgot it, no election timeout is needed.
  c.n(3).raw.forgetLeader();
  c.elect(2);
  assert.equal(c.n(2).raft.role, "leader");
  assert.equal(c.n(2).raft.term, t + 1);
  c.propose(2, "b");
  assert.deepEqual(appliedTexts(c.n(3)), ["a", "b"]);
});

Deno.test("forgetLeader: a live leader's next heartbeat makes it the leader again", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.n(2).raw.forgetLeader();
  c.n(1).raw.forgetLeader(); // ignored: not a follower
  assert.equal(c.n(1).raft.role, "leader");
  c.tick(1);
  assert.equal(c.n(2).raft.lead, 1);
  assert.deepEqual(c.leaders(), [1]);
});

Deno.test("check-quorum: a leader that hears no quorum for an election timeout steps down", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.isolate(1);
  c.tick(9, [1]);
  assert.equal(c.n(1).raft.role, "leader");
  c.tick(11, [1]);
  assert.equal(c.n(1).raft.role, "follower");
  assert.equal(c.n(1).raft.lead, 0);
});

Deno.test("check-quorum off: an isolated leader keeps believing it leads", () => {
  const c = new TestCluster([1, 2, 3], { checkQuorum: false });
  c.elect(1);
  c.isolate(1);
  c.tick(40, [1]);
  assert.equal(c.n(1).raft.role, "leader");
});

Deno.test("transfer: the target gets timeout_now once caught up and wins the next term", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.isolate(3);
  c.propose(1, "a");
  c.propose(1, "b");
  c.heal();
  const t = c.n(1).raft.term;
  c.n(1).raw.transferLeader(nodeId(3));
  // While the transfer runs, proposals are refused so the target can catch up.
  assert.throws(
    () => c.n(1).raw.propose(new Uint8Array([1])),
    (e) => e instanceof RaftError && e.kind === "proposal_dropped",
  );
  c.flush();
  c.stabilize();
  assert.deepEqual(c.leaders(), [3]);
  assert.equal(c.n(3).raft.term, t + 1);
  const timeoutNow = c.sent.filter((m) => m.kind === "timeout_now");
  assert.deepEqual(timeoutNow.map((m) => [m.from, m.to]), [[1, 3]]);
  c.propose(3, "c");
  for (const id of [1, 2, 3]) assert.deepEqual(appliedTexts(c.n(id)), ["a", "b", "c"]);
});

Deno.test("transfer: a follower forwards the request to the leader", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.n(2).raw.transferLeader(nodeId(2));
  c.flush();
  c.stabilize();
  assert.deepEqual(c.leaders(), [2]);
});

Deno.test("transfer: it is abandoned after an election timeout if the target is gone", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.isolate(3);
  c.n(1).raw.transferLeader(nodeId(3));
  c.flush();
  c.filter = (m) => m.to !== 3 && m.from !== 3;
  c.tick(10, [1, 2]);
  assert.equal(c.n(1).raft.leadTransferee, 0);
  c.n(1).raw.propose(new TextEncoder().encode("after"));
});

Deno.test("a removed node does not disrupt the cluster", () => {
  const c = new TestCluster([1, 2, 3, 4]);
  c.elect(1);
  c.n(1).raw.proposeConfChange({ kind: "remove", node: nodeId(4) });
  c.flush();
  c.stabilize();
  c.tick(1, [1]);
  assert.deepEqual(c.n(1).raft.conf.voters, [1, 2, 3]);
  const t = c.n(1).raft.term;
  // Node 4 stops hearing from the leader and tries to campaign (it may not know it left).
  c.tick(60, [4]);
  c.tick(3, [1, 2, 3]);
  assert.deepEqual(c.leaders(), [1]);
  assert.equal(c.n(1).raft.term, t);
  assert.equal(c.n(2).raft.term, t);
  c.propose(1, "still works");
  assert.deepEqual(appliedTexts(c.n(2)), ["still works"]);
});

Deno.test("a leader that removes itself steps down and the rest elect a new leader", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.n(1).raw.proposeConfChange({ kind: "remove", node: nodeId(1) });
  c.flush();
  c.stabilize();
  assert.equal(c.n(1).raft.role, "follower");
  assert.deepEqual(c.n(2).raft.conf.voters, [2, 3]);
  // Offset the two election timers (randomness is off here) so one of them wins.
  c.tick(1, [3]);
  c.tick(25, [2, 3]);
  const leaders = c.leaders();
  assert.equal(leaders.length, 1);
  assert.ok(leaders[0] === 2 || leaders[0] === 3);
  assert.deepEqual(c.n(leaders[0]).raft.conf.voters, [2, 3]);
});
