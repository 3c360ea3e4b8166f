/**
 * The compat corpus: every query sent to both servers, each tagged with the feature of issue 6
 * items 1–2 (and the `/query` parameters of item 4) it covers. Reads first, then mutations in
 * order on a scratch copy of the data.
 */
import { type CompatQuery, group, SCRATCH_DB, SPAN } from "./corpus_types.ts";
import { SELECT_QUERIES } from "./corpus_select.ts";
import { EXTRA_QUERIES } from "./corpus_extra.ts";
import { CLAUSE_QUERIES } from "./corpus_clauses.ts";

export { COMPAT_DB, type CompatQuery, SCRATCH_DB } from "./corpus_types.ts";

const SHOW_QUERIES: readonly CompatQuery[] = [
  ...group("show databases", { db: null })("SHOW DATABASES"),
  ...group("show measurements")(
    "SHOW MEASUREMENTS",
    "SHOW MEASUREMENTS WITH MEASUREMENT = cpu",
    "SHOW MEASUREMENTS WITH MEASUREMENT =~ /h2o.*/",
    "SHOW MEASUREMENTS WITH MEASUREMENT =~ /nomatch/",
    "SHOW MEASUREMENTS WHERE host = 'host_0'",
    "SHOW MEASUREMENTS WHERE region =~ /us/",
    "SHOW MEASUREMENTS LIMIT 2",
    "SHOW MEASUREMENTS LIMIT 2 OFFSET 3",
    ["SHOW MEASUREMENTS ON compat", { db: null }],
    "SHOW MEASUREMENTS WITH MEASUREMENT =~ /m/ WHERE host = 'host_1'",
  ),
  ...group("show series")(
    "SHOW SERIES",
    "SHOW SERIES FROM cpu",
    "SHOW SERIES WHERE host = 'host_1'",
    "SHOW SERIES FROM cpu WHERE region = 'us-east'",
    "SHOW SERIES FROM cpu WHERE region = ''",
    "SHOW SERIES LIMIT 3 OFFSET 2",
    "SHOW SERIES FROM /h2o.*/",
    ["SHOW SERIES ON compat FROM mem", { db: null }],
    `SHOW SERIES FROM "weird meas"`,
  ),
  ...group("show tag keys")(
    "SHOW TAG KEYS",
    "SHOW TAG KEYS FROM cpu",
    "SHOW TAG KEYS FROM events",
    "SHOW TAG KEYS LIMIT 1",
    "SHOW TAG KEYS FROM /h2o.*/",
    "SHOW TAG KEYS WHERE host = 'host_0'",
    `SHOW TAG KEYS FROM "weird meas"`,
  ),
  ...group("show tag values")(
    "SHOW TAG VALUES WITH KEY = host",
    "SHOW TAG VALUES FROM cpu WITH KEY = region",
    "SHOW TAG VALUES WITH KEY IN (host, region)",
    "SHOW TAG VALUES FROM cpu WITH KEY =~ /^(host|cpu)$/",
    "SHOW TAG VALUES FROM cpu WITH KEY = host WHERE region = 'us-east'",
    "SHOW TAG VALUES WITH KEY != host",
    "SHOW TAG VALUES WITH KEY !~ /o/",
    "SHOW TAG VALUES FROM events WITH KEY = type LIMIT 2",
    "SHOW TAG VALUES FROM events WITH KEY = type LIMIT 1 OFFSET 1",
    "SHOW TAG VALUES FROM cpu WITH KEY = nosuchkey",
    `SHOW TAG VALUES FROM "weird meas" WITH KEY = "tag key"`,
  ),
  ...group("show field keys")(
    "SHOW FIELD KEYS",
    "SHOW FIELD KEYS FROM cpu",
    "SHOW FIELD KEYS FROM events",
    `SHOW FIELD KEYS FROM "weird meas"`,
    "SHOW FIELD KEYS FROM /h2o.*/",
  ),
  ...group("show retention policies")(
    "SHOW RETENTION POLICIES",
    ["SHOW RETENTION POLICIES ON compat", { db: null }],
    ["SHOW RETENTION POLICIES ON nosuchdb", { db: null, expectError: true }],
    ["SHOW RETENTION POLICIES", { db: null, expectError: true }],
  ),
  ...group("show shards", { db: null, compare: "shape" })("SHOW SHARDS", "SHOW SHARD GROUPS"),
  ...group("show servers", { db: null, expectError: true })("SHOW SERVERS"),
  ...group("show users and grants", { db: null })(
    "SHOW USERS",
    ["SHOW GRANTS FOR nobody", { expectError: true }],
  ),
  ...group("show continuous queries", { db: null })("SHOW CONTINUOUS QUERIES"),
];

const ERROR_QUERIES: readonly CompatQuery[] = [
  ...group("errors: parse", { expectError: true })(
    "SELEC * FROM cpu",
    "SELECT FROM cpu",
    "SELECT * FROM",
    "SELECT * FROM cpu WHERE",
    "SELECT * FROM cpu WHERE host = ",
    "SELECT * FROM cpu LIMIT -1",
    "SELECT * FROM cpu LIMIT x",
    "SELECT mean(usage_user FROM cpu",
    "SELECT * FROM cpu GROUP BY time(1x)",
    "SELECT * FROM cpu WHERE host = 'host_0",
    "SELECT * FROM /unterminated",
    "SHOW NOTHING",
    "SHOW TAG VALUES FROM cpu",
    "SELECT * FROM cpu fill(none)",
    "SELECT * FROM cpu ORDER BY host",
    "SELECT * FROM cpu; SELEC 1",
    "",
    "DROP",
    "SELECT * FROM cpu tz('Not/AZone')",
    "SELECT usage_user FROM cpu WHERE time > '2023-13-45T00:00:00Z'",
    "SELECT duration FROM events",
  ),
  ...group("errors: semantic", { expectError: true })(
    "SELECT usage_user FROM cpu GROUP BY time(1h)",
    `SELECT mean(usage_user), usage_system FROM cpu WHERE ${SPAN}`,
    "SELECT mean(message) FROM events",
    "SELECT sum(ok) FROM events",
    "SELECT nosuchfunc(usage_user) FROM cpu",
    "SELECT percentile(usage_user) FROM cpu",
    "SELECT percentile(usage_user, 'x') FROM cpu",
    "SELECT top(usage_user) FROM cpu",
    "SELECT top(usage_user, 0) FROM cpu",
    "SELECT derivative(usage_user, -1s) FROM cpu",
    "SELECT moving_average(usage_user) FROM cpu",
    "SELECT moving_average(usage_user, 0) FROM cpu",
    "SELECT sample(usage_user, 0) FROM cpu",
    [`SELECT mean(usage_user) FROM cpu WHERE ${SPAN} GROUP BY time(0s)`, { expectError: false }],
    "SELECT derivative(mean(usage_user)) FROM cpu",
    "SELECT count(*) FROM cpu GROUP BY time(1h), time(2h)",
    ["SELECT mean(host) FROM cpu", { expectError: false }],
    ["SELECT usage_user FROM cpu WHERE time > now() - 1h OR host = 'host_0'", {
      expectError: false,
    }],
    "SELECT count(distinct(code)), count(code) FROM events GROUP BY nosuchtag fill(foo)",
    "SELECT distinct(*) FROM events",
  ),
  ...group("errors: database", { expectError: true })(
    ["SELECT * FROM cpu", { db: "nosuchdb" }],
    ["SELECT * FROM cpu", { db: null }],
    ["SHOW MEASUREMENTS", { db: null }],
    ["SHOW TAG KEYS", { db: "nosuchdb" }],
  ),
];

const HTTP_QUERIES: readonly CompatQuery[] = [
  ...group("multiple statements")(
    "SELECT count(used) FROM mem; SELECT count(usage_user) FROM cpu",
    "SHOW MEASUREMENTS; SELECT mean(degrees) FROM h2o_temperature",
    "SELECT count(used) FROM mem; SELECT * FROM nosuchmeasurement; SELECT max(code) FROM events",
    [
      "SELECT count(used) FROM mem; SELECT mean(message) FROM events; SELECT max(code) FROM events",
      {
        expectError: true,
      },
    ],
    "SELECT count(used) FROM mem;",
  ),
  ...["ns", "u", "µ", "ms", "s", "m", "h", "bogus"].map((epoch) => ({
    feature: "epoch parameter",
    q: `SELECT used FROM mem WHERE host = 'host_0' LIMIT 5; SELECT count(degrees) FROM ` +
      `h2o_temperature WHERE ${SPAN} GROUP BY time(1d)`,
    params: { epoch },
  })),
  ...group("epoch parameter")(
    ["SELECT usage_user FROM cpu LIMIT 3", { params: { epoch: "ms" }, method: "POST" }],
    ["SELECT first(usage_user) FROM cpu", { params: { epoch: "s" } }],
    ["SELECT * FROM events LIMIT 4", { params: { epoch: "u" } }],
  ),
  ...group("chunked", { params: { chunked: "true" } })(
    "SELECT used FROM mem LIMIT 20",
    ["SELECT used FROM mem LIMIT 20", { params: { chunked: "true", chunk_size: "7" } }],
    ["SELECT used FROM mem GROUP BY host LIMIT 5", {
      params: { chunked: "true", chunk_size: "3" },
    }],
    ["SELECT used FROM mem; SELECT count(code) FROM events", {
      params: { chunked: "true", chunk_size: "100" },
    }],
    ["SELECT usage_user FROM cpu WHERE host = 'host_3'", {
      params: { chunked: "true", chunk_size: "50" },
    }],
    ["SHOW TAG VALUES WITH KEY = host", { params: { chunked: "true", chunk_size: "2" } }],
    ["SELECT mean(message) FROM events", { params: { chunked: "true" }, expectError: true }],
    ["SELECT used FROM mem LIMIT 4", { params: { chunked: "true", epoch: "s" } }],
  ),
  ...group("bind parameters")(
    ["SELECT count(used) FROM mem WHERE host = $host", { params: { params: '{"host":"host_1"}' } }],
    ["SELECT used FROM mem WHERE used > $min LIMIT 3", {
      params: { params: '{"min":10000000000}' },
    }],
    ["SELECT usage_user FROM cpu WHERE usage_user > $v LIMIT 3", {
      params: { params: '{"v":79.5}' },
    }],
    ["SELECT count(code) FROM events WHERE ok = $ok", { params: { params: '{"ok":true}' } }],
    ["SELECT count(used) FROM mem WHERE host = $host", {
      params: { params: "{bad json" },
      expectError: true,
    }],
    ["SELECT count(used) FROM mem WHERE host = $missing", { expectError: true }],
  ),
  ...group("pretty", { params: { pretty: "true" } })(
    "SELECT used FROM mem LIMIT 2",
    "SHOW MEASUREMENTS",
  ),
  ...group("csv", { accept: "application/csv" })(
    "SELECT used, host FROM mem LIMIT 5",
    "SELECT mean(usage_user) FROM cpu GROUP BY host",
    "SHOW MEASUREMENTS",
    "SELECT count(used) FROM mem; SELECT count(code) FROM events",
    "SELECT mean(message) FROM events",
  ),
  ...group("http methods")(
    ["SELECT count(used) FROM mem", { method: "POST" }],
    ["SHOW TAG KEYS FROM cpu", { method: "POST" }],
  ),
];

/** Statements that change data or metadata: run last, in this order, on SCRATCH_DB. */
const MUTATIONS: readonly CompatQuery[] = [
  ...group("create/drop database", { phase: "mutate", db: null })(
    "CREATE DATABASE ddl_a",
    "CREATE DATABASE ddl_a",
    "CREATE DATABASE ddl_b WITH DURATION 3d REPLICATION 1 SHARD DURATION 1h NAME short",
    "SHOW RETENTION POLICIES ON ddl_b",
    "CREATE DATABASE ddl_c WITH DURATION 2h",
    ["CREATE DATABASE ddl_d WITH DURATION 30m", { expectError: true }],
    "SHOW DATABASES",
    "DROP DATABASE ddl_a",
    "DROP DATABASE ddl_a",
    "SHOW DATABASES",
  ),
  ...group("retention policies", { phase: "mutate", db: null })(
    "CREATE RETENTION POLICY rp1 ON ddl_b DURATION 2d REPLICATION 1",
    "CREATE RETENTION POLICY rp2 ON ddl_b DURATION INF REPLICATION 1 SHARD DURATION 2d DEFAULT",
    "SHOW RETENTION POLICIES ON ddl_b",
    ["CREATE RETENTION POLICY rp1 ON ddl_b DURATION 5d REPLICATION 1", { expectError: true }],
    ["CREATE RETENTION POLICY rp9 ON nosuchdb DURATION 1d REPLICATION 1", { expectError: true }],
    "ALTER RETENTION POLICY rp1 ON ddl_b DURATION 4d DEFAULT",
    "ALTER RETENTION POLICY rp2 ON ddl_b SHARD DURATION 12h",
    "SHOW RETENTION POLICIES ON ddl_b",
    "DROP RETENTION POLICY rp2 ON ddl_b",
    "DROP RETENTION POLICY rp2 ON ddl_b",
    "SHOW RETENTION POLICIES ON ddl_b",
    "DROP DATABASE ddl_b",
    "DROP DATABASE ddl_c",
  ),
  ...group("select into", { phase: "mutate", db: SCRATCH_DB })(
    `SELECT mean(usage_user) INTO cpu_hourly FROM cpu WHERE ${SPAN} GROUP BY time(1h), host`,
    "SELECT * FROM cpu_hourly WHERE host = 'host_0' LIMIT 5",
    `SELECT used, free INTO mem_copy FROM mem WHERE host = 'host_1'`,
    "SELECT count(*) FROM mem_copy",
    `SELECT max(code) INTO "compat_scratch"."autogen"."ev_max" FROM events WHERE ${SPAN} ` +
      "GROUP BY time(6h), *",
    "SHOW TAG KEYS FROM ev_max",
  ),
  ...group("delete and drop", { phase: "mutate", db: SCRATCH_DB })(
    "SELECT count(used) FROM mem GROUP BY host",
    "DELETE FROM mem WHERE time < '2023-12-31T00:00:00Z'",
    "SELECT count(used) FROM mem GROUP BY host",
    "DELETE FROM mem WHERE host = 'host_1'",
    "SELECT count(used) FROM mem GROUP BY host",
    "DELETE WHERE time >= '2024-01-01T12:00:00Z' AND time < '2024-01-01T13:00:00Z'",
    "SELECT count(degrees) FROM h2o_temperature",
    "DROP SERIES FROM cpu WHERE host = 'host_0'",
    "SHOW SERIES FROM cpu",
    "DROP SERIES WHERE region = 'us-west'",
    "SELECT count(usage_user) FROM cpu GROUP BY host",
    "DROP MEASUREMENT disk",
    "SHOW MEASUREMENTS",
    "SELECT * FROM disk",
    "DROP MEASUREMENT nosuchmeasurement",
    "DROP SERIES FROM events",
    "SHOW MEASUREMENTS",
  ),
  // A field in DELETE's WHERE: InfluxDB names the failing shard, so use a database with one.
  ...group("delete and drop", { phase: "mutate" })(
    ["CREATE DATABASE ddl_one", { db: null }],
    // No shard yet: InfluxDB checks nothing and answers without an error.
    ["DELETE FROM m WHERE water_level > 1", { db: "ddl_one" }],
    "SELECT water_level INTO ddl_one.autogen.m FROM h2o_feet WHERE time < '2023-12-31T00:00:00Z'",
    ["DELETE FROM m WHERE water_level > 1", { db: "ddl_one", expectError: true }],
    ["SELECT count(water_level) FROM m", { db: "ddl_one" }],
    ["DROP DATABASE ddl_one", { db: null }],
  ),
];

/** The whole corpus, reads first, then the mutations in order. */
export const CORPUS: readonly CompatQuery[] = [
  ...SHOW_QUERIES,
  ...SELECT_QUERIES,
  ...CLAUSE_QUERIES,
  ...EXTRA_QUERIES,
  ...ERROR_QUERIES,
  ...HTTP_QUERIES,
  ...MUTATIONS,
];
