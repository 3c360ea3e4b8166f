import assert from "node:assert/strict";
import { emptyMetaData, type Privilege } from "../../src/meta/mod.ts";
import { fails, ok, run } from "./fixtures.ts";

const withBob = () => run([{ kind: "createUser", name: "bob", hash: "h1", admin: false }]);

Deno.test("CREATE USER: stored with its hash; identical repeat is a no-op; else exists", () => {
  const data = withBob();
  assert.deepEqual(data.users, [{ name: "bob", hash: "h1", admin: false, privileges: {} }]);
  assert.equal(ok(data, { kind: "createUser", name: "bob", hash: "h1", admin: false }).data, data);
  assert.equal(
    fails(data, { kind: "createUser", name: "bob", hash: "h2", admin: false }),
    "user already exists",
  );
  assert.equal(
    fails(data, { kind: "createUser", name: "bob", hash: "h1", admin: true }),
    "user already exists",
  );
  assert.equal(
    fails(emptyMetaData(), { kind: "createUser", name: "", hash: "h", admin: false }),
    "username required",
  );
});

Deno.test("DROP USER, SET PASSWORD and admin changes; unknown users fail with user not found", () => {
  const data = withBob();
  assert.deepEqual(ok(data, { kind: "dropUser", name: "bob" }).data.users, []);
  assert.equal(ok(data, { kind: "setPassword", name: "bob", hash: "h9" }).data.users[0].hash, "h9");
  assert.equal(ok(data, { kind: "setAdmin", name: "bob", admin: true }).data.users[0].admin, true);
  for (
    const cmd of [
      { kind: "dropUser", name: "amy" },
      { kind: "setPassword", name: "amy", hash: "x" },
      { kind: "setAdmin", name: "amy", admin: true },
      { kind: "setPrivilege", user: "amy", database: "db", privilege: "READ" },
      { kind: "revokePrivilege", user: "amy", database: "db", privilege: "READ" },
    ] as const
  ) {
    assert.equal(fails(data, cmd), "user not found", cmd.kind);
  }
});

Deno.test("GRANT sets the privilege exactly; REVOKE clears bits like InfluxDB", () => {
  const grant = (p: Privilege) =>
    ({ kind: "setPrivilege", user: "bob", database: "db", privilege: p }) as const;
  const revoke = (p: Privilege) =>
    ({ kind: "revokePrivilege", user: "bob", database: "db", privilege: p }) as const;
  const cases: Array<[Privilege, Privilege, Privilege]> = [
    ["ALL", "READ", "WRITE"],
    ["ALL", "WRITE", "READ"],
    ["ALL", "ALL", "NONE"],
    ["READ", "READ", "NONE"],
    ["READ", "WRITE", "READ"],
    ["WRITE", "ALL", "NONE"],
  ];
  for (const [granted, revoked, left] of cases) {
    const data = run([grant(granted), revoke(revoked)], withBob());
    assert.deepEqual(data.users[0].privileges, { db: left }, `${granted} - ${revoked}`);
  }
  const never = run([revoke("READ")], withBob());
  assert.deepEqual(never.users[0].privileges, { db: "NONE" });
});
