/**
 * More of the language than the feature list names: combinations, syntax corners, subqueries,
 * literal forms. Aimed at the language, not at this data set.
 */
import { type CompatQuery, DAY, group, SPAN } from "./corpus_types.ts";

const HOUR6 = `time >= '2023-12-31T00:00:00Z' AND time < '2023-12-31T06:00:00Z'`;

/** The extra queries of the corpus. */
export const EXTRA_QUERIES: readonly CompatQuery[] = [
  ...group("syntax")(
    "select mean(usage_user) from cpu group by host",
    "SELECT\n  mean(usage_user)\nFROM\n  cpu\nWHERE\n  host = 'host_0'",
    `SELECT "usage_user" FROM "compat"."autogen"."cpu" WHERE "host" = 'host_0' LIMIT 2`,
    "SELECT count(usage_user) FROM cpu -- a trailing comment",
    "SELECT count(message) FROM events WHERE message = 'said \\\"hi\\\"'",
    `SELECT count(message) FROM events WHERE message = 'said "hi"'`,
    "SELECT count(message) FROM events WHERE message = 'a, b, c'",
    "SELECT count(message) FROM events WHERE message = 'héllo wörld ✓'",
    "SELECT count(message) FROM events WHERE message = ''",
    "SELECT count(usage_user) FROM cpu WHERE host =~ /(?i)HOST_0/",
    "SELECT count(usage_user) FROM cpu WHERE host =~ /^host_\\d$/",
    "SELECT count(usage_user) FROM cpu WHERE host =~ /host_0|host_3/ AND region !~ /west/",
    "SELECT count(code) FROM events WHERE code = -1",
    "SELECT count(usage_user) FROM cpu WHERE usage_user > -1.5",
    "SELECT count(used_percent) FROM mem WHERE used_percent > 50 AND used < 5000000000",
    "SELECT count(ro) FROM disk WHERE ro = true AND path = '/'",
    "SELECT count(ro) FROM disk WHERE ro = 't'",
    "SELECT count(used) FROM mem WHERE time > 0",
  ),
  ...group("time literals")(
    "SELECT count(used) FROM mem WHERE time >= '2023-12-31T02:00:00+02:00' AND " +
      "time < '2023-12-31T12:00:00-05:00'",
    "SELECT count(used) FROM mem WHERE time >= '2023-12-31T00:00:00.123456789Z'",
    "SELECT count(used) FROM mem WHERE time >= '2023-12-31'",
    "SELECT count(used) FROM mem WHERE time >= '2023-12-31T00:00:00Z' - 1w",
    "SELECT count(used) FROM mem WHERE time >= '2023-12-31T00:00:00Z' + 90s - 1500ms",
    `SELECT count(degrees) FROM h2o_temperature WHERE ${SPAN} GROUP BY time(1w)`,
    `SELECT count(degrees) FROM h2o_temperature WHERE ${SPAN} GROUP BY time(90m)`,
    `SELECT count(code) FROM events WHERE ${HOUR6} GROUP BY time(1500s)`,
    "SELECT usage_user FROM cpu WHERE time = '2023-12-30T00:27:47.786158959Z'",
  ),
  ...group("combinations")(
    "SELECT max(usage_user), min(usage_user) FROM cpu",
    `SELECT first(usage_user), last(usage_user) FROM cpu WHERE ${SPAN} GROUP BY time(1d)`,
    "SELECT percentile(usage_user, 50), median(usage_user) FROM cpu",
    "SELECT mean(usage_user) + mean(usage_system) FROM cpu GROUP BY host",
    "SELECT count(usage_user) / 2 FROM cpu",
    `SELECT count(*) FROM cpu WHERE host = 'host_0' AND ${SPAN} GROUP BY time(6h) fill(none)`,
    `SELECT mean(usage_user) FROM cpu WHERE ${SPAN} GROUP BY time(1h), host fill(none) ` +
      "LIMIT 3 OFFSET 1 SLIMIT 2",
    `SELECT max(used) FROM mem WHERE ${HOUR6} GROUP BY time(30m), host fill(previous) ` +
      "ORDER BY time DESC",
    `SELECT difference(max(used)) FROM mem WHERE ${SPAN} GROUP BY time(6h), host`,
    `SELECT cumulative_sum(usage_user) FROM cpu WHERE host = 'host_0' AND cpu = 'cpu0' ` +
      "ORDER BY time DESC LIMIT 5",
    `SELECT derivative(usage_user, 1h) FROM cpu WHERE host = 'host_0' AND cpu = 'cpu0' ` +
      "ORDER BY time DESC LIMIT 5",
    `SELECT usage_user FROM cpu WHERE host = 'host_0' AND cpu = 'cpu0' AND ${DAY} ` +
      "LIMIT 3 OFFSET 1 tz('Asia/Kolkata')",
    "SELECT distinct(type) FROM events GROUP BY host",
    "SELECT count(distinct(message)) FROM events GROUP BY type",
    "SELECT max(*) FROM events",
    ["SELECT top(usage_user, 2), bottom(usage_user, 2) FROM cpu", { expectError: true }],
    "SELECT mean(usage_user) FROM cpu GROUP BY host SOFFSET 3",
    "SELECT usage_user, usage_system FROM cpu WHERE usage_user > 79.9 OR usage_system > 19.95",
    `SELECT spread(used), stddev(used), mean(used) FROM mem WHERE ${SPAN} GROUP BY time(1d)`,
    `SELECT sum(code), count(code), mean(code) FROM events WHERE ${SPAN} ` +
      "GROUP BY time(12h), type fill(0)",
  ),
  ...group("subqueries")(
    "SELECT mean(max) FROM (SELECT max(usage_user) FROM cpu GROUP BY host)",
    "SELECT max(mean) FROM (SELECT mean(usage_user) FROM cpu GROUP BY host, cpu)",
    `SELECT sum(c) FROM (SELECT count(code) AS c FROM events WHERE ${SPAN} GROUP BY time(6h))`,
    "SELECT * FROM (SELECT used, host FROM mem WHERE host = 'host_2') LIMIT 3",
    "SELECT used / 1000 FROM (SELECT used FROM mem) WHERE used > 14900000000",
    `SELECT mean(m) FROM (SELECT max(water_level) AS m FROM h2o_feet WHERE ${SPAN} ` +
      `GROUP BY time(6h), location) WHERE ${SPAN} GROUP BY time(1d)`,
  ),
  ...group("show on database", { db: null })(
    "SHOW FIELD KEYS ON compat FROM mem",
    "SHOW TAG KEYS ON compat FROM cpu",
    "SHOW TAG VALUES ON compat FROM disk WITH KEY = path",
    "SHOW MEASUREMENTS ON compat WHERE type = 'login'",
    "SHOW SERIES ON compat FROM disk WHERE fstype = 'ext4'",
    "SHOW CONTINUOUS QUERIES; SHOW USERS",
  ),
];
