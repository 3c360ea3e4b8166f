import assert from "node:assert/strict";
import { parseQuery } from "../../src/influxql/mod.ts";
import { StatementExecutor, type StatementResult } from "../../src/query/mod.ts";
import { FakeMeta, FakeShard, FakeShards } from "./fakes.ts";

const H = 3_600_000_000_000n;

function fixture() {
  const shard = new FakeShard()
    .add("cpu", { host: "a", region: "west" }, { v: 1, n: 2n }, 0n)
    .add("cpu", { host: "b", region: "east" }, { v: 2, s: "x" }, 0n)
    .add("disk", { path: "/" }, { used: true }, 0n);
  const meta = new FakeMeta().addDatabase("db", [
    { id: 7, start: 0n, end: 168n * H, shards: [{ id: 1, owners: [1, 2] }] },
  ]);
  meta.userList = [{ name: "bob", admin: false, privileges: { db: "READ", other: "ALL" } }];
  const shards = new FakeShards(new Map([[1, shard]]));
  const exec = new StatementExecutor({ meta, shards });
  const run = async (q: string, readOnly = false): Promise<StatementResult[]> => {
    const out: StatementResult[] = [];
    for await (
      const r of exec.execute(parseQuery(q), {
        database: "db",
        retentionPolicy: "",
        now: 0n,
        readOnly,
      })
    ) out.push(r);
    return out;
  };
  const one = async (q: string) => (await run(q))[0];
  return { meta, shard, run, one };
}

Deno.test("SHOW DATABASES and MEASUREMENTS", async () => {
  const f = fixture();
  assert.deepEqual((await f.one("SHOW DATABASES")).series, [
    { name: "databases", columns: ["name"], values: [["db"]] },
  ]);
  assert.deepEqual((await f.one("SHOW MEASUREMENTS")).series, [
    { name: "measurements", columns: ["name"], values: [["cpu"], ["disk"]] },
  ]);
  assert.deepEqual(
    (await f.one("SHOW MEASUREMENTS WITH MEASUREMENT =~ /c.*/")).series?.[0].values,
    [["cpu"]],
  );
  assert.deepEqual(
    (await f.one("SHOW MEASUREMENTS WHERE path = '/'")).series?.[0].values,
    [["disk"]],
  );
  assert.equal((await f.one("SHOW MEASUREMENTS ON nope")).error, "database not found: nope");
});

Deno.test("SHOW SERIES, TAG KEYS, TAG VALUES and FIELD KEYS", async () => {
  const f = fixture();
  assert.deepEqual((await f.one("SHOW SERIES FROM cpu WHERE host = 'a'")).series, [
    { columns: ["key"], values: [["cpu,host=a,region=west"]] },
  ]);
  assert.deepEqual((await f.one("SHOW TAG KEYS")).series, [
    { name: "cpu", columns: ["tagKey"], values: [["host"], ["region"]] },
    { name: "disk", columns: ["tagKey"], values: [["path"]] },
  ]);
  assert.deepEqual((await f.one("SHOW TAG VALUES FROM cpu WITH KEY IN (host, region)")).series, [
    {
      name: "cpu",
      columns: ["key", "value"],
      values: [["host", "a"], ["host", "b"], ["region", "east"], ["region", "west"]],
    },
  ]);
  assert.deepEqual((await f.one("SHOW FIELD KEYS")).series, [
    {
      name: "cpu",
      columns: ["fieldKey", "fieldType"],
      values: [["n", "integer"], ["s", "string"], ["v", "float"]],
    },
    { name: "disk", columns: ["fieldKey", "fieldType"], values: [["used", "boolean"]] },
  ]);
});

Deno.test("SHOW RETENTION POLICIES, SHARDS, SHARD GROUPS, USERS, GRANTS", async () => {
  const f = fixture();
  assert.deepEqual((await f.one("SHOW RETENTION POLICIES")).series, [{
    columns: ["name", "duration", "shardGroupDuration", "replicaN", "default"],
    values: [["autogen", "0s", "168h0m0s", 1n, true]],
  }]);
  assert.deepEqual((await f.one("SHOW SHARDS")).series?.[0].values, [[
    1n,
    "db",
    "autogen",
    7n,
    "1970-01-01T00:00:00Z",
    "1970-01-08T00:00:00Z",
    "1970-01-08T00:00:00Z",
    "1,2",
  ]]);
  assert.deepEqual((await f.one("SHOW SHARD GROUPS")).series?.[0].name, "shard groups");
  assert.deepEqual((await f.one("SHOW USERS")).series, [
    { columns: ["user", "admin"], values: [["bob", false]] },
  ]);
  assert.deepEqual((await f.one("SHOW GRANTS FOR bob")).series?.[0].values, [
    ["db", "READ"],
    ["other", "ALL PRIVILEGES"],
  ]);
  assert.equal((await f.one("SHOW GRANTS FOR nobody")).error, "user not found");
});

Deno.test("DDL goes through the meta client", async () => {
  const f = fixture();
  await f.run(
    "CREATE DATABASE d1; CREATE DATABASE d2 WITH DURATION 1d REPLICATION 1 NAME one; " +
      "CREATE RETENTION POLICY rp ON db DURATION 2h REPLICATION 1 DEFAULT; " +
      "ALTER RETENTION POLICY rp ON db DURATION 3h; DROP RETENTION POLICY rp ON db; DROP DATABASE d1",
  );
  assert.deepEqual(f.meta.calls, [
    "createDatabase d1",
    'createDatabaseWithRetentionPolicy d2 {"name":"one","duration":"86400000000000n","replicaN":1}',
    'createRetentionPolicy db {"name":"rp","duration":"7200000000000n","replicaN":1} true',
    'updateRetentionPolicy db rp {"duration":"10800000000000n"} false',
    "dropRetentionPolicy db rp",
    "dropDatabase d1",
  ]);
});

Deno.test("DROP SERIES and DELETE reach every shard", async () => {
  const f = fixture();
  await f.run("DROP SERIES FROM cpu WHERE host = 'a'");
  assert.deepEqual(f.shard.series("cpu").map((s) => s.key), ["cpu,host=b,region=east"]);
  await f.run("DELETE FROM cpu WHERE time < 1s");
  assert.deepEqual((await f.one("SELECT * FROM cpu")).series, undefined);
  const [bad] = await f.run("DROP SERIES FROM cpu WHERE time < 1s");
  assert.equal(bad.error, "DROP SERIES doesn't support time in WHERE clause");
});

Deno.test("continuous queries and cardinality", async () => {
  const f = fixture();
  const [c] = await f.run(
    "CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(v) INTO m FROM cpu GROUP BY time(1h) END",
  );
  assert.equal(c.error, undefined);
  assert.match(f.meta.calls[0], /^createContinuousQuery db cq CREATE CONTINUOUS QUERY cq ON db /);
  assert.deepEqual((await f.one("SHOW MEASUREMENT EXACT CARDINALITY")).series, [
    { columns: ["count"], values: [[2n]] },
  ]);
  assert.deepEqual((await f.one("SHOW SERIES EXACT CARDINALITY")).series, [
    { name: "cpu", columns: ["count"], values: [[2n]] },
    { name: "disk", columns: ["count"], values: [[1n]] },
  ]);
  assert.deepEqual((await f.one("SHOW TAG VALUES CARDINALITY WITH KEY = host")).series, [
    { name: "cpu", columns: ["count"], values: [[2n]] },
  ]);
});
