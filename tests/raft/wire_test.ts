import assert from "node:assert/strict";
import { decode, encode } from "@msgpack/msgpack";
import {
  applyConfChange,
  type ConfState,
  decodeConfChange,
  encodeConfChange,
  logIndex,
  type Message,
  nodeId,
  RaftError,
  term,
} from "../../src/raft/mod.ts";
import { TestCluster } from "./harness.ts";

Deno.test("conf changes round-trip through their encoding", () => {
  const cc = { kind: "add_learner" as const, node: nodeId(7), context: new Uint8Array([1, 2]) };
  assert.deepEqual(decodeConfChange(encodeConfChange(cc)), cc);
  assert.deepEqual(decodeConfChange(encodeConfChange({ kind: "remove", node: nodeId(3) })), {
    kind: "remove",
    node: 3,
  });
  assert.throws(() => decodeConfChange(encode({ kind: "nope", node: 1 })), RaftError);
  assert.throws(() => decodeConfChange(new Uint8Array([0xc1])), RaftError);
});

Deno.test("applyConfChange: learners are added, promoted and removed one at a time", () => {
  let cs: ConfState = { voters: [nodeId(1)], learners: [] };
  cs = applyConfChange(cs, { kind: "add_learner", node: nodeId(2) });
  assert.deepEqual(cs, { voters: [1], learners: [2] });
  assert.equal(applyConfChange(cs, { kind: "add_learner", node: nodeId(2) }), cs);
  cs = applyConfChange(cs, { kind: "promote", node: nodeId(2) });
  assert.deepEqual(cs, { voters: [1, 2], learners: [] });
  cs = applyConfChange(cs, { kind: "remove", node: nodeId(1) });
  assert.deepEqual(cs, { voters: [2], learners: [] });
});

Deno.test("every message a cluster sends survives msgpack unchanged", () => {
  const c = new TestCluster([1, 2, 3], { snapshotChunkSize: 2 });
  c.elect(1);
  c.isolate(3);
  c.propose(1, "a");
  c.n(1).raw.compact(c.n(1).raft.log.applied, new Uint8Array([1, 2, 3, 4, 5]));
  c.heal();
  c.n(2).raw.readIndex(new Uint8Array([9]));
  c.flush();
  c.tick(3);
  c.n(2).raw.transferLeader(nodeId(2));
  c.flush();
  c.tick(1);
  const kinds = new Set<string>();
  for (const m of c.sent) {
    kinds.add(m.kind);
    assert.deepEqual(decode(encode(m)) as Message, m);
  }
  for (
    const k of ["append", "append_resp", "heartbeat", "snapshot", "read_index", "timeout_now"]
  ) assert.ok(kinds.has(k), k);
  const hb: Message = {
    kind: "heartbeat",
    from: nodeId(1),
    to: nodeId(2),
    term: term(1),
    commit: logIndex(0),
  };
  assert.deepEqual(decode(encode(hb)), hb);
});
