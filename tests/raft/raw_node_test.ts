import assert from "node:assert/strict";
import {
  bootstrapState,
  type Entry,
  logIndex,
  MemoryLogStore,
  nodeId,
  RaftError,
  RawNode,
  term,
} from "../../src/raft/mod.ts";

const ids = [nodeId(1), nodeId(2), nodeId(3)];

function follower(): RawNode {
  const node = new RawNode({ id: nodeId(2), random: () => 0 }, bootstrapState(ids));
  const rd = node.ready();
  assert.equal(rd.committedEntries.length, 6, "the bootstrap membership is applied first");
  node.advance();
  return node;
}

const entry = (index: number, t: number, text: string): Entry => ({
  term: term(t),
  index: logIndex(index),
  kind: "normal",
  data: new TextEncoder().encode(text),
});

Deno.test("bootstrapState: every voter is added as a learner and promoted, committed at term 1", () => {
  const s = bootstrapState(ids);
  assert.equal(s.entries.length, 6);
  assert.deepEqual(s.hardState, { term: 1, vote: 0, commit: 6 });
  const node = new RawNode({ id: nodeId(1), random: () => 0 }, s);
  node.ready();
  node.advance();
  assert.deepEqual(node.status().conf, { voters: [1, 2, 3], learners: [] });
});

Deno.test("RawNode: ready() twice without advance() is refused", () => {
  const node = new RawNode({ id: nodeId(1), random: () => 0 }, bootstrapState(ids));
  node.ready();
  assert.throws(() => node.ready(), (e) => e instanceof RaftError && e.kind === "invalid_state");
  node.advance();
  assert.equal(node.hasReady(), false);
});

Deno.test("RawNode: a truncation while a Ready is being persisted is persisted by the next Ready", () => {
  const node = follower();
  const store = new MemoryLogStore();
  store.appendSync({ entries: bootstrapState(ids).entries });
  const append = (prevIndex: number, prevTerm: number, entries: Entry[], t: number) =>
    node.step({
      kind: "append",
      from: nodeId(1),
      to: nodeId(2),
      term: term(t),
      prevIndex: logIndex(prevIndex),
      prevTerm: term(prevTerm),
      entries,
      commit: logIndex(6),
    });
  append(6, 1, [entry(7, 2, "a"), entry(8, 2, "b")], 2);
  const rd1 = node.ready();
  assert.deepEqual(rd1.entries.map((e) => e.index), [7, 8]);
  // While the host persists rd1, a new leader replaces index 8.
  append(7, 2, [entry(8, 3, "c")], 3);
  store.appendSync({ entries: rd1.entries, hardState: rd1.hardState });
  node.advance();
  const rd2 = node.ready();
  assert.deepEqual(rd2.entries.map((e) => [e.index, e.term]), [[8, 3]]);
  store.appendSync({ entries: rd2.entries, hardState: rd2.hardState });
  node.advance();
  assert.deepEqual(store.loadSync().entries.slice(6).map((e) => [e.index, e.term]), [[7, 2], [
    8,
    3,
  ]]);
  // Acknowledgements only leave in the Ready that persisted what they promise.
  assert.deepEqual(rd2.messages.map((m) => m.kind === "append_resp" && m.index), [8]);
});

Deno.test("RawNode: status reports progress on the leader", () => {
  const node = new RawNode({ id: nodeId(1), random: () => 0 }, bootstrapState([nodeId(1)]));
  node.ready();
  node.advance();
  node.campaign();
  node.ready();
  node.advance();
  const st = node.status();
  assert.equal(st.role, "leader");
  assert.equal(st.commit, 3);
  assert.deepEqual([...st.progress.keys()], [1]);
});
