/**
 * The npm `influx` client library (node-influx 5.12.0) against a real Chronoraft process: it
 * creates a database, writes points with tags and every field type, reads them back with
 * `query` and `queryRaw`, and lists databases, measurements and series. Expectations were
 * checked against InfluxDB 1.6.7 (CHRONORAFT_CLIENTS_TARGET=influxd).
 */
import assert from "node:assert/strict";
import { FieldType, InfluxDB, type IPoint } from "influx";
import { withTarget } from "./fixtures/clients/target.ts";

const T0 = 1_600_000_000_000; // ms: 2020-09-13T12:26:40Z

const POINTS: IPoint[] = [
  {
    measurement: "weather",
    tags: { city: "paris", country: "fr" },
    fields: { temp: 12.5, humidity: 81, sunny: true, note: "mild" },
    timestamp: new Date(T0),
  },
  {
    measurement: "weather",
    tags: { city: "oslo", country: "no" },
    fields: { temp: -3.25, humidity: 90, sunny: false, note: 'cold, "brr"' },
    timestamp: new Date(T0 + 60_000),
  },
  {
    measurement: "weather",
    tags: { city: "new york", country: "us" },
    fields: { temp: 20, humidity: 40, sunny: true, note: "warm =)" },
    timestamp: new Date(T0 + 120_000),
  },
];

function client(host: string, port: number): InfluxDB {
  return new InfluxDB({
    host,
    port,
    database: "npmdb",
    schema: [{
      measurement: "weather",
      tags: ["city", "country"],
      fields: {
        temp: FieldType.FLOAT,
        humidity: FieldType.INTEGER,
        sunny: FieldType.BOOLEAN,
        note: FieldType.STRING,
      },
    }],
  });
}

Deno.test({
  name: "npm influx@5.12.0: create, write, query, queryRaw and list against a Chronoraft node",
  fn: async (t) => {
    await withTarget(async (target) => {
      const influx = client(target.host, target.port);

      await t.step("ping: the host is online and reports a version", async () => {
        const [host] = await influx.ping(5_000);
        assert.equal(host.online, true);
        assert.equal(typeof host.version, "string");
        assert.ok(host.version.length > 0);
      });

      await t.step("createDatabase, then getDatabaseNames lists it", async () => {
        assert.ok(!(await influx.getDatabaseNames()).includes("npmdb"));
        await influx.createDatabase("npmdb");
        await influx.createDatabase("npmdb"); // idempotent, as InfluxDB's CREATE DATABASE is
        const names = await influx.getDatabaseNames();
        assert.ok(names.includes("npmdb"), JSON.stringify(names));
      });

      await t.step("writePoints: tags, float/int/bool/string fields, escapes", async () => {
        await influx.writePoints(POINTS);
        // Nanosecond timestamps as strings, through writeMeasurement with a precision.
        await influx.writeMeasurement("counter", [
          { tags: { host: "a" }, fields: { n: 1 }, timestamp: `${T0}000001` },
          { tags: { host: "a" }, fields: { n: 2 }, timestamp: `${T0}000002` },
        ], { precision: "n" });
      });

      await t.step("query: rows with Date times, typed fields and tags", async () => {
        const rows = await influx.query<Record<string, unknown>>(
          "SELECT * FROM weather ORDER BY time ASC",
        );
        assert.equal(rows.length, 3);
        const plain = rows.map(({ time, ...rest }) => ({
          time: (time as Date).toISOString(),
          ...rest,
        }));
        assert.deepEqual(plain, [
          {
            time: "2020-09-13T12:26:40.000Z",
            city: "paris",
            country: "fr",
            humidity: 81,
            note: "mild",
            sunny: true,
            temp: 12.5,
          },
          {
            time: "2020-09-13T12:27:40.000Z",
            city: "oslo",
            country: "no",
            humidity: 90,
            note: 'cold, "brr"',
            sunny: false,
            temp: -3.25,
          },
          {
            time: "2020-09-13T12:28:40.000Z",
            city: "new york",
            country: "us",
            humidity: 40,
            note: "warm =)",
            sunny: true,
            temp: 20,
          },
        ]);
        const groups = rows.groups();
        assert.equal(groups.length, 1);
        assert.equal(groups[0].name, "weather");
      });

      await t.step("query: nanosecond times survive (INanoDate)", async () => {
        const rows = await influx.query<{ time: { getNanoTime(): string }; n: number }>(
          "SELECT n FROM counter",
        );
        assert.deepEqual(
          rows.map((r) => [r.time.getNanoTime(), r.n]),
          [[`${T0}000001`, 1], [`${T0}000002`, 2]],
        );
      });

      await t.step("query: GROUP BY a tag gives one group per series", async () => {
        const rows = await influx.query<{ mean: number; city: string }>(
          "SELECT mean(temp) FROM weather GROUP BY city",
        );
        assert.deepEqual(rows.map((r) => [r.city, r.mean]), [
          ["new york", 20],
          ["oslo", -3.25],
          ["paris", 12.5],
        ]);
        assert.deepEqual(rows.groups().map((g) => g.tags), [
          { city: "new york" },
          { city: "oslo" },
          { city: "paris" },
        ]);
      });

      await t.step("query: bind parameters (placeholders) and POST", async () => {
        const rows = await influx.query<{ temp: number }>(
          "SELECT temp FROM weather WHERE city = $city AND temp > $min",
          { placeholders: { city: "paris", min: 0 } },
        );
        assert.deepEqual(rows.map((r) => r.temp), [12.5]);
        const posted = await influx.query<{ count: number }>(
          "SELECT count(temp) FROM weather",
          { method: "POST" },
        );
        assert.deepEqual(posted.map((r) => r.count), [3]);
      });

      await t.step("query: several statements give one result set each", async () => {
        const [counts, values] = await influx.query<Record<string, unknown>>([
          "SELECT count(humidity) FROM weather",
          "SHOW TAG VALUES FROM weather WITH KEY = country",
        ]);
        assert.deepEqual(counts.map((r) => r.count), [3]);
        assert.deepEqual(values.map((r) => [r.key, r.value]), [
          ["country", "fr"],
          ["country", "no"],
          ["country", "us"],
        ]);
      });

      await t.step("queryRaw: InfluxDB's JSON verbatim, RFC3339 and epoch=ms times", async () => {
        assert.deepEqual(
          await influx.queryRaw("SELECT temp FROM weather WHERE city = 'oslo'"),
          {
            results: [{
              statement_id: 0,
              series: [{
                name: "weather",
                columns: ["time", "temp"],
                values: [["2020-09-13T12:27:40Z", -3.25]],
              }],
            }],
          },
        );
        assert.deepEqual(
          await influx.queryRaw("SELECT humidity FROM weather", { precision: "ms" }),
          {
            results: [{
              statement_id: 0,
              series: [{
                name: "weather",
                columns: ["time", "humidity"],
                values: [[T0, 81], [T0 + 60_000, 90], [T0 + 120_000, 40]],
              }],
            }],
          },
        );
      });

      await t.step("getMeasurements and getSeries", async () => {
        assert.deepEqual(await influx.getMeasurements(), ["counter", "weather"]);
        assert.deepEqual(await influx.getSeries({ measurement: "weather" }), [
          "weather,city=new\\ york,country=us",
          "weather,city=oslo,country=no",
          "weather,city=paris,country=fr",
        ]);
      });

      await t.step("retention policies: create, show, write into one, drop", async () => {
        await influx.createRetentionPolicy("short", {
          database: "npmdb",
          duration: "2h",
          replication: 1,
        });
        const rps = await influx.showRetentionPolicies("npmdb");
        assert.deepEqual(rps.map((r) => ({ ...r })), [
          {
            name: "autogen",
            duration: "0s",
            shardGroupDuration: "168h0m0s",
            replicaN: 1,
            default: true,
          },
          {
            name: "short",
            duration: "2h0m0s",
            shardGroupDuration: "1h0m0s",
            replicaN: 1,
            default: false,
          },
        ]);
        // Points inside the policy's duration: written "now" as the server sees it.
        await influx.writePoints([{ measurement: "recent", fields: { x: 1 } }], {
          retentionPolicy: "short",
        });
        const rows = await influx.query<{ x: number }>('SELECT x FROM "short"."recent"');
        assert.deepEqual(rows.map((r) => r.x), [1]);
        await influx.dropMeasurement("recent");
        await influx.dropRetentionPolicy("short", "npmdb");
        assert.deepEqual((await influx.showRetentionPolicies("npmdb")).map((r) => r.name), [
          "autogen",
        ]);
      });

      await t.step("dropSeries and dropMeasurement", async () => {
        await influx.dropSeries({ measurement: "weather", where: `"city" = 'oslo'` });
        assert.deepEqual(await influx.getSeries({ measurement: "weather" }), [
          "weather,city=new\\ york,country=us",
          "weather,city=paris,country=fr",
        ]);
        await influx.dropMeasurement("counter");
        assert.deepEqual(await influx.getMeasurements(), ["weather"]);
      });

      await t.step("errors reject with InfluxDB's text", async () => {
        await assert.rejects(
          influx.query("SELECT * FROM weather", { database: "nope" }),
          /database not found: nope/,
        );
        await assert.rejects(
          influx.query("SELEC 1"),
          /400 Bad Request.*error parsing query: found SELEC, expected SELECT/,
        );
      });

      await t.step("dropDatabase removes it from the list", async () => {
        await influx.dropDatabase("npmdb");
        assert.ok(!(await influx.getDatabaseNames()).includes("npmdb"));
      });
    });
  },
});
