import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { formatStatement, parseQuery, parseStatement } from "../../src/influxql/mod.ts";

Deno.test("bound parameters: numbers, strings, booleans and typed objects", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "SELECT * FROM cpu WHERE host = $h",
      { h: "server01" },
      "SELECT * FROM cpu WHERE host = 'server01'",
    ],
    ["SELECT * FROM cpu WHERE v > $n", { n: 10 }, "SELECT * FROM cpu WHERE v > 10"],
    ["SELECT * FROM cpu WHERE v > $n", { n: 1.5 }, "SELECT * FROM cpu WHERE v > 1.500"],
    ["SELECT * FROM cpu WHERE v > $n", { n: -3 }, "SELECT * FROM cpu WHERE v > -3"],
    ["SELECT * FROM cpu WHERE ok = $b", { b: true }, "SELECT * FROM cpu WHERE ok = true"],
    [
      "SELECT * FROM $m LIMIT $limit",
      { m: { identifier: "shapes" }, limit: 10 },
      "SELECT * FROM shapes LIMIT 10",
    ],
    [
      "SELECT count($v) FROM $m",
      { v: { identifier: "my_value" }, m: { identifier: "my_m" } },
      "SELECT count(my_value) FROM my_m",
    ],
    [
      "SELECT * FROM cpu WHERE host =~ $re",
      { re: { regex: "^a.*" } },
      "SELECT * FROM cpu WHERE host =~ /^a.*/",
    ],
    [
      "SELECT * FROM cpu WHERE time > now() - $d",
      { d: { duration: "1h" } },
      "SELECT * FROM cpu WHERE time > now() - 1h",
    ],
    [
      "SELECT * FROM $m LIMIT $limit",
      { m: { identifier: "s" }, limit: { integer: "10" } },
      "SELECT * FROM s LIMIT 10",
    ],
    ["CREATE DATABASE $db", { db: { identifier: "mydb" } }, "CREATE DATABASE mydb"],
  ];
  for (const [q, params, want] of cases) {
    assertEquals(formatStatement(parseStatement(q, params)), want, q);
  }
});

Deno.test("bound parameters: missing, empty and unusable values are InfluxDB's errors", () => {
  throws(() => parseQuery("SELECT * FROM cpu WHERE host = $host"), {
    message: "missing parameter: host",
  });
  throws(() => parseQuery("SELECT * FROM cpu WHERE host = $$"), {
    message: "empty bound parameter",
  });
  throws(() => parseQuery("SELECT * FROM cpu WHERE host = $h", { h: [1] }), {
    message: "unable to bind parameter with type []interface {}",
  });
});
