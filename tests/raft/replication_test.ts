/** Replication details: back-off, in-flight window, membership, ReadIndex and snapshots. */
import assert from "node:assert/strict";
import { type Message, nodeId, RaftError } from "../../src/raft/mod.ts";
import { appliedTexts, TestCluster } from "./harness.ts";

const enc = new TextEncoder();
const ctx = (s: string) => enc.encode(s);
const isKind = (e: unknown, kind: string) => e instanceof RaftError && e.kind === kind;

Deno.test("fast back-off: one rejection skips a whole conflicting term", () => {
  // Node 3 holds eight uncommitted term-2 entries; the new leader's log has one term-3 entry.
  const c = new TestCluster(
    [1, 2, 3],
    {},
    [],
    { 1: [3], 2: [3], 3: [2, 2, 2, 2, 2, 2, 2, 2] },
    3,
  );
  c.elect(1);
  const rejects = c.sent.filter((m) => m.kind === "append_resp" && m.from === 3 && m.reject);
  assert.equal(rejects.length, 1, "a per-index back-off would need 8");
  assert.deepEqual(c.n(3).raft.log.entries, c.n(1).raft.log.entries);
});

Deno.test("pipelining: at most maxInflight appends are unanswered, then the leader waits", () => {
  const c = new TestCluster([1, 2, 3], { maxInflight: 2 });
  c.elect(1);
  c.filter = (m) => m.kind !== "append_resp"; // acknowledgements get lost
  for (let i = 0; i < 6; i++) c.n(1).raw.propose(ctx(`p${i}`));
  c.flush();
  const appends = c.inflight.filter((m) => m.kind === "append" && m.to === 2);
  assert.equal(appends.length, 2);
  c.stabilize();
  c.filter = () => true;
  c.tick(1, [1]); // a heartbeat answer frees the window and the rest flows
  assert.deepEqual(appliedTexts(c.n(2)), ["p0", "p1", "p2", "p3", "p4", "p5"]);
});

Deno.test("a new leader accepts no conf change until an entry of its term is committed", () => {
  const c = new TestCluster([1]);
  c.n(1).raw.campaign();
  assert.equal(c.n(1).raft.role, "leader");
  assert.throws(
    () => c.n(1).raw.proposeConfChange({ kind: "add_learner", node: nodeId(2) }),
    (e) => isKind(e, "conf_change_pending"),
  );
  c.flush(); // persists and commits the empty entry of the new term
  c.n(1).raw.proposeConfChange({ kind: "add_learner", node: nodeId(2) });
});

Deno.test("membership: a learner catches up, does not vote or count, then is promoted", () => {
  const c = new TestCluster([1, 2, 3], {}, [4]);
  c.elect(1);
  c.propose(1, "a");
  c.filter = (m) => m.to !== 4;
  c.n(1).raw.proposeConfChange({ kind: "add_learner", node: nodeId(4) });
  // One change at a time.
  assert.throws(
    () => c.n(1).raw.proposeConfChange({ kind: "add_learner", node: nodeId(5) }),
    (e) => isKind(e, "conf_change_pending"),
  );
  c.flush();
  c.stabilize();
  assert.deepEqual(c.n(1).raft.conf.learners, [4]);
  // Not caught up yet (nothing reached it): promotion is refused.
  assert.throws(
    () => c.n(1).raw.proposeConfChange({ kind: "promote", node: nodeId(4) }),
    (e) => isKind(e, "invalid_conf_change"),
  );
  c.heal();
  c.tick(1, [1]);
  assert.deepEqual(appliedTexts(c.n(4)), ["a"]);
  // A learner never campaigns.
  c.tick(40, [4]);
  assert.equal(c.sent.filter((m) => m.from === 4 && m.kind.includes("vote")).length, 0);
  // Learners do not count towards the commit quorum.
  c.filter = (m) => m.to !== 2 && m.to !== 3;
  c.propose(1, "b");
  assert.deepEqual(appliedTexts(c.n(1)), ["a"]);
  c.heal();
  c.tick(1, [1]);
  c.n(1).raw.proposeConfChange({ kind: "promote", node: nodeId(4) });
  c.flush();
  c.stabilize();
  c.tick(1, [1]);
  assert.deepEqual(c.n(4).raft.conf.voters, [1, 2, 3, 4]);
  assert.deepEqual(c.n(1).raft.conf.learners, []);
  // Now 4 counts: with 2 and 3 away the quorum of 3 out of 4 is impossible, with 3 away it is met.
  c.filter = (m) => m.to !== 3;
  c.propose(1, "c");
  assert.deepEqual(appliedTexts(c.n(1)), ["a", "b", "c"]);
});

Deno.test("membership: invalid changes are refused with a reason", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.tick(1, [1]);
  const raw = c.n(1).raw;
  assert.throws(
    () => raw.proposeConfChange({ kind: "add_learner", node: nodeId(2) }),
    (e) => isKind(e, "invalid_conf_change"),
  );
  assert.throws(
    () => raw.proposeConfChange({ kind: "promote", node: nodeId(9) }),
    (e) => isKind(e, "invalid_conf_change"),
  );
  assert.throws(
    () => raw.proposeConfChange({ kind: "remove", node: nodeId(9) }),
    (e) => isKind(e, "invalid_conf_change"),
  );
  assert.throws(
    () => c.n(2).raw.proposeConfChange({ kind: "remove", node: nodeId(3) }),
    (e) => isKind(e, "not_leader"),
  );
});

Deno.test("ReadIndex on the leader: answered after a heartbeat quorum, at the commit index", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.propose(1, "a");
  c.n(1).raw.readIndex(ctx("r1"));
  c.flush();
  assert.deepEqual(c.n(1).readStates, [], "not before a quorum confirmed leadership");
  const hb = c.inflight.filter((m) => m.kind === "heartbeat");
  assert.equal(hb.length, 2);
  c.stabilize();
  assert.deepEqual(c.n(1).readStates, [{ index: c.n(1).raft.log.committed, ctx: ctx("r1") }]);
});

Deno.test("ReadIndex on an isolated (deposed) leader is never answered", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.isolate(1);
  c.n(1).raw.readIndex(ctx("stale"));
  c.flush();
  c.tick(5, [1]);
  assert.deepEqual(c.n(1).readStates, []);
});

Deno.test("ReadIndex on a follower is forwarded and covers writes acknowledged before it", () => {
  const c = new TestCluster([1, 2, 3]);
  c.elect(1);
  c.filter = (m) => m.to !== 3 || m.kind !== "append"; // node 3 lags behind
  c.propose(1, "a");
  c.heal();
  c.n(3).raw.readIndex(ctx("f1"));
  c.flush();
  assert.equal(c.inflight.filter((m) => m.kind === "read_index").length, 1);
  c.stabilize();
  const rs = c.n(3).readStates;
  assert.equal(rs.length, 1);
  // The read index includes "a", so node 3 must apply up to it before serving.
  const aIndex = c.n(1).applied.find((e) => e.kind === "normal")!.index;
  assert.ok(rs[0].index >= aIndex);
});

Deno.test("ReadIndex on a new leader waits until it commits an entry of its term", () => {
  const c = new TestCluster([1, 2, 3]);
  c.filter = (m) => m.kind !== "append_resp";
  c.elect(1);
  c.n(1).raw.readIndex(ctx("early"));
  c.flush();
  c.stabilize();
  assert.deepEqual(c.n(1).readStates, []);
  c.heal();
  c.tick(2, [1]);
  assert.equal(c.n(1).readStates.length, 1);
  assert.equal(c.n(1).readStates[0].index, c.n(1).raft.log.committed);
});

Deno.test("snapshots: a lagging follower gets a chunked snapshot, then the log", () => {
  const c = new TestCluster([1, 2, 3], { snapshotChunkSize: 4 });
  c.elect(1);
  c.isolate(3);
  for (const s of ["a", "b", "c"]) c.propose(1, s);
  const leader = c.n(1);
  const data = enc.encode("state-machine-image-of-21");
  const snap = leader.raw.compact(leader.raft.log.applied, data);
  leader.store.appendSync({ entries: [], snapshot: snap });
  leader.store.compactSync(snap.meta.index);
  c.propose(1, "d");
  // Lose the second chunk once: the heartbeat answer makes the leader resend it.
  let dropped = false;
  c.filter = (m: Message) => {
    if (m.kind === "snapshot" && m.offset === 4 && !dropped) {
      dropped = true;
      return false;
    }
    return true;
  };
  c.tick(3, [1]);
  const chunks = c.sent.filter((m) => m.kind === "snapshot");
  assert.ok(chunks.length >= Math.ceil(data.length / 4) + 1);
  assert.ok(chunks.every((m) => m.kind === "snapshot" && m.data.length <= 4));
  assert.ok(dropped);
  const follower = c.n(3);
  const stored = follower.store.loadSync();
  assert.deepEqual(stored.snapshot?.data, data);
  assert.equal(stored.snapshot?.meta.index, snap.meta.index);
  assert.equal(follower.raft.log.committed, leader.raft.log.committed);
  // After the snapshot only "d" is applied from the log.
  assert.deepEqual(appliedTexts(follower), ["d"]);
});

Deno.test("snapshots: a follower that restarts mid-transfer starts the snapshot over", () => {
  const c = new TestCluster([1, 2, 3], { snapshotChunkSize: 3 });
  c.elect(1);
  c.isolate(3);
  c.propose(1, "a");
  const leader = c.n(1);
  leader.raw.compact(leader.raft.log.applied, enc.encode("0123456789"));
  c.heal();
  c.filter = (m) => !(m.kind === "snapshot" && m.offset >= 6);
  c.tick(1, [1]);
  c.n(3).start(); // crash: the partial snapshot was never persisted
  c.heal();
  c.tick(3, [1]);
  assert.deepEqual(c.n(3).store.loadSync().snapshot?.data, enc.encode("0123456789"));
  assert.equal(c.n(3).raft.log.committed, leader.raft.log.committed);
});
