import assert from "node:assert/strict";
import {
  type Entry,
  logIndex,
  MemoryLogStore,
  NO_NODE,
  RaftError,
  type Snapshot,
  term,
} from "../../src/raft/mod.ts";

const e = (index: number, t: number): Entry => ({
  term: term(t),
  index: logIndex(index),
  kind: "normal",
  data: new Uint8Array([index, t]),
});
const snap = (index: number, t: number): Snapshot => ({
  meta: { index: logIndex(index), term: term(t), confState: { voters: [], learners: [] } },
  data: new Uint8Array([index]),
});
const indexes = async (s: MemoryLogStore) => (await s.load()).entries.map((x) => [x.index, x.term]);
const isKind = (kind: string) => (err: unknown) => err instanceof RaftError && err.kind === kind;

Deno.test("MemoryLogStore: an empty store loads the zero state", async () => {
  const s = new MemoryLogStore();
  assert.deepEqual(await s.load(), {
    hardState: { term: 0, vote: NO_NODE, commit: 0 },
    snapshot: null,
    entries: [],
  });
});

Deno.test("MemoryLogStore: append truncates stored entries at and after the first new index", async () => {
  const s = new MemoryLogStore();
  await s.append({ entries: [e(1, 1), e(2, 1), e(3, 1)] });
  await s.append({
    entries: [e(2, 2)],
    hardState: { term: term(2), vote: NO_NODE, commit: logIndex(1) },
  });
  assert.deepEqual(await indexes(s), [[1, 1], [2, 2]]);
  assert.equal((await s.load()).hardState.term, 2);
});

Deno.test("MemoryLogStore: a gap or a non-contiguous batch fails and changes nothing", async () => {
  const s = new MemoryLogStore();
  await s.append({ entries: [e(1, 1)] });
  await assert.rejects(s.append({ entries: [e(3, 1)] }), isKind("log_gap"));
  await assert.rejects(s.append({ entries: [e(2, 1), e(4, 1)] }), isKind("log_gap"));
  await assert.rejects(
    s.append({
      entries: [e(3, 1)],
      hardState: { term: term(9), vote: NO_NODE, commit: logIndex(0) },
    }),
    isKind("log_gap"),
  );
  assert.deepEqual(await indexes(s), [[1, 1]]);
  assert.equal((await s.load()).hardState.term, 0);
});

Deno.test("MemoryLogStore: a snapshot matching a stored entry keeps the log; compact drops the prefix", async () => {
  const s = new MemoryLogStore();
  await s.append({ entries: [e(1, 1), e(2, 1), e(3, 2)] });
  await s.append({ entries: [], snapshot: snap(2, 1) });
  assert.deepEqual(await indexes(s), [[1, 1], [2, 1], [3, 2]]);
  await s.compact(logIndex(5)); // never past the snapshot
  assert.deepEqual(await indexes(s), [[3, 2]]);
  await s.append({ entries: [e(4, 2)] });
  await assert.rejects(s.append({ entries: [e(2, 3)] }), isKind("log_gap"));
});

Deno.test("MemoryLogStore: a snapshot that does not match replaces the whole log", async () => {
  const s = new MemoryLogStore();
  await s.append({ entries: [e(1, 1), e(2, 1)] });
  await s.append({ entries: [e(6, 3)], snapshot: snap(5, 3) });
  assert.deepEqual(await indexes(s), [[6, 3]]);
  assert.equal((await s.load()).snapshot?.meta.index, 5);
  await assert.rejects(
    s.append({ entries: [], snapshot: snap(4, 3) }),
    isKind("snapshot_out_of_date"),
  );
});

Deno.test("MemoryLogStore: compact without a snapshot is a no-op; close is idempotent", async () => {
  const s = new MemoryLogStore();
  await s.append({ entries: [e(1, 1)] });
  await s.compact(logIndex(1));
  assert.deepEqual(await indexes(s), [[1, 1]]);
  await s.close();
  await s.close();
  await assert.rejects(s.load(), isKind("store_closed"));
});
