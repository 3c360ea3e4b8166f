import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  type ApplyResult,
  encodeCommand,
  encodeMetaData,
  type MetaCommand,
  type MetaData,
  type MetaLogEntry,
  MetaStateMachine,
  SnapshotError,
} from "../../src/meta/mod.ts";
import { SAMPLE_COMMANDS } from "./fixtures.ts";

const normal = (index: number, cmd: MetaCommand): MetaLogEntry => ({
  index,
  kind: "normal",
  data: encodeCommand(cmd),
});

function feed(sm: MetaStateMachine, cmds: readonly MetaCommand[], from = 1): ApplyResult[] {
  return cmds.map((c, i) => sm.apply(normal(from + i, c)));
}

Deno.test("apply decodes commands, returns results and tracks the index", () => {
  const sm = new MetaStateMachine();
  const [r] = feed(sm, [{ kind: "createDatabase", name: "db" }]);
  assert.equal(r.kind, "database");
  assert.equal(sm.appliedIndex(), 1);
  assert.deepEqual(sm.data().databases.map((d) => d.name), ["db"]);
  const [e] = feed(sm, [{ kind: "dropUser", name: "x" }], 2);
  assert.deepEqual(e, {
    kind: "error",
    error: { code: "userNotFound", message: "user not found" },
  });
  assert.equal(sm.appliedIndex(), 2, "a rejected command still advances the index");
});

Deno.test("empty, conf_change and empty-data entries only bump the index", () => {
  const sm = new MetaStateMachine();
  const before = sm.data();
  sm.apply({ index: 1, kind: "empty", data: new Uint8Array() });
  sm.apply({ index: 2, kind: "conf_change", data: new Uint8Array([1, 2, 3]) });
  sm.apply({ index: 3, kind: "normal", data: new Uint8Array() });
  assert.equal(sm.appliedIndex(), 3);
  assert.deepEqual({ ...sm.data(), index: 0 }, before);
});

Deno.test("a normal entry that does not decode is rejected as badCommand", () => {
  const sm = new MetaStateMachine();
  const r = sm.apply({ index: 1, kind: "normal", data: new Uint8Array([0xc1]) });
  assert.equal(r.kind === "error" && r.error.code, "badCommand");
  assert.equal(sm.appliedIndex(), 1);
});

Deno.test("entries at or below the applied index are ignored", () => {
  const sm = new MetaStateMachine();
  feed(sm, [{ kind: "createDatabase", name: "a" }, { kind: "createDatabase", name: "b" }]);
  const data = sm.data();
  sm.apply(normal(2, { kind: "createDatabase", name: "c" }));
  assert.equal(sm.data(), data);
});

Deno.test("snapshot then restore gives an equal state and byte-identical snapshot", () => {
  const sm = new MetaStateMachine();
  feed(sm, SAMPLE_COMMANDS);
  const snap = sm.snapshot();
  const other = new MetaStateMachine();
  other.restore(snap);
  assert.deepEqual(other.data(), sm.data());
  assert.deepEqual(other.snapshot(), snap);
  assert.equal(other.appliedIndex(), SAMPLE_COMMANDS.length);
  // Both continue identically.
  const next: MetaCommand = { kind: "createDatabase", name: "later" };
  sm.apply(normal(SAMPLE_COMMANDS.length + 1, next));
  other.apply(normal(SAMPLE_COMMANDS.length + 1, next));
  assert.deepEqual(other.snapshot(), sm.snapshot());
});

Deno.test("two replicas fed the same entries have byte-identical snapshots", () => {
  const a = new MetaStateMachine();
  const b = new MetaStateMachine();
  feed(a, SAMPLE_COMMANDS);
  feed(b, SAMPLE_COMMANDS);
  assert.deepEqual(a.snapshot(), b.snapshot());
});

Deno.test("restore rejects garbage and other format versions with SnapshotError", () => {
  const sm = new MetaStateMachine();
  assert.throws(() => sm.restore(new Uint8Array([0xc1])), SnapshotError);
  const v2 = encode({ version: 2, data: sm.data() }, { useBigInt64: true });
  assert.throws(() => sm.restore(v2), /meta snapshot format 2 is not supported/);
  const wrongField = encode({ version: 1, data: { ...sm.data(), users: 5 } }, {
    useBigInt64: true,
  });
  assert.throws(() => sm.restore(wrongField), /snapshot\.data\.users: expected array/);
  assert.ok(encodeMetaData(sm.data()).length > 0);
  const other = new TextEncoder().encode("x");
  assert.throws(() => sm.restore(other), SnapshotError);
});

Deno.test("waitForIndex resolves on apply, at once if already reached", async () => {
  const sm = new MetaStateMachine();
  feed(sm, [{ kind: "createDatabase", name: "a" }]);
  assert.equal((await sm.waitForIndex(1)).index, 1);
  const seen: number[] = [];
  const w3 = sm.waitForIndex(3).then((d) => seen.push(d.index));
  const w2 = sm.waitForIndex(2).then((d) => seen.push(d.index));
  feed(sm, [{ kind: "createDatabase", name: "b" }], 2);
  await w2;
  assert.deepEqual(seen, [2]);
  feed(sm, [{ kind: "createDatabase", name: "c" }], 3);
  await w3;
  assert.deepEqual(seen, [2, 3]);
});

Deno.test("waitForIndex rejects when its signal aborts, and resolves via restore", async () => {
  const sm = new MetaStateMachine();
  const ac = new AbortController();
  const p = sm.waitForIndex(5, ac.signal);
  ac.abort(new Error("client went away"));
  await assert.rejects(p, /client went away/);
  const aborted = new AbortController();
  aborted.abort(new Error("already"));
  await assert.rejects(sm.waitForIndex(5, aborted.signal), /already/);

  const src = new MetaStateMachine();
  feed(src, SAMPLE_COMMANDS);
  const w = sm.waitForIndex(5);
  sm.restore(src.snapshot());
  assert.equal((await w).index, SAMPLE_COMMANDS.length);
});

Deno.test("subscribe sees every new state until unsubscribed", () => {
  const sm = new MetaStateMachine();
  const seen: MetaData[] = [];
  const off = sm.subscribe((d) => seen.push(d));
  feed(sm, [{ kind: "createDatabase", name: "a" }, { kind: "createDatabase", name: "b" }]);
  off();
  feed(sm, [{ kind: "createDatabase", name: "c" }], 3);
  assert.deepEqual(seen.map((d) => d.index), [1, 2]);
});
