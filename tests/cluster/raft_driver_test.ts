import assert from "node:assert/strict";
import { decode } from "@msgpack/msgpack";
import { type Message, type NodeId, nodeId } from "../../src/raft/mod.ts";
import { DriverClosedError, NotLeaderError } from "../../src/cluster/raft_driver_errors.ts";
import type { RaftDriver } from "../../src/cluster/raft_driver.ts";
import { cmd, pause, TestCluster } from "./raft_test_helpers.ts";

async function withCluster(
  fn: (c: TestCluster) => Promise<void>,
  extra: ConstructorParameters<typeof TestCluster>[0] = {},
): Promise<void> {
  const c = new TestCluster(extra);
  try {
    await fn(c);
  } finally {
    await c.close();
  }
}

Deno.test("driver: three nodes elect a leader and apply proposals in order everywhere", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    const results = await c.drive(
      Promise.all(Array.from({ length: 50 }, (_, i) => leader.propose(cmd(`v${i}`)))),
    );
    assert.deepEqual(results, Array.from({ length: 50 }, (_, i) => i + 1));
    const expected = Array.from({ length: 50 }, (_, i) => `v${i}`);
    await c.until(
      "all applied",
      () => [...c.machines.values()].every((m) => m.items.length === 50),
    );
    for (const m of c.machines.values()) {
      assert.deepEqual(m.items, expected);
      for (let i = 1; i < m.indexes.length; i++) assert.equal(m.indexes[i], m.indexes[i - 1] + 1);
    }
  }));

Deno.test("driver: a follower refuses proposals with NotLeaderError naming the leader", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    const f = c.follower();
    await assert.rejects(f.propose(cmd("x")), (e) => {
      assert.ok(e instanceof NotLeaderError);
      assert.equal(e.leader, leader.id);
      return true;
    });
  }));

Deno.test("driver: concurrent proposals share store appends", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    const store = c.stores.get(leader.id)!;
    const before = store.appends;
    const n = 300;
    const ps: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      ps.push(leader.propose(cmd(`p${i}`)));
      if (i % 30 === 0) await Promise.resolve();
    }
    await c.drive(Promise.all(ps));
    const appends = store.appends - before;
    assert.ok(appends < n / 5, `${appends} appends for ${n} proposals`);
  }));

Deno.test("driver: entries, votes and commits are persisted before the messages that depend on them", () =>
  withCluster(async (c) => {
    const checked = new Map<string, number>();
    const violations: string[] = [];
    // Tap every message as it leaves a node (the memory network encodes each one).
    const net = c.net as unknown as {
      deliver: (from: { id: NodeId }, to: string, bytes: Uint8Array) => void;
    };
    const deliver = net.deliver.bind(c.net);
    net.deliver = (from, to, bytes) => {
      const m = decode(bytes) as Message;
      const store = c.stores.get(from.id)!;
      const needsTerm = m.kind === "vote" || m.kind === "append" || m.kind === "heartbeat" ||
        (m.kind === "vote_resp" && !m.reject);
      if (needsTerm && store.persistedTerm < m.term) {
        violations.push(`${from.id} sent ${m.kind} of term ${m.term} before persisting it`);
      }
      // A leader may send entries it is still writing (Raft thesis §10.2.1), and a commit
      // index a majority has persisted without it, but never one no majority has on disk.
      if (m.kind === "append" || m.kind === "heartbeat") {
        const persisted = [...c.stores.values()].map((x) => x.persistedLast).sort((a, b) => b - a);
        const majority = persisted[Math.floor(persisted.length / 2)];
        if (majority < m.commit) {
          violations.push(`${from.id} sent commit ${m.commit}; a majority persisted ${majority}`);
        }
      }
      if (m.kind === "append_resp" && !m.reject && store.persistedLast < m.index) {
        violations.push(`${from.id} acknowledged ${m.index} before persisting it`);
      }
      checked.set(m.kind, (checked.get(m.kind) ?? 0) + 1);
      deliver(from, to, bytes);
    };
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    await c.drive(Promise.all([leader.propose(cmd("a")), leader.propose(cmd("b"))]));
    await c.stop(leader.id);
    const next = await c.leader();
    await c.drive(next.propose(cmd("c")));
    assert.deepEqual(violations, []);
    for (const kind of ["vote", "vote_resp", "append", "append_resp"]) {
      assert.ok((checked.get(kind) ?? 0) > 0, `saw ${kind}`);
    }
  }));

Deno.test("driver: a leader with a stalled disk answers once both followers hold the entry", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    await c.drive(leader.propose(cmd("before")));
    const store = c.stores.get(leader.id)!;
    let release = () => {};
    store.hold = new Promise<void>((r) => (release = r));
    const persisted = store.persistedLast;
    // Committed by the two followers' copies (a majority) while the leader's write waits.
    assert.equal(await c.drive(leader.propose(cmd("during"))), 2);
    // The next proposal's appends leave while that write is still held, so it commits too.
    assert.equal(await c.drive(leader.propose(cmd("during 2"))), 3);
    assert.equal(store.persistedLast, persisted, "the leader's own write is still held");
    store.hold = null;
    release();
    assert.equal(await c.drive(leader.propose(cmd("after"))), 4);
    await c.until("all applied", () => [...c.machines.values()].every((m) => m.items.length === 4));
    for (const m of c.machines.values()) {
      assert.deepEqual(m.items, ["before", "during", "during 2", "after"]);
    }
    assert.ok(store.persistedLast > persisted, "the held write landed");
  }));

Deno.test("driver: readIndex on a follower sees every acknowledged write", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    await c.drive(Promise.all([1, 2, 3].map((i) => leader.propose(cmd(`w${i}`)))));
    const f = c.follower();
    await c.drive(f.readIndex());
    assert.deepEqual(c.machines.get(f.id)!.items, ["w1", "w2", "w3"]);
    await c.drive(leader.readIndex());
  }));

Deno.test("driver: a new leader takes over after the leader stops, and the old one catches up", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const first = await c.leader();
    await c.drive(first.propose(cmd("before")));
    await c.stop(first.id);
    const second = await c.leader();
    assert.notEqual(second.id, first.id);
    await c.drive(second.propose(cmd("after")));
    await c.startNode(first.id);
    await c.until(
      "restarted node caught up",
      () => c.machines.get(first.id)!.items.join() === "before,after",
    );
  }));

Deno.test("driver: snapshots compact the log and a new learner catches up from one", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    for (let round = 0; round < 4; round++) {
      await c.drive(
        Promise.all(Array.from({ length: 15 }, (_, i) => leader.propose(cmd(`s${round}-${i}`)))),
      );
    }
    const st = await c.stores.get(leader.id)!.inner.load();
    assert.ok(st.snapshot !== null, "a snapshot was taken");
    assert.ok(st.entries.length < 40, `log compacted to ${st.entries.length} entries`);
    assert.ok(leader.status().snapshotIndex > 0);

    const four = nodeId(4);
    c.addresses.set(four, "mem:node-4");
    await c.startNode(four);
    await c.drive(leader.addLearner(four, "mem:node-4"));
    await c.until("learner caught up", () => c.machines.get(four)!.items.length === 60);
    await c.until(
      "learner replicating",
      () => leader.status().progress[four]?.state === "replicate",
    );
    await c.drive(leader.promote(four));
    assert.deepEqual(leader.status().voters.slice().sort(), [1, 2, 3, 4]);
    await c.drive(leader.propose(cmd("last")));
    await c.until("new voter applied", () => c.machines.get(four)!.items.at(-1) === "last");
    assert.deepEqual(c.machines.get(four)!.items, c.machines.get(leader.id)!.items);
  }, { snapshotEntries: 20 }));

Deno.test("driver: remove a node and transfer leadership", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    const others = [...c.drivers.keys()].filter((id) => id !== leader.id);
    await c.drive(leader.removeNode(others[0]));
    assert.deepEqual(leader.status().voters.length, 2);
    await c.stop(others[0]);
    await c.drive(leader.transferLeader(others[1]));
    const next = await c.leader();
    assert.equal(next.id, others[1]);
    assert.equal(await c.drive(next.propose(cmd("x"))), 1);
  }));

Deno.test("driver: close is idempotent and fails pending requests", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    const p = leader.propose(cmd("never"));
    await Promise.all([leader.close(), leader.close()]);
    await assert.rejects(p, DriverClosedError);
    await assert.rejects(leader.propose(cmd("x")), DriverClosedError);
    const s = leader.status();
    assert.equal(s.id, leader.id);
  }));

Deno.test("driver: followers that lose the leader's connection elect a new one without ticks", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    await c.drive(leader.propose(cmd("a")));
    const dead = leader.id;
    await c.stop(dead);
    await pause(5); // what it sent before it went is delivered first, as over TCP before EOF
    c.peerDown(dead);
    // No tick is delivered from here on: only the peer-down hint can start an election.
    let next: RaftDriver | undefined;
    for (let i = 0; i < 200 && next === undefined; i++) {
      await pause(2);
      next = [...c.drivers.values()].find((d) => d.status().role === "leader");
    }
    assert.ok(next, "a new leader without an election timeout");
    assert.notEqual(next.id, dead);
    // The survivor with the lower id goes first.
    assert.equal(next.id, Math.min(...[1, 2, 3].filter((i) => i !== dead)));
    const r = next.propose(cmd("b"));
    for (let i = 0; i < 200; i++) await pause(1);
    assert.equal(await r, 2);
  }, { fastCampaignStepMs: 20 }));

Deno.test("driver: a follower that loses a live leader's connection does not depose it", () =>
  withCluster(async (c) => {
    await c.start([1, 2, 3]);
    const leader = await c.leader();
    const follower = c.follower();
    c.peerDownHandlers.get(follower.id)!(leader.id);
    for (let i = 0; i < 50; i++) await pause(1);
    await c.until("the leader is known again", () => follower.status().leader === leader.id, 20);
    assert.equal(leader.status().role, "leader");
    assert.equal(follower.status().term, leader.status().term);
  }, { fastCampaignStepMs: 1 }));
