import assert from "node:assert/strict";
import { parseQuery } from "../../src/influxql/mod.ts";
import type { LocalMetaClient } from "../../src/meta/mod.ts";
import {
  type QueryMeta,
  type QueryUserAdmin,
  StatementExecutor,
  type StatementResult,
} from "../../src/query/mod.ts";
import { FakeMeta, FakeShards } from "./fakes.ts";

// The real meta client fits the declared interfaces (checked by the compiler).
export type MetaFits = LocalMetaClient extends QueryMeta ? true : never;
export type UsersFit = LocalMetaClient extends Omit<QueryUserAdmin, "hashPassword"> ? true
  : never;
const fits: [MetaFits, UsersFit] = [true, true];

Deno.test("user statements go through the injected user administration", async () => {
  assert.deepEqual(fits, [true, true]);
  const calls: string[] = [];
  const rec = (name: string) => (...args: unknown[]) => {
    calls.push(`${name} ${args.join(" ")}`);
    return Promise.resolve();
  };
  const users: QueryUserAdmin = {
    hashPassword: (p) => Promise.resolve(`h(${p})`),
    createUser: rec("createUser"),
    updateUser: rec("updateUser"),
    dropUser: rec("dropUser"),
    setPrivilege: rec("setPrivilege"),
    revokePrivilege: rec("revokePrivilege"),
    setAdminPrivilege: rec("setAdminPrivilege"),
  };
  const exec = new StatementExecutor({
    meta: new FakeMeta().addDatabase("db"),
    shards: new FakeShards(new Map()),
    users,
  });
  const out: StatementResult[] = [];
  const q = "CREATE USER bob WITH PASSWORD 'pw' WITH ALL PRIVILEGES; SET PASSWORD FOR bob = 'x';" +
    "GRANT READ ON db TO bob; REVOKE ALL PRIVILEGES ON db FROM bob; REVOKE ALL PRIVILEGES FROM bob;" +
    "DROP USER bob";
  for await (
    const r of exec.execute(parseQuery(q), { database: "", retentionPolicy: "", now: 0n })
  ) {
    out.push(r);
  }
  assert.deepEqual(out.map((r) => r.error), [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assert.deepEqual(calls, [
    "createUser bob h(pw) true",
    "updateUser bob h(x)",
    "setPrivilege bob db READ",
    "revokePrivilege bob db ALL",
    "setAdminPrivilege bob false",
    "dropUser bob",
  ]);
});
