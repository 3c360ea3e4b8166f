// Compile-time check that MetaStateMachine fits the raft library's StateMachine contract
// (src/meta does not import src/raft; the fit is structural).
import assert from "node:assert/strict";
import type { StateMachine } from "../../src/raft/storage.ts";
import type { Entry } from "../../src/raft/types.ts";
import { logIndex, term } from "../../src/raft/types.ts";
import { encodeCommand, MetaStateMachine } from "../../src/meta/mod.ts";

Deno.test("MetaStateMachine is a raft StateMachine and applies raft entries", () => {
  const sm: StateMachine = new MetaStateMachine();
  const entry: Entry = {
    term: term(1),
    index: logIndex(1),
    kind: "normal",
    data: encodeCommand({ kind: "createDatabase", name: "db" }),
  };
  assert.equal((sm.apply(entry) as { kind: string }).kind, "database");
});
