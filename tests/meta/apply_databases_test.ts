import assert from "node:assert/strict";
import { applyCommand, DAY_NS, emptyMetaData, HOUR_NS, type MetaData } from "../../src/meta/mod.ts";
import { fails, ok, run } from "./fixtures.ts";

const db0 = (): MetaData => run([{ kind: "createDatabase", name: "db0" }]);

Deno.test("CREATE DATABASE makes the default autogen policy: infinite, replication 1, 7d groups", () => {
  const r = ok(emptyMetaData(), { kind: "createDatabase", name: "db0" });
  assert.equal(r.result.kind, "database");
  assert.deepEqual(r.data.databases, [{
    name: "db0",
    defaultRetentionPolicy: "autogen",
    retentionPolicies: [{
      name: "autogen",
      duration: 0n,
      shardGroupDuration: 7n * DAY_NS,
      replicaN: 1,
      shardGroups: [],
    }],
    continuousQueries: [],
  }]);
});

Deno.test("CREATE DATABASE is idempotent and returns the same state", () => {
  const data = db0();
  const r = ok(data, { kind: "createDatabase", name: "db0" });
  assert.equal(r.data, data);
});

Deno.test("CREATE DATABASE validates the name with InfluxDB's messages", () => {
  const d = emptyMetaData();
  assert.equal(fails(d, { kind: "createDatabase", name: "" }), "database name required");
  for (const bad of [".", "..", "a/b", "a\\b", "tab\there", "nl\n"]) {
    assert.equal(fails(d, { kind: "createDatabase", name: bad }), "invalid name", bad);
  }
  assert.equal(fails(d, { kind: "createDatabase", name: "x".repeat(256) }), "name too long");
  ok(d, { kind: "createDatabase", name: "with space-and_ünïcode" });
});

Deno.test("CREATE DATABASE WITH a policy makes it the default", () => {
  const { data } = ok(emptyMetaData(), {
    kind: "createDatabase",
    name: "db",
    retentionPolicy: { name: "two_days", duration: 48n * HOUR_NS, replicaN: 3 },
  });
  const db = data.databases[0];
  assert.equal(db.defaultRetentionPolicy, "two_days");
  assert.deepEqual(db.retentionPolicies.map((r) => [r.name, r.shardGroupDuration, r.replicaN]), [
    ["two_days", DAY_NS, 3],
  ]);
});

Deno.test("CREATE DATABASE WITH: same spec again is fine, a different one conflicts", () => {
  const spec = { name: "rp", duration: 24n * HOUR_NS };
  const data = run([{ kind: "createDatabase", name: "db", retentionPolicy: spec }]);
  assert.equal(ok(data, { kind: "createDatabase", name: "db", retentionPolicy: spec }).data, data);
  const conflicts = [
    { name: "rp", duration: 25n * HOUR_NS },
    { name: "rp", duration: 24n * HOUR_NS, replicaN: 2 },
    { name: "other" },
  ];
  for (const s of conflicts) {
    assert.equal(
      fails(data, { kind: "createDatabase", name: "db", retentionPolicy: s }),
      "retention policy conflicts with an existing policy",
    );
  }
  // autogen exists on a plain database but is not what WITH asked for.
  assert.equal(
    fails(db0(), {
      kind: "createDatabase",
      name: "db0",
      retentionPolicy: { name: "autogen", duration: 48n * HOUR_NS },
    }),
    "retention policy conflicts with an existing policy",
  );
});

Deno.test("CREATE DATABASE WITH a too-short duration fails and creates nothing", () => {
  const d = emptyMetaData();
  const cmd = {
    kind: "createDatabase",
    name: "db",
    retentionPolicy: { duration: HOUR_NS - 1n },
  } as const;
  assert.equal(fails(d, cmd), "retention policy duration must be at least 1h0m0s");
  assert.equal(
    fails(d, {
      kind: "createDatabase",
      name: "db",
      retentionPolicy: { duration: 2n * HOUR_NS, shardGroupDuration: 3n * HOUR_NS },
    }),
    "retention policy duration must be greater than the shard duration",
  );
});

Deno.test("DROP DATABASE removes it and its privileges, and is idempotent", () => {
  const data = run([
    { kind: "createDatabase", name: "db0" },
    { kind: "createDatabase", name: "db1" },
    { kind: "createUser", name: "u", hash: "h", admin: false },
    { kind: "setPrivilege", user: "u", database: "db0", privilege: "READ" },
    { kind: "setPrivilege", user: "u", database: "db1", privilege: "WRITE" },
  ]);
  const after = ok(data, { kind: "dropDatabase", name: "db0" }).data;
  assert.deepEqual(after.databases.map((d) => d.name), ["db1"]);
  assert.deepEqual(after.users[0].privileges, { db1: "WRITE" });
  assert.equal(ok(after, { kind: "dropDatabase", name: "db0" }).data, after);
});

Deno.test("CREATE RETENTION POLICY: happy path, default flag and InfluxDB's errors", () => {
  const data = db0();
  const r = ok(data, {
    kind: "createRetentionPolicy",
    database: "db0",
    spec: { name: "rp", duration: 3n * DAY_NS, replicaN: 2 },
    makeDefault: true,
  });
  assert.equal(
    r.result.kind === "retentionPolicy" && r.result.retentionPolicy.shardGroupDuration,
    DAY_NS,
  );
  assert.equal(r.data.databases[0].defaultRetentionPolicy, "rp");

  const spec = { name: "rp", duration: 3n * DAY_NS, replicaN: 2 };
  const cmd = (s: typeof spec, makeDefault = false, database = "db0") =>
    ({ kind: "createRetentionPolicy", database, spec: s, makeDefault }) as const;
  assert.equal(fails(data, cmd(spec, false, "nodb")), "database not found: nodb");
  assert.equal(fails(data, cmd({ ...spec, name: "" })), "retention policy name required");
  assert.equal(
    fails(data, cmd({ ...spec, replicaN: 0 })),
    "replication factor must be greater than 0",
  );
  assert.equal(
    fails(data, cmd({ ...spec, duration: 30n * 60_000_000_000n })),
    "retention policy duration must be at least 1h0m0s",
  );
  const withRp = ok(data, cmd(spec)).data;
  assert.equal(ok(withRp, cmd(spec)).data, withRp, "identical policy is a no-op");
  assert.equal(fails(withRp, cmd({ ...spec, replicaN: 3 })), "retention policy already exists");
  assert.equal(
    fails(withRp, cmd(spec, true)),
    "retention policy conflicts with an existing policy",
  );
});

Deno.test("shard group duration defaults and normalisation follow InfluxDB", () => {
  const cases: Array<[bigint, bigint | undefined, bigint]> = [
    [0n, undefined, 7n * DAY_NS],
    [HOUR_NS, undefined, HOUR_NS],
    [47n * HOUR_NS, undefined, HOUR_NS],
    [2n * DAY_NS, undefined, DAY_NS],
    [179n * DAY_NS, undefined, DAY_NS],
    [180n * DAY_NS, undefined, 7n * DAY_NS],
    [30n * DAY_NS, 60_000_000_000n, HOUR_NS], // below 1h is raised to 1h
    [30n * DAY_NS, 2n * HOUR_NS, 2n * HOUR_NS],
  ];
  for (const [duration, sgd, want] of cases) {
    const r = ok(db0(), {
      kind: "createRetentionPolicy",
      database: "db0",
      spec: { name: "rp", duration, shardGroupDuration: sgd },
      makeDefault: false,
    });
    assert.equal(
      r.result.kind === "retentionPolicy" && r.result.retentionPolicy.shardGroupDuration,
      want,
    );
  }
});

Deno.test("ALTER RETENTION POLICY updates fields and enforces InfluxDB's checks", () => {
  const data = db0();
  const upd = (update: object, makeDefault = false, name = "autogen", database = "db0") =>
    applyCommand(data, { kind: "updateRetentionPolicy", database, name, update, makeDefault });
  const r = upd({ duration: 10n * DAY_NS, replicaN: 3, shardGroupDuration: DAY_NS });
  assert.equal(r.result.kind, "retentionPolicy");
  const rp = r.data.databases[0].retentionPolicies[0];
  assert.deepEqual([rp.duration, rp.replicaN, rp.shardGroupDuration], [10n * DAY_NS, 3, DAY_NS]);

  const msg = (x: ReturnType<typeof upd>) =>
    x.result.kind === "error" ? x.result.error.message : "ok";
  assert.equal(msg(upd({}, false, "autogen", "nodb")), "database not found: nodb");
  assert.equal(msg(upd({}, false, "nope")), "retention policy not found: nope");
  assert.equal(msg(upd({ duration: 1n })), "retention policy duration must be at least 1h0m0s");
  assert.equal(
    msg(upd({ duration: 2n * HOUR_NS })),
    "retention policy duration must be greater than the shard duration",
  );
  assert.equal(msg(upd({ replicaN: 0 })), "replication factor must be greater than 0");
  const two = run([{
    kind: "createRetentionPolicy",
    database: "db0",
    spec: { name: "other", duration: 2n * HOUR_NS },
    makeDefault: false,
  }], data);
  const r2 = applyCommand(two, {
    kind: "updateRetentionPolicy",
    database: "db0",
    name: "autogen",
    update: { name: "other" },
    makeDefault: false,
  });
  assert.equal(msg(r2), "retention policy name already exists");
  const r3 = applyCommand(two, {
    kind: "updateRetentionPolicy",
    database: "db0",
    name: "other",
    update: { shardGroupDuration: 3n * HOUR_NS },
    makeDefault: false,
  });
  assert.equal(msg(r3), "retention policy duration must be greater than the shard duration");
  const r4 = applyCommand(two, {
    kind: "updateRetentionPolicy",
    database: "db0",
    name: "other",
    update: {},
    makeDefault: true,
  });
  assert.equal(r4.data.databases[0].defaultRetentionPolicy, "other");
});

Deno.test("renaming the default retention policy keeps it the default", () => {
  const r = ok(db0(), {
    kind: "updateRetentionPolicy",
    database: "db0",
    name: "autogen",
    update: { name: "main" },
    makeDefault: false,
  });
  assert.equal(r.data.databases[0].defaultRetentionPolicy, "main");
});

Deno.test("DROP RETENTION POLICY is idempotent; SET DEFAULT checks both names", () => {
  const data = db0();
  const dropped = ok(data, { kind: "dropRetentionPolicy", database: "db0", name: "autogen" }).data;
  assert.deepEqual(dropped.databases[0].retentionPolicies, []);
  assert.equal(
    ok(dropped, { kind: "dropRetentionPolicy", database: "db0", name: "autogen" }).data,
    dropped,
  );
  assert.equal(ok(data, { kind: "dropRetentionPolicy", database: "nodb", name: "x" }).data, data);
  assert.equal(
    fails(data, { kind: "setDefaultRetentionPolicy", database: "nodb", name: "autogen" }),
    "database not found: nodb",
  );
  assert.equal(
    fails(data, { kind: "setDefaultRetentionPolicy", database: "db0", name: "x" }),
    "retention policy not found: x",
  );
});

Deno.test("continuous queries: create, idempotent re-create, conflict, drop, errors", () => {
  const data = db0();
  const q =
    "CREATE CONTINUOUS QUERY cq ON db0 BEGIN SELECT count(v) INTO c FROM m GROUP BY time(1m) END";
  const created =
    ok(data, { kind: "createContinuousQuery", database: "db0", name: "cq", query: q }).data;
  assert.deepEqual(created.databases[0].continuousQueries, [{ name: "cq", query: q }]);
  const again = ok(created, {
    kind: "createContinuousQuery",
    database: "db0",
    name: "cq",
    query: q.toLowerCase(),
  });
  assert.equal(again.data, created);
  assert.equal(
    fails(created, { kind: "createContinuousQuery", database: "db0", name: "cq", query: "other" }),
    "continuous query already exists",
  );
  assert.equal(
    fails(data, { kind: "createContinuousQuery", database: "nodb", name: "cq", query: q }),
    "database not found: nodb",
  );
  const dropped = ok(created, { kind: "dropContinuousQuery", database: "db0", name: "cq" }).data;
  assert.deepEqual(dropped.databases[0].continuousQueries, []);
  assert.equal(
    fails(dropped, { kind: "dropContinuousQuery", database: "db0", name: "cq" }),
    "continuous query not found",
  );
  assert.equal(
    fails(dropped, { kind: "dropContinuousQuery", database: "nodb", name: "cq" }),
    "database not found: nodb",
  );
});
