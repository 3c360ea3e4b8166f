import assert from "node:assert/strict";
import {
  applyCommand,
  database,
  decodeMetaData,
  emptyMetaData,
  encodeMetaData,
  type MetaCommand,
  type MetaData,
  user,
} from "../../src/meta/mod.ts";
import { deepFreeze, run, SAMPLE_COMMANDS } from "./fixtures.ts";

/** Every prefix state of the sample script, each deep-frozen. */
function frozenStates(): MetaData[] {
  const states: MetaData[] = [deepFreeze(emptyMetaData())];
  for (const cmd of SAMPLE_COMMANDS) {
    states.push(deepFreeze(applyCommand(states[states.length - 1], cmd).data));
  }
  return states;
}

Deno.test("the sample script applies cleanly from an empty state", () => {
  let data = emptyMetaData();
  for (const cmd of SAMPLE_COMMANDS) {
    const r = applyCommand(data, cmd);
    assert.notEqual(r.result.kind, "error", cmd.kind);
    data = r.data;
  }
});

Deno.test("apply never mutates its input: every command on every frozen state", () => {
  // Frozen objects throw on write in strict-mode modules, so any mutation fails the test;
  // the byte comparison also catches changes made by replacing nested values.
  const states = frozenStates();
  for (const state of states) {
    const before = encodeMetaData(state);
    for (const cmd of SAMPLE_COMMANDS) applyCommand(state, cmd);
    assert.deepEqual(encodeMetaData(state), before);
  }
});

Deno.test("same commands give byte-identical snapshots", () => {
  const runAll = (cmds: readonly MetaCommand[]) =>
    cmds.reduce((d, c) => applyCommand(d, c).data, emptyMetaData());
  const a = encodeMetaData(runAll(SAMPLE_COMMANDS));
  const b = encodeMetaData(runAll(SAMPLE_COMMANDS.map((c) => structuredClone(c))));
  assert.deepEqual(a, b);
  // ... and a state restored from a snapshot continues identically.
  const half = Math.floor(SAMPLE_COMMANDS.length / 2);
  const restored = decodeMetaData(encodeMetaData(runAll(SAMPLE_COMMANDS.slice(0, half))));
  const continued = SAMPLE_COMMANDS.slice(half).reduce((d, c) => applyCommand(d, c).data, restored);
  assert.deepEqual(encodeMetaData(continued), a);
});

Deno.test("unchanged parts of the state are shared, not copied", () => {
  const states = frozenStates();
  const last = states[states.length - 1];
  const r = applyCommand(last, { kind: "createUser", name: "zed", hash: "h", admin: false });
  assert.equal(r.data.databases, last.databases);
  assert.equal(r.data.dataNodes, last.dataNodes);
});

Deno.test("a non-MetaError thrown inside apply is not swallowed", () => {
  const bad = { kind: "nope" } as unknown as MetaCommand;
  assert.throws(() => applyCommand(emptyMetaData(), bad), /unexpected meta command/);
});

Deno.test("sibling states derived from one state never see each other's databases or users", () => {
  const base = run([{ kind: "createDatabase", name: "base" }]);
  const a = run([{ kind: "createDatabase", name: "a" }, {
    kind: "createUser",
    name: "ua",
    hash: "h",
    admin: false,
  }], base);
  const b = run([{ kind: "createDatabase", name: "b" }, {
    kind: "createUser",
    name: "ub",
    hash: "h",
    admin: false,
  }], base);
  assert.equal(database(a, "a")?.name, "a");
  assert.equal(database(a, "b"), undefined);
  assert.equal(database(b, "b")?.name, "b");
  assert.equal(database(b, "a"), undefined);
  assert.equal(database(base, "a"), undefined);
  assert.equal(user(a, "ub"), undefined);
  assert.equal(user(b, "ub")?.name, "ub");
  // Dropping and re-creating keeps creation order, as SHOW DATABASES lists it.
  const again = run([
    { kind: "dropDatabase", name: "base" },
    { kind: "createDatabase", name: "base" },
  ], a);
  assert.deepEqual(again.databases.map((d) => d.name), ["a", "base"]);
  assert.equal(database(again, "base")?.name, "base");
});
