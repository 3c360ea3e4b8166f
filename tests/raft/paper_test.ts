/**
 * One scenario per rule of the Raft paper (etcd's raft_paper_test.go habit). These run with
 * pre-vote and check-quorum off, so the bare algorithm of the paper is what is tested.
 */
import assert from "node:assert/strict";
import { logIndex, type Message, nodeId, term } from "../../src/raft/mod.ts";
import { appliedTexts, TestCluster } from "./harness.ts";

const PLAIN = { preVote: false, checkQuorum: false };
/** Bootstrap writes two conf-change entries per voter. */
const boot = (voters: number) => 2 * voters;

function kinds(msgs: Message[], kind: Message["kind"]): Message[] {
  return msgs.filter((m) => m.kind === kind);
}

Deno.test("§5.2 a follower that hears no leader for an election timeout campaigns and wins", () => {
  const c = new TestCluster([1, 2, 3], PLAIN);
  c.tick(9, [1]);
  assert.equal(c.n(1).raft.role, "follower");
  c.tick(1, [1]);
  assert.equal(c.n(1).raft.role, "leader");
  assert.equal(c.n(1).raft.term, 2);
  for (const id of [2, 3]) {
    assert.equal(c.n(id).raft.role, "follower");
    assert.equal(c.n(id).raft.lead, 1);
    assert.equal(c.n(id).raft.term, 2);
  }
});

Deno.test("§5.2 election safety: a node grants at most one vote per term, persisted first", () => {
  const c = new TestCluster([1, 2, 3], PLAIN);
  const n3 = c.n(3);
  const vote = (from: number) => ({
    kind: "vote" as const,
    from: nodeId(from),
    to: nodeId(3),
    term: term(2),
    lastIndex: logIndex(boot(3)),
    lastTerm: term(1),
    transfer: false,
  });
  n3.raw.step(vote(1));
  const rd = n3.raw.ready();
  // The vote is in the hard state of the same Ready whose messages carry the grant.
  assert.deepEqual(rd.hardState, { term: 2, vote: 1, commit: boot(3) });
  assert.deepEqual(rd.messages.map((m) => [m.kind, m.to, "reject" in m && m.reject]), [
    ["vote_resp", 1, false],
  ]);
  n3.raw.advance();
  n3.raw.step(vote(2));
  const rd2 = n3.raw.ready();
  assert.deepEqual(rd2.messages.map((m) => [m.kind, m.to, "reject" in m && m.reject]), [
    ["vote_resp", 2, true],
  ]);
});

Deno.test("§5.2 a candidate that hears from a leader of its term becomes its follower", () => {
  const c = new TestCluster([1, 2, 3], PLAIN);
  c.n(2).raw.campaign(); // term 2, but nobody hears it
  c.flush();
  c.inflight = [];
  assert.equal(c.n(2).raft.role, "candidate");
  c.elect(1); // also term 2: node 3 votes for it, node 2 (voted for itself) refuses
  assert.equal(c.n(1).raft.role, "leader");
  assert.equal(c.n(1).raft.term, 2);
  assert.equal(c.n(2).raft.role, "follower");
  assert.equal(c.n(2).raft.lead, 1);
});

Deno.test("§5.1 stale terms: a node rejects an older term and a stale leader steps down", () => {
  const c = new TestCluster([1, 2, 3], PLAIN);
  c.elect(1);
  c.isolate(1);
  c.elect(2);
  assert.equal(c.n(2).raft.term, 3);
  c.heal();
  const before = c.n(3).raft.log.lastIndex();
  c.n(1).raw.propose(new TextEncoder().encode("stale"));
  c.flush();
  c.deliverOnce();
  // Node 3 refused the term-2 append and answered with term 3.
  assert.equal(c.n(3).raft.log.lastIndex(), before);
  const answers = c.inflight.filter((m) => m.to === 1);
  assert.ok(answers.length > 0 && answers.every((m) => m.term === 3));
  c.stabilize();
  assert.equal(c.n(1).raft.role, "follower");
  assert.equal(c.n(1).raft.term, 3);
  assert.deepEqual(c.leaders(), [2]);
});

Deno.test("§5.4.1 a voter refuses a candidate whose log is less up to date", () => {
  const c = new TestCluster([1, 2, 3], PLAIN, [], { 1: [], 2: [2], 3: [2] }, 2);
  c.elect(1);
  assert.notEqual(c.n(1).raft.role, "leader");
  const resps = kinds(c.sent, "vote_resp").filter((m) => m.to === 1);
  assert.equal(resps.length, 2);
  assert.ok(resps.every((m) => m.kind === "vote_resp" && m.reject));
});

Deno.test("§5.4.1 a higher last term wins over a longer log, and the leader's log prevails", () => {
  const c = new TestCluster([1, 2, 3], PLAIN, [], { 1: [3], 2: [2, 2, 2], 3: [2, 2] }, 3);
  c.elect(1);
  assert.equal(c.n(1).raft.role, "leader");
  const b = boot(3);
  for (const id of [1, 2, 3]) {
    const log = c.n(id).raft.log;
    assert.equal(log.lastIndex(), b + 2, `node ${id}`);
    assert.deepEqual([log.term(b + 1), log.term(b + 2)], [3, 4], `node ${id}`);
  }
  // Log matching: the leader's entries were applied everywhere, identically.
  assert.deepEqual(appliedTexts(c.n(2)), [`t3i${b + 1}`]);
  assert.deepEqual(appliedTexts(c.n(3)), appliedTexts(c.n(1)));
});

Deno.test("§5.3 a follower rejects an append whose previous entry does not match", () => {
  const c = new TestCluster([1, 2, 3], PLAIN, [], { 1: [2], 2: [2], 3: [] }, 2);
  c.elect(1);
  const rejects = kinds(c.sent, "append_resp").filter((m) =>
    m.kind === "append_resp" && m.from === 3 && m.reject
  );
  assert.equal(rejects.length, 1);
  const r = rejects[0];
  assert.ok(r.kind === "append_resp");
  // The hint names the follower's last index, so the leader resends from there at once.
  assert.equal(r.hintIndex, boot(3));
  assert.equal(c.n(3).raft.log.lastIndex(), c.n(1).raft.log.lastIndex());
});

Deno.test("§5.3 an entry commits once a majority stores it; followers learn it later", () => {
  const c = new TestCluster([1, 2, 3], PLAIN);
  c.elect(1);
  c.isolate(3);
  c.propose(1, "a");
  assert.deepEqual(appliedTexts(c.n(1)), ["a"]);
  assert.deepEqual(appliedTexts(c.n(2)), ["a"]);
  assert.deepEqual(appliedTexts(c.n(3)), []);
  c.heal();
  c.tick(1, [1]);
  for (const id of [1, 2, 3]) assert.deepEqual(appliedTexts(c.n(id)), ["a"], `node ${id}`);
});

Deno.test("§5.4.2 / Figure 8: a leader never commits an older-term entry by counting replicas", () => {
  // Five nodes: 1 and 2 hold an uncommitted term-2 entry at index i, 5 holds a term-3 one.
  const b = boot(5);
  const i = b + 1;
  const c = new TestCluster(
    [1, 2, 3, 4, 5],
    { ...PLAIN, maxSizePerMsg: 1 },
    [],
    { 1: [2], 2: [2], 5: [3] },
    3,
  );
  // Term-4 entries reach no follower: only the term-2 entry can replicate.
  c.filter = (m) =>
    m.kind === "append" ? { ...m, entries: m.entries.filter((e) => e.term !== 4) } : true;
  c.elect(1);
  assert.equal(c.n(1).raft.role, "leader");
  assert.equal(c.n(1).raft.term, 4);
  // Nodes 1, 2 and 3 (a majority) now store the term-2 entry at index i...
  for (const id of [1, 2, 3]) assert.equal(c.n(id).raft.log.term(i), 2, `node ${id}`);
  // ...yet it is not committed: node 5 could still be elected and overwrite it.
  assert.ok(c.n(1).raft.log.committed < i);
  assert.deepEqual(appliedTexts(c.n(1)), []);
  // Once an entry of term 4 reaches the majority, both commit together.
  c.heal();
  c.tick(1, [1]);
  assert.ok(c.n(1).raft.log.committed >= i + 1);
  assert.deepEqual(appliedTexts(c.n(1)), [`t2i${i}`]);
});

Deno.test("§5.4 leader completeness: a node missing a committed entry cannot win", () => {
  const c = new TestCluster([1, 2, 3], PLAIN);
  c.elect(1);
  c.isolate(3);
  c.propose(1, "a");
  c.heal();
  c.elect(3);
  assert.notEqual(c.n(3).raft.role, "leader");
  c.elect(2);
  assert.equal(c.n(2).raft.role, "leader");
  c.tick(1, [2]);
  for (const id of [1, 2, 3]) assert.deepEqual(appliedTexts(c.n(id)), ["a"], `node ${id}`);
});

Deno.test("§5.4.3 state machine safety: every node applies the same entries in order", () => {
  const c = new TestCluster([1, 2, 3, 4, 5], PLAIN);
  c.elect(1);
  c.propose(1, "a");
  c.isolate(1);
  c.n(1).raw.propose(new TextEncoder().encode("lost")); // never reaches a majority
  c.flush();
  c.stabilize();
  c.elect(2);
  c.propose(2, "b");
  c.heal();
  c.elect(3);
  c.propose(3, "c");
  c.tick(1, [3]);
  for (const id of [1, 2, 3, 4, 5]) {
    assert.deepEqual(appliedTexts(c.n(id)), ["a", "b", "c"], `node ${id}`);
  }
  const indexes = c.n(1).applied.map((e) => e.index);
  assert.deepEqual(indexes, indexes.toSorted((x, y) => x - y));
});

Deno.test("§5.3 leader append-only: a leader never rewrites its own entries", () => {
  const c = new TestCluster([1, 2, 3], PLAIN, [], { 1: [2, 2], 2: [3] }, 3);
  c.isolate(2);
  c.elect(1); // node 3 votes; node 2's conflicting term-3 entry never reaches node 1
  const before = c.n(1).raft.log.entries.slice();
  c.heal();
  c.tick(3, [1]);
  const after = c.n(1).raft.log.entries;
  assert.deepEqual(after.slice(0, before.length), before);
});
