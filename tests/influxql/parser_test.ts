import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  formatQuery,
  formatStatement,
  ParseError,
  parseQuery,
  parseStatement,
  type Statement,
} from "../../src/influxql/mod.ts";

/** Query → InfluxDB's String() of the parsed statement (same text when only one is given). */
const VALID: [string, string?][] = [
  ["SELECT * FROM myseries"],
  ["SELECT * FROM myseries GROUP BY *"],
  ["SELECT field1, * FROM myseries GROUP BY *"],
  ["SELECT *, field1 FROM myseries GROUP BY *"],
  ["SELECT field1::float, field2::integer, field3::tag, *::field FROM cpu"],
  ["SELECT /^c/ FROM cpu"],
  [
    "SELECT mean(value) + 3 * 2 AS x FROM cpu WHERE host = 'a' AND value > 1.5 GROUP BY time(5m, 1m), host fill(previous) ORDER BY time DESC LIMIT 10 OFFSET 2 SLIMIT 3 SOFFSET 1 tz('America/New_York')",
    "SELECT mean(value) + 3 * 2 AS x FROM cpu WHERE host = 'a' AND value > 1.500 GROUP BY time(5m, 1m), host fill(previous) ORDER BY time DESC LIMIT 10 OFFSET 2 SLIMIT 3 SOFFSET 1 TZ('America/New_York')",
  ],
  ["SELECT count(distinct(value)) FROM cpu"],
  ["SELECT count(distinct value) FROM cpu", "SELECT count(DISTINCT value) FROM cpu"],
  ["SELECT distinct value FROM cpu", "SELECT DISTINCT value FROM cpu"],
  ["SELECT top(value, host, 3) FROM cpu"],
  [
    'SELECT percentile(value, 95.5) FROM "db"."rp".cpu',
    "SELECT percentile(value, 95.500) FROM db.rp.cpu",
  ],
  ["SELECT value FROM db..cpu, /^mem/, rp./disk.*/, db.rp./net/"],
  ["SELECT value FROM (SELECT mean(value) AS value FROM cpu GROUP BY time(1m)) WHERE value > 2"],
  ["SELECT mean(value) INTO cpu_1m FROM cpu GROUP BY time(1m)"],
  [
    'SELECT mean(value) INTO "db"."rp".:MEASUREMENT FROM /.*/ GROUP BY time(1m)',
    "SELECT mean(value) INTO db.rp.:MEASUREMENT FROM /.*/ GROUP BY time(1m)",
  ],
  ["SELECT mean(value) INTO rp.:MEASUREMENT FROM /.*/ GROUP BY time(1m)"],
  ["SELECT value FROM cpu WHERE time > now() - 1h AND (host = 'a' OR host =~ /b.*/) AND region !~ /x\\/y/"],
  ["SELECT value FROM cpu WHERE time >= '2000-01-01T00:00:00Z' AND time < '2000-01-02 00:00:00'"],
  ["SELECT a & b | c ^ d % 2 FROM cpu"],
  [
    "SELECT -value, -(a + b), -1.5, -2, -1h FROM cpu",
    "SELECT -1 * value, -1 * (a + b), -1.500, -2, -1h FROM cpu",
  ],
  ['SELECT "select", "a b", "a\\"b", "1x" FROM "my measurement"'],
  ["SELECT mean(value) FROM cpu GROUP BY time(10m) fill(none)"],
  ["SELECT mean(value) FROM cpu GROUP BY time(10m) fill(-1)"],
  ["SELECT mean(value) FROM cpu GROUP BY time(10m) fill(1.5)"],
  ["SELECT mean(value) FROM cpu GROUP BY time(10m) fill(linear)"],
  [
    "SELECT mean(value) FROM cpu GROUP BY time(10m) fill(null)",
    "SELECT mean(value) FROM cpu GROUP BY time(10m)",
  ],
  ["SELECT value FROM cpu ORDER BY DESC"],
  ["SELECT value FROM cpu ORDER BY time ASC"],
  ["SELECT 1 FROM cpu"],
  ["SELECT 100. FROM cpu", "SELECT 100.000 FROM cpu"],
  ["SELECT 9223372036854775808 FROM cpu"],
  ["SELECT derivative(mean(value), 1s) FROM cpu WHERE time > now() - 1d GROUP BY time(1h)"],
  ['SELECT value FROM cpu WHERE "time" > 0', "SELECT value FROM cpu WHERE time > 0"],
  ["SHOW DATABASES"],
  ["SHOW MEASUREMENTS"],
  ["SHOW MEASUREMENTS ON db0 WITH MEASUREMENT = cpu WHERE region = 'uswest' LIMIT 10 OFFSET 5"],
  ["SHOW MEASUREMENTS WITH MEASUREMENT =~ /c.*/"],
  ["SHOW SERIES"],
  ["SHOW SERIES ON db0 FROM cpu WHERE region = 'uswest' LIMIT 10 OFFSET 20"],
  ["SHOW SERIES FROM /[cg]pu/, mem"],
  ["SHOW TAG KEYS"],
  ["SHOW TAG KEYS ON db0 FROM cpu WHERE region = 'uswest' LIMIT 2 OFFSET 1 SLIMIT 3 SOFFSET 4"],
  ["SHOW TAG VALUES FROM cpu WITH KEY = host"],
  ["SHOW TAG VALUES ON db0 WITH KEY IN (host, region) WHERE x = 'y' LIMIT 1"],
  ["SHOW TAG VALUES WITH KEY =~ /h.*/"],
  ['SHOW TAG VALUES WITH KEY != "select"'],
  ["SHOW FIELD KEYS"],
  ["SHOW FIELD KEYS ON db0 FROM cpu"],
  ["SHOW RETENTION POLICIES"],
  ["SHOW RETENTION POLICIES ON mydb"],
  ["SHOW SHARDS"],
  ["SHOW SHARD GROUPS"],
  ["SHOW SERVERS"],
  ["SHOW USERS"],
  ["SHOW GRANTS FOR jdoe"],
  ["SHOW CONTINUOUS QUERIES"],
  ["SHOW STATS"],
  ["SHOW STATS FOR 'cluster'"],
  ["SHOW DIAGNOSTICS FOR 'build'"],
  ["SHOW QUERIES"],
  ["SHOW SUBSCRIPTIONS"],
  ["SHOW MEASUREMENT CARDINALITY"],
  ["SHOW MEASUREMENT EXACT CARDINALITY ON db0"],
  ["SHOW SERIES CARDINALITY FROM cpu"],
  ["SHOW SERIES EXACT CARDINALITY"],
  ["SHOW TAG KEY CARDINALITY"],
  ["SHOW TAG KEY EXACT CARDINALITY"],
  ["SHOW TAG VALUES CARDINALITY WITH KEY = host"],
  ["SHOW TAG VALUES EXACT CARDINALITY FROM cpu WITH KEY = host"],
  ["SHOW FIELD KEY CARDINALITY"],
  ["CREATE DATABASE testdb"],
  ["CREATE DATABASE testdb WITH DURATION 24h", "CREATE DATABASE testdb WITH DURATION 24h0m0s"],
  [
    "CREATE DATABASE testdb WITH DURATION 24h REPLICATION 2 SHARD DURATION 30m NAME test_name",
    "CREATE DATABASE testdb WITH DURATION 24h0m0s REPLICATION 2 SHARD DURATION 30m0s NAME test_name",
  ],
  ['CREATE DATABASE testdb WITH NAME "1h.cpu"'],
  ["CREATE DATABASE testdb WITH DURATION INF", "CREATE DATABASE testdb WITH DURATION 0s"],
  ["DROP DATABASE testdb"],
  ["CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION 2"],
  ["CREATE RETENTION POLICY policy1 ON testdb DURATION 2m REPLICATION 4 DEFAULT"],
  ["CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION 2 SHARD DURATION 30m DEFAULT"],
  [
    'CREATE RETENTION POLICY "1h.cpu" ON testdb DURATION INF REPLICATION 1',
    'CREATE RETENTION POLICY "1h.cpu" ON testdb DURATION 0s REPLICATION 1',
  ],
  ["ALTER RETENTION POLICY policy1 ON testdb DURATION 1m REPLICATION 4 DEFAULT"],
  [
    "ALTER RETENTION POLICY policy1 ON testdb DEFAULT REPLICATION 4 DURATION 1m",
    "ALTER RETENTION POLICY policy1 ON testdb DURATION 1m REPLICATION 4 DEFAULT",
  ],
  [
    "ALTER RETENTION POLICY default ON testdb REPLICATION 4",
    'ALTER RETENTION POLICY "default" ON testdb REPLICATION 4',
  ],
  ["ALTER RETENTION POLICY policy1 ON testdb REPLICATION 4 SHARD DURATION 10m"],
  ['DROP RETENTION POLICY "1h.cpu" ON mydb'],
  ["DROP MEASUREMENT cpu"],
  ["DROP SERIES FROM src"],
  ["DROP SERIES WHERE host = 'hosta.influxdb.org'"],
  ["DROP SERIES FROM src WHERE host = 'hosta.influxdb.org'"],
  ["DELETE FROM src"],
  ["DELETE WHERE time < '2000-01-01T00:00:00Z'"],
  ["DELETE FROM src WHERE time < '2000-01-01T00:00:00Z'"],
  ["DROP SHARD 1"],
  ["CREATE USER testuser WITH PASSWORD 'pwd1337'", "CREATE USER testuser WITH PASSWORD [REDACTED]"],
  [
    "CREATE USER testuser WITH PASSWORD 'pwd1337' WITH ALL PRIVILEGES",
    "CREATE USER testuser WITH PASSWORD [REDACTED] WITH ALL PRIVILEGES",
  ],
  ["DROP USER jdoe"],
  ["SET PASSWORD FOR dejan = 'pass'", "SET PASSWORD FOR dejan = [REDACTED]"],
  ["GRANT READ ON testdb TO jdoe"],
  ["GRANT WRITE ON testdb TO jdoe"],
  ["GRANT ALL ON testdb TO jdoe", "GRANT ALL PRIVILEGES ON testdb TO jdoe"],
  ["GRANT ALL PRIVILEGES ON testdb TO jdoe"],
  ["GRANT ALL TO jdoe", "GRANT ALL PRIVILEGES TO jdoe"],
  ["GRANT ALL PRIVILEGES TO jdoe"],
  ["REVOKE READ ON testdb FROM jdoe"],
  ["REVOKE ALL PRIVILEGES ON testdb FROM jdoe"],
  ["REVOKE ALL FROM jdoe", "REVOKE ALL PRIVILEGES FROM jdoe"],
  ["CREATE CONTINUOUS QUERY myquery ON testdb BEGIN SELECT count(field1) INTO measure1 FROM myseries GROUP BY time(5m) END"],
  ["CREATE CONTINUOUS QUERY myquery ON testdb RESAMPLE EVERY 1m FOR 1h BEGIN SELECT count(field1) INTO measure1 FROM myseries GROUP BY time(5m) END"],
  ["CREATE CONTINUOUS QUERY myquery ON testdb RESAMPLE EVERY 1m BEGIN SELECT count(field1) INTO measure1 FROM myseries GROUP BY time(5m) END"],
  [
    'CREATE CONTINUOUS QUERY "this.is-a.test" ON "db" BEGIN SELECT * INTO measure1 FROM cpu_load_short END',
    'CREATE CONTINUOUS QUERY "this.is-a.test" ON db BEGIN SELECT * INTO measure1 FROM cpu_load_short END',
  ],
  ["DROP CONTINUOUS QUERY myquery ON foo"],
  ["KILL QUERY 4"],
  ["KILL QUERY 4 ON localhost"],
  ["EXPLAIN SELECT * FROM cpu"],
  ["EXPLAIN ANALYZE SELECT mean(value) FROM cpu"],
  [
    'CREATE SUBSCRIPTION "name" ON "db"."rp" DESTINATIONS ANY \'udp://host1:9093\', \'udp://host2:9093\'',
    "CREATE SUBSCRIPTION \"name\" ON db.rp DESTINATIONS ANY 'udp://host1:9093', 'udp://host2:9093'",
  ],
  ['DROP SUBSCRIPTION "name" ON "db"."rp"', 'DROP SUBSCRIPTION "name" ON db.rp'],
];

Deno.test("parser: statements format back as InfluxDB's String() does", () => {
  for (const [q, want = q] of VALID) assertEquals(formatStatement(parseStatement(q)), want, q);
});

Deno.test("parser: parse → format → parse gives the same AST", () => {
  for (const [q] of VALID) {
    const s = parseStatement(q);
    // Passwords are redacted in the text, so those statements never reparse (as in InfluxDB).
    if (s.kind === "CreateUserStatement" || s.kind === "SetPasswordUserStatement") continue;
    assertEquals(parseStatement(formatStatement(s)), s, q);
  }
});

/** Query → InfluxDB 1.6's exact error text (ported from influxql's parser_test.go). */
const ERRORS: [string, string][] = [
  [
    "",
    "found EOF, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1",
  ],
  ["SELECT", "found EOF, expected identifier, string, number, bool at line 1, char 8"],
  [
    "blah blah",
    "found blah, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1",
  ],
  ["SELECT field1 X", "found X, expected FROM at line 1, char 15"],
  [
    'SELECT field1 FROM "series" WHERE X +;',
    "found ;, expected identifier, string, number, bool at line 1, char 38",
  ],
  ["SELECT field1 FROM myseries GROUP", "found EOF, expected BY at line 1, char 35"],
  ["SELECT field1 FROM myseries LIMIT", "found EOF, expected integer at line 1, char 35"],
  ["SELECT field1 FROM myseries LIMIT 10.5", "found 10.5, expected integer at line 1, char 35"],
  ["SELECT field1 FROM myseries OFFSET", "found EOF, expected integer at line 1, char 36"],
  ["SELECT field1 FROM myseries OFFSET 10.5", "found 10.5, expected integer at line 1, char 36"],
  ["SELECT field1 FROM myseries ORDER", "found EOF, expected BY at line 1, char 35"],
  [
    "SELECT field1 FROM myseries ORDER BY",
    "found EOF, expected identifier, ASC, DESC at line 1, char 38",
  ],
  [
    "SELECT field1 FROM myseries ORDER BY /",
    "found /, expected identifier, ASC, DESC at line 1, char 38",
  ],
  [
    "SELECT field1 FROM myseries ORDER BY 1",
    "found 1, expected identifier, ASC, DESC at line 1, char 38",
  ],
  [
    "SELECT field1 FROM myseries ORDER BY time ASC,",
    "found EOF, expected identifier at line 1, char 47",
  ],
  [
    "SELECT field1 FROM myseries ORDER BY time, field1",
    "only ORDER BY time supported at this time",
  ],
  ["SELECT field1 FROM myseries ORDER BY value", "only ORDER BY time supported at this time"],
  ["SELECT field1 AS", "found EOF, expected identifier at line 1, char 18"],
  ["SELECT field1 FROM 12", "found 12, expected identifier at line 1, char 20"],
  [`SELECT 1${"0".repeat(60)} FROM myseries`, "unable to parse integer at line 1, char 8"],
  ["SELECT 10.5h FROM myseries", "found h, expected FROM at line 1, char 12"],
  ["SELECT distinct FROM myseries", "found FROM, expected identifier at line 1, char 17"],
  ["SELECT count(distinct) FROM myseries", "found ), expected (, identifier at line 1, char 22"],
  [
    "SELECT field1 from myseries WHERE host =~ 'asd' LIMIT 1",
    "found asd, expected regex at line 1, char 42",
  ],
  [
    "SELECT value > 2 FROM cpu",
    "invalid operator > in SELECT clause at line 1, char 8; operator is intended for WHERE clause",
  ],
  [
    "SELECT value = 2 FROM cpu",
    "invalid operator = in SELECT clause at line 1, char 8; operator is intended for WHERE clause",
  ],
  [
    "SELECT s =~ /foo/ FROM cpu",
    "invalid operator =~ in SELECT clause at line 1, char 8; operator is intended for WHERE clause",
  ],
  ["SELECT mean(value) FROM cpu FILL + value", "fill must be a function call"],
  [
    "SELECT mean(value) FROM cpu GROUP BY time(1m) fill()",
    "fill requires an argument, e.g.: 0, null, none, previous, linear",
  ],
  ["SELECT mean(value) FROM cpu GROUP BY time(1m) fill('x')", "expected number argument in fill()"],
  ["SELECT value FROM cpu tz('Nowhere/Special')", "unable to find time zone Nowhere/Special"],
  ["SELECT value FROM cpu tz(1)", "expected string argument in tz()"],
  ["SELECT value FROM cpu tz()", "tz requires exactly one argument"],
  ["SELECT value FROM a.b.c.d", 'too many segments in "a"."b"."c".d at line 1, char 1'],
  ["SELECT value FROM cpu WHERE x = 1x", "invalid duration"],
  ["SELECT value FROM cpu WHERE value = 1e3", "invalid duration"],
  [
    "SELECT value::nope FROM cpu",
    "found nope, expected float, integer, unsigned, string, boolean, field, tag at line 1, char 15",
  ],
  ["SELECT *::nope FROM cpu", "found nope, expected field, tag at line 1, char 11"],
  ["SELECT value FROM cpu WHERE x =~ /a", "bad regex:  at line 1, char 33"],
  [
    "SELECT value FROM cpu WHERE x =~ /(/",
    "error parsing regexp: Invalid regular expression: /(/: Unterminated group at line 1, char 33",
  ],
  ["DELETE", "found EOF, expected FROM, WHERE at line 1, char 8"],
  ["DELETE FROM", "found EOF, expected identifier at line 1, char 13"],
  ["DELETE FROM &foo.myseries", "found &, expected identifier at line 1, char 13"],
  [
    "DELETE FROM myseries WHERE",
    "found EOF, expected identifier, string, number, bool at line 1, char 28",
  ],
  ["DELETE FROM foo..myseries", "database not supported at line 1, char 1"],
  ["DROP MEASUREMENT", "found EOF, expected identifier at line 1, char 18"],
  ["DROP SERIES", "found EOF, expected FROM, WHERE at line 1, char 13"],
  ["DROP SERIES FROM", "found EOF, expected identifier at line 1, char 18"],
  [
    "DROP SERIES FROM src WHERE",
    "found EOF, expected identifier, string, number, bool at line 1, char 28",
  ],
  ['DROP SERIES FROM "foo".myseries', "retention policy not supported at line 1, char 1"],
  ["DROP SERIES FROM foo..myseries", "database not supported at line 1, char 1"],
  ["SHOW CONTINUOUS", "found EOF, expected QUERIES at line 1, char 17"],
  ["SHOW RETENTION", "found EOF, expected POLICIES at line 1, char 16"],
  ["SHOW RETENTION ON", "found ON, expected POLICIES at line 1, char 16"],
  ["SHOW RETENTION POLICIES ON", "found EOF, expected identifier at line 1, char 28"],
  ["SHOW SHARD", "found EOF, expected GROUPS at line 1, char 12"],
  [
    "SHOW FOO",
    "found FOO, expected CONTINUOUS, DATABASES, DIAGNOSTICS, FIELD, GRANTS, MEASUREMENT, MEASUREMENTS, QUERIES, RETENTION, SERIES, SHARD, SHARDS, STATS, SUBSCRIPTIONS, TAG, USERS at line 1, char 6",
  ],
  ["SHOW FIELD", "found EOF, expected KEY, KEYS at line 1, char 12"],
  ["SHOW FIELD KEY", "found EOF, expected EXACT, CARDINALITY at line 1, char 16"],
  ["SHOW MEASUREMENT", "found EOF, expected EXACT, CARDINALITY at line 1, char 18"],
  ["SHOW MEASUREMENTS WITH", "found EOF, expected MEASUREMENT at line 1, char 24"],
  ["SHOW MEASUREMENTS WITH MEASUREMENT", "found EOF, expected =, =~ at line 1, char 36"],
  ["SHOW TAG VALUES", "found EOF, expected WITH at line 1, char 17"],
  ["SHOW TAG VALUES WITH", "found EOF, expected KEY at line 1, char 22"],
  ["SHOW TAG VALUES WITH KEY", "found EOF, expected IN, =, =~ at line 1, char 26"],
  ["SHOW TAG VALUES WITH KEY =~", "found EOF, expected regex at line 1, char 29"],
  ["SHOW TAG VALUES WITH KEY IN host", "found host, expected ( at line 1, char 29"],
  ["SHOW STATS FOR", "found EOF, expected string at line 1, char 16"],
  ["SHOW DIAGNOSTICS FOR", "found EOF, expected string at line 1, char 22"],
  ["SHOW GRANTS", "found EOF, expected FOR at line 1, char 13"],
  ["SHOW GRANTS FOR", "found EOF, expected identifier at line 1, char 17"],
  ["DROP CONTINUOUS", "found EOF, expected QUERY at line 1, char 17"],
  ["DROP CONTINUOUS QUERY", "found EOF, expected identifier at line 1, char 23"],
  ["DROP CONTINUOUS QUERY myquery", "found EOF, expected ON at line 1, char 31"],
  ["DROP CONTINUOUS QUERY myquery ON", "found EOF, expected identifier at line 1, char 34"],
  ["CREATE CONTINUOUS", "found EOF, expected QUERY at line 1, char 19"],
  ["CREATE CONTINUOUS QUERY", "found EOF, expected identifier at line 1, char 25"],
  [
    "CREATE CONTINUOUS QUERY cq ON db RESAMPLE BEGIN",
    "found BEGIN, expected EVERY, FOR at line 1, char 43",
  ],
  [
    "CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT count(*) INTO x FROM y END",
    "found y, expected GROUP BY time(...) at line 1, char 68",
  ],
  [
    "CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT value FROM y END",
    "found FROM, expected INTO at line 1, char 53",
  ],
  [
    "CREATE CONTINUOUS QUERY cq ON db RESAMPLE FOR 5s BEGIN SELECT mean(value) INTO cpu_mean FROM cpu GROUP BY time(10s) END",
    "FOR duration must be >= GROUP BY time duration: must be a minimum of 10s, got 5s",
  ],
  [
    "CREATE CONTINUOUS QUERY cq ON db RESAMPLE EVERY 10s FOR 5s BEGIN SELECT mean(value) INTO cpu_mean FROM cpu GROUP BY time(5s) END",
    "FOR duration must be >= GROUP BY time duration: must be a minimum of 10s, got 5s",
  ],
  [
    "DROP FOO",
    "found FOO, expected CONTINUOUS, DATABASE, MEASUREMENT, RETENTION, SERIES, SHARD, SUBSCRIPTION, USER at line 1, char 6",
  ],
  [
    "CREATE FOO",
    "found FOO, expected CONTINUOUS, DATABASE, USER, RETENTION, SUBSCRIPTION at line 1, char 8",
  ],
  ["CREATE DATABASE", "found EOF, expected identifier at line 1, char 17"],
  [
    'CREATE DATABASE "testdb" WITH',
    "found EOF, expected DURATION, NAME, REPLICATION, SHARD at line 1, char 31",
  ],
  ['CREATE DATABASE "testdb" WITH DURATION', "found EOF, expected duration at line 1, char 40"],
  ['CREATE DATABASE "testdb" WITH REPLICATION', "found EOF, expected integer at line 1, char 43"],
  ['CREATE DATABASE "testdb" WITH NAME', "found EOF, expected identifier at line 1, char 36"],
  ['CREATE DATABASE "testdb" WITH SHARD', "found EOF, expected DURATION at line 1, char 37"],
  ["DROP DATABASE", "found EOF, expected identifier at line 1, char 15"],
  ["DROP RETENTION", "found EOF, expected POLICY at line 1, char 16"],
  ["DROP RETENTION POLICY", "found EOF, expected identifier at line 1, char 23"],
  ['DROP RETENTION POLICY "1h.cpu"', "found EOF, expected ON at line 1, char 31"],
  ['DROP RETENTION POLICY "1h.cpu" ON', "found EOF, expected identifier at line 1, char 35"],
  ["DROP USER", "found EOF, expected identifier at line 1, char 11"],
  ["DROP SHARD x", "found x, expected integer at line 1, char 12"],
  ["CREATE USER testuser", "found EOF, expected WITH at line 1, char 22"],
  ["CREATE USER testuser WITH", "found EOF, expected PASSWORD at line 1, char 27"],
  ["CREATE USER testuser WITH PASSWORD", "found EOF, expected string at line 1, char 36"],
  ["CREATE USER testuser WITH PASSWORD 'pwd' WITH", "found EOF, expected ALL at line 1, char 47"],
  [
    "CREATE USER testuser WITH PASSWORD 'pwd' WITH ALL",
    "found EOF, expected PRIVILEGES at line 1, char 51",
  ],
  ['DROP SUBSCRIPTION "name" ON "db"', "found EOF, expected . at line 1, char 33"],
  [
    'CREATE SUBSCRIPTION "name" ON "db"."rp" DESTINATIONS',
    "found EOF, expected ALL, ANY at line 1, char 54",
  ],
  ["GRANT", "found EOF, expected READ, WRITE, ALL [PRIVILEGES] at line 1, char 7"],
  ["GRANT BOGUS", "found BOGUS, expected READ, WRITE, ALL [PRIVILEGES] at line 1, char 7"],
  ["GRANT READ", "found EOF, expected ON at line 1, char 12"],
  ["GRANT READ FROM", "found FROM, expected ON at line 1, char 12"],
  ["GRANT READ ON", "found EOF, expected identifier at line 1, char 15"],
  ["GRANT READ ON TO", "found TO, expected identifier at line 1, char 15"],
  ["GRANT READ ON testdb", "found EOF, expected TO at line 1, char 22"],
  ["GRANT READ ON testdb TO", "found EOF, expected identifier at line 1, char 25"],
  ["GRANT READ TO", "found TO, expected ON at line 1, char 12"],
  ["GRANT ALL", "found EOF, expected ON, TO at line 1, char 11"],
  ["GRANT ALL PRIVILEGES", "found EOF, expected ON, TO at line 1, char 22"],
  ["GRANT ALL FROM", "found FROM, expected ON, TO at line 1, char 11"],
  ["GRANT ALL PRIVILEGES ON testdb FROM", "found FROM, expected TO at line 1, char 32"],
  ["GRANT ALL TO", "found EOF, expected identifier at line 1, char 14"],
  ["KILL", "found EOF, expected QUERY at line 1, char 6"],
  ["KILL QUERY 10s", "found 10s, expected integer at line 1, char 12"],
  ["KILL QUERY 4 ON 'host'", "found host, expected identifier at line 1, char 16"],
  ["REVOKE", "found EOF, expected READ, WRITE, ALL [PRIVILEGES] at line 1, char 8"],
  ["REVOKE READ TO", "found TO, expected ON at line 1, char 13"],
  ["REVOKE READ ON testdb", "found EOF, expected FROM at line 1, char 23"],
  ["REVOKE ALL", "found EOF, expected ON, FROM at line 1, char 12"],
  ["REVOKE ALL PRIVILEGES TO", "found TO, expected ON, FROM at line 1, char 23"],
  ["REVOKE ALL ON testdb TO", "found TO, expected FROM at line 1, char 22"],
  ["REVOKE ALL FROM", "found EOF, expected identifier at line 1, char 17"],
  ["CREATE RETENTION", "found EOF, expected POLICY at line 1, char 18"],
  ["CREATE RETENTION POLICY", "found EOF, expected identifier at line 1, char 25"],
  ["CREATE RETENTION POLICY policy1", "found EOF, expected ON at line 1, char 33"],
  ["CREATE RETENTION POLICY policy1 ON", "found EOF, expected identifier at line 1, char 36"],
  ["CREATE RETENTION POLICY policy1 ON testdb", "found EOF, expected DURATION at line 1, char 43"],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION",
    "found EOF, expected duration at line 1, char 52",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION bad",
    "found bad, expected duration at line 1, char 52",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION 1h",
    "found EOF, expected REPLICATION at line 1, char 54",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION",
    "found EOF, expected integer at line 1, char 67",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION 3.14",
    "found 3.14, expected integer at line 1, char 67",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION 0",
    "invalid value 0: must be 1 <= n <= 2147483647 at line 1, char 67",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION bad",
    "found bad, expected integer at line 1, char 67",
  ],
  [
    "CREATE RETENTION POLICY policy1 ON testdb DURATION 1h REPLICATION 2 SHARD DURATION INF",
    "invalid duration INF for shard duration at line 1, char 84",
  ],
  ["ALTER", "found EOF, expected RETENTION at line 1, char 7"],
  ["ALTER RETENTION", "found EOF, expected POLICY at line 1, char 17"],
  ["ALTER RETENTION POLICY", "found EOF, expected identifier at line 1, char 24"],
  ["ALTER RETENTION POLICY policy1", "found EOF, expected ON at line 1, char 32"],
  ["ALTER RETENTION POLICY policy1 ON", "found EOF, expected identifier at line 1, char 35"],
  [
    "ALTER RETENTION POLICY policy1 ON testdb",
    "found EOF, expected DURATION, REPLICATION, SHARD, DEFAULT at line 1, char 42",
  ],
  [
    "ALTER RETENTION POLICY policy1 ON testdb REPLICATION 1 REPLICATION 2",
    "found duplicate REPLICATION option at line 1, char 56",
  ],
  [
    "ALTER RETENTION POLICY policy1 ON testdb DURATION 15251w",
    "overflowed duration 15251w: choose a smaller duration or INF at line 1, char 51",
  ],
  [
    "ALTER RETENTION POLICY policy1 ON testdb DURATION INF SHARD DURATION INF",
    "invalid duration INF for shard duration at line 1, char 70",
  ],
  ["SET", "found EOF, expected PASSWORD at line 1, char 5"],
  ["SET PASSWORD", "found EOF, expected FOR at line 1, char 14"],
  ["SET PASSWORD something", "found something, expected FOR at line 1, char 14"],
  ["SET PASSWORD FOR", "found EOF, expected identifier at line 1, char 18"],
  ["SET PASSWORD FOR dejan", "found EOF, expected = at line 1, char 24"],
  ["SET PASSWORD FOR dejan =", "found EOF, expected string at line 1, char 25"],
  ["SET PASSWORD FOR dejan = bla", "found bla, expected string at line 1, char 26"],
  ["EXPLAIN SHOW DATABASES", "found SHOW, expected SELECT at line 1, char 9"],
  [
    "$SHOW$DATABASES",
    "found $SHOW, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1",
  ],
  ['SELECT * FROM cpu WHERE "tagkey" = $$', "empty bound parameter"],
  ['SELECT * FROM cpu WHERE "tagkey" = $x', "missing parameter: x"],
  [
    "SELECT value FROM cpu WHERE a = 'unterminated",
    "found unterminated, expected identifier, string, number, bool at line 1, char 32",
  ],
  ["SELECT\n  value\nFROM", "found EOF, expected identifier at line 3, char 6"],
];

Deno.test("parser: errors carry InfluxDB's exact text and position", () => {
  for (const [q, want] of ERRORS) {
    throws(() => parseStatement(q), (e: unknown) => {
      assertEquals(e instanceof ParseError ? e.message : e, want, q);
      return true;
    });
  }
});

Deno.test("parser: ParseError exposes line and char", () => {
  try {
    parseStatement("SELECT field1 X");
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    assertEquals([e.line, e.char], [1, 15]);
    return;
  }
  throw new Error("expected a ParseError");
});

Deno.test("parseQuery: several statements, semicolons and comments", () => {
  const kinds = (q: string) => parseQuery(q).map((s: Statement) => s.kind);
  assertEquals(kinds("SELECT a FROM b; SELECT c FROM d"), ["SelectStatement", "SelectStatement"]);
  assertEquals(kinds("SHOW DATABASES;"), ["ShowDatabasesStatement"]);
  assertEquals(kinds(""), []);
  assertEquals(kinds(";;"), []);
  assertEquals(kinds("-- only a comment"), []);
  assertEquals(kinds("/* c */ SHOW USERS -- trailing\n; DROP USER x"), [
    "ShowUsersStatement",
    "DropUserStatement",
  ]);
  throws(() => parseQuery("CREATE DATABASE foo CREATE DATABASE bar"), {
    message: "found CREATE, expected ; at line 1, char 21",
  });
});

/** More of influxql's parser_test.go inputs: each parses and survives a format round trip. */
const PARSES = [
  "SELECT mean(field1), sum(field2), count(field3) AS field_x FROM myseries WHERE host = " +
  "'hosta.influxdb.org' and time > '2015-01-01T00:00:00Z' GROUP BY time(10h) ORDER BY DESC " +
  "LIMIT 20 OFFSET 10;",
  'SELECT "foo.bar.baz" AS foo FROM myseries',
  "SELECT sample(field1, 100) FROM myseries;",
  "SELECT derivative(field1, 1h) / derivative(field2, 1h) FROM myseries",
  "SELECT difference(max(field1)) FROM myseries WHERE time > now() - 1h GROUP BY time(1m)",
  "SELECT non_negative_derivative(mean(field1), 1s) FROM myseries GROUP BY time(1m)",
  "SELECT moving_average(max(field1), 3) FROM myseries GROUP BY time(1m)",
  "SELECT cumulative_sum(mean(field1)) FROM myseries GROUP BY time(1m)",
  "SELECT holt_winters_with_fit(first(field1), 3, 1) FROM myseries GROUP BY time(1h);",
  "SELECT elapsed(value, 1s) FROM cpu",
  "SELECT integral(value, 1m), spread(value), stddev(value), mode(value) FROM cpu",
  "SELECT bottom(value, host, 2), last(value), first(value) FROM cpu",
  "SELECT max(value), time(1m) FROM cpu",
  "SELECT value FROM cpu WHERE host = $host",
  "SELECT value FROM cpu WHERE time > now() - 1h GROUP BY time(1h, -30m)",
  "SELECT max(value) FROM cpu GROUP BY time(1h, now())",
  "SELECT * FROM cpu WHERE (a = 1 OR b = 2) AND NOT_A_KEYWORD = 3",
  "SELECT mean(value) FROM (SELECT max(value) AS value FROM cpu GROUP BY time(1m), host) " +
  "GROUP BY time(5m)",
  "SHOW TAG KEY EXACT CARDINALITY ON db0",
  "SHOW TAG KEY EXACT CARDINALITY FROM /[cg]pu/",
  "SHOW TAG KEY EXACT CARDINALITY LIMIT 2 OFFSET 0",
  "SHOW TAG KEY EXACT CARDINALITY WHERE region = 'order by desc' LIMIT 10",
  "SHOW TAG KEYS FROM src LIMIT 4 OFFSET 3 SLIMIT 2 SOFFSET 1",
  "SHOW TAG VALUES FROM cpu WITH KEY IN (region,service,host)WHERE region = 'uswest'",
  "SHOW TAG VALUES WITH KEY = \"host\" WHERE region = 'uswest'",
  "SHOW TAG VALUES WITH KEY =~ /(host|region)/",
  "SHOW TAG VALUES CARDINALITY FROM cpu WITH KEY =  host",
  "SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host WHERE region = 'order by desc' LIMIT 10",
  "SHOW FIELD KEYS ON db0 FROM rp1.m0",
  "SHOW FIELD KEYS ON db0 FROM rp1./[cg]pu/",
  "SHOW FIELD KEY EXACT CARDINALITY FROM cpu",
  "SHOW SERIES EXACT CARDINALITY GROUP BY host",
  "SHOW MEASUREMENTS WITH MEASUREMENT = db.rp.cpu",
  "SHOW MEASUREMENTS WHERE region = 'uswest' ORDER BY time DESC LIMIT 1",
];

Deno.test("parser: influxql's accepted inputs parse and round-trip", () => {
  for (const q of PARSES) {
    const s = parseStatement(q, { host: "a" });
    assertEquals(parseStatement(formatStatement(s)), s, q);
  }
});

Deno.test("parseQuery: comments between and after statements are skipped", () => {
  const q = `SELECT * FROM cpu; -- read from cpu database

/* create continuous query */
CREATE CONTINUOUS QUERY cq0 ON db0 BEGIN
	SELECT mean(*) INTO db1..:MEASUREMENT FROM cpu GROUP BY time(5m)
END;

/* just a multline comment
what is this doing here?
**/

-- should ignore the trailing multiline comment /*
SELECT mean(value) FROM gpu;
-- trailing comment at the end`;
  assertEquals(parseQuery(q).map((s) => s.kind), [
    "SelectStatement",
    "CreateContinuousQueryStatement",
    "SelectStatement",
  ]);
});

Deno.test("formatQuery: statements joined as InfluxDB's Query.String()", () => {
  assertEquals(
    formatQuery(parseQuery("select a from b; show databases")),
    "SELECT a FROM b;\nSHOW DATABASES",
  );
});
