/**
 * A replay of the HTTP requests Telegraf's influxdb output and Grafana's InfluxDB (InfluxQL)
 * data source send, against a real Chronoraft process, asserting the answers those tools
 * read: status codes, JSON shapes, epoch integers, error strings they match on. Request
 * shapes follow telegraf plugins/outputs/influxdb/http.go and grafana pkg/tsdb/influxdb
 * (createRequest, healthcheck); answers were checked against InfluxDB 1.6.7
 * (CHRONORAFT_CLIENTS_TARGET=influxd).
 */
import assert from "node:assert/strict";
import {
  expectedMeanPer10s,
  expectedMeanPerMinuteHostA,
  grafanaLines,
  isGap,
  START_MS,
  valueA,
  valueB,
} from "./fixtures/clients/grafana_data.ts";
import {
  assertOk,
  grafana,
  OK_EMPTY,
  series,
  TELEGRAF_UA,
  telegrafQuery,
  telegrafWrite,
} from "./fixtures/clients/replay.ts";
import { readAnswer, withTarget } from "./fixtures/clients/target.ts";

const BATCH = new URL("./fixtures/clients/telegraf_batch.lp", import.meta.url);

Deno.test("Telegraf and Grafana request replays against a Chronoraft node", async (t) => {
  await withTarget(async (target) => {
    // ---- Telegraf (outputs.influxdb) ----
    await t.step("telegraf: /ping answers 204 with a version header (GET and HEAD)", async () => {
      for (const method of ["GET", "HEAD"]) {
        const res = await fetch(`${target.url}/ping`, {
          method,
          headers: { "User-Agent": TELEGRAF_UA },
        });
        assert.equal(await res.text(), "");
        assert.equal(res.status, 204);
        assert.ok(res.headers.get("X-Influxdb-Version"));
      }
    });

    await t.step('telegraf: form POST q=CREATE DATABASE "telegraf", twice', async () => {
      assertOk(await telegrafQuery(target, 'CREATE DATABASE "telegraf"'), OK_EMPTY);
      // Telegraf sends it again after every restart and on "database not found".
      assertOk(await telegrafQuery(target, 'CREATE DATABASE "telegraf"'), OK_EMPTY);
    });

    await t.step("telegraf: gzip batch to /write?db=telegraf&precision=ns → 204", async () => {
      const batch = await Deno.readTextFile(BATCH);
      const res = await telegrafWrite(target, "db=telegraf&precision=ns&consistency=any", batch);
      assert.equal(res.body, "");
      assert.equal(res.status, 204);
      // content_encoding = "identity" sends the same body uncompressed.
      const plain = "net,host=web-1,interface=eth0 bytes_recv=1000i,bytes_sent=2000i " +
        "1600000000000000000\n";
      assert.equal((await telegrafWrite(target, "db=telegraf", plain, "identity")).status, 204);
      // retention_policy = "autogen" names the default policy explicitly.
      const net2 = plain.replace("1600000000000000000", "1600000010000000000")
        .replace("1000i", "1500i").replace("2000i", "2600i");
      assert.equal((await telegrafWrite(target, "db=telegraf&rp=autogen", net2)).status, 204);
    });

    await t.step("telegraf: a full 1000-metric batch (metric_batch_size) → 204", async () => {
      const lines = Array.from(
        { length: 1000 },
        (_, i) =>
          `procstat,host=web-1,process_name=worker,pid=${1000 + (i % 50)} ` +
          `cpu_usage=${(i % 100) / 4},memory_rss=${4096 * i}i ${START_MS + i}000000`,
      );
      const res = await telegrafWrite(target, "db=telegraf&precision=ns", lines.join("\n") + "\n");
      assert.equal(res.status, 204, JSON.stringify(res.body));
      assertOk(
        await grafana(target, "SELECT count(cpu_usage) FROM procstat", "GET", "telegraf"),
        series({ name: "procstat", columns: ["time", "count"], values: [[0, 1000]] }),
      );
    });

    await t.step("telegraf: the batch reads back with types and escapes intact", async () => {
      assertOk(
        await grafana(target, "SHOW MEASUREMENTS", "GET", "telegraf"),
        series({
          name: "measurements",
          columns: ["name"],
          values: [["cpu"], ["disk"], ["mem"], ["net"], ["procstat"], ["system"]],
        }),
      );
      assertOk(
        await grafana(
          target,
          `SELECT usage_idle, usage_user FROM cpu WHERE cpu = 'cpu-total'`,
          "GET",
          "telegraf",
        ),
        series({
          name: "cpu",
          columns: ["time", "usage_idle", "usage_user"],
          values: [[START_MS, 97.25, 1.5], [START_MS + 10_000, 98.75, 0.5]],
        }),
      );
      assertOk(
        await grafana(target, "SELECT last(used) FROM disk GROUP BY path", "GET", "telegraf"),
        {
          results: [{
            statement_id: 0,
            series: [
              {
                name: "disk",
                tags: { path: "/" },
                columns: ["time", "last"],
                values: [[START_MS + 10_000, 41000000000]],
              },
              {
                name: "disk",
                tags: { path: "/mnt/backup disk" },
                columns: ["time", "last"],
                values: [[START_MS + 10_000, 25000000000]],
              },
            ],
          }],
        },
      );
      assertOk(
        await grafana(target, 'SELECT bytes_recv FROM "autogen"."net"', "GET", "telegraf"),
        series({
          name: "net",
          columns: ["time", "bytes_recv"],
          values: [[START_MS, 1000], [START_MS + 10_000, 1500]],
        }),
      );
      assertOk(
        await grafana(target, "SELECT uptime, uptime_format FROM system", "GET", "telegraf"),
        series({
          name: "system",
          columns: ["time", "uptime", "uptime_format"],
          values: [[START_MS, 1200, "0 days,  0:20"], [START_MS + 10_000, 1210, "0 days,  0:20"]],
        }),
      );
    });

    await t.step("telegraf: the error answers it matches on", async () => {
      const missing = await telegrafWrite(target, "db=nodb", "cpu usage_idle=1\n");
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { error: 'database not found: "nodb"' });

      const conflict = await telegrafWrite(
        target,
        "db=telegraf",
        'cpu,cpu=cpu-total,host=web-1 usage_idle="x" 1600000000000000000\n',
      );
      assert.equal(conflict.status, 400);
      assert.deepEqual(conflict.body, {
        error: 'partial write: field type conflict: input field "usage_idle" on measurement ' +
          '"cpu" is type string, already exists as type float dropped=1',
      });

      const unparsable = await telegrafWrite(
        target,
        "db=telegraf",
        "cpu,cpu=cpu-total,host=web-1 usage_idle=\n",
      );
      assert.equal(unparsable.status, 400);
      assert.deepEqual(unparsable.body, {
        error: "unable to parse 'cpu,cpu=cpu-total,host=web-1 usage_idle=': missing field value",
      });

      // Telegraf logs and drops on this text; InfluxDB 1.6.7 sends it with status 500.
      const rp = await telegrafWrite(target, "db=telegraf&rp=nope", "cpu usage_idle=1\n");
      assert.deepEqual(rp.body, { error: "retention policy not found: nope" });
      assert.ok(rp.status >= 400 && rp.status <= 599, `status ${rp.status}`);

      // A body that is not gzip: a 4xx with an error JSON (Telegraf drops such a batch).
      const res = await fetch(`${target.url}/write?db=telegraf`, {
        method: "POST",
        headers: { "Content-Encoding": "gzip", "User-Agent": TELEGRAF_UA },
        body: "garbage\n",
      });
      const bad = await readAnswer(res);
      assert.equal(bad.status, 400);
      assert.equal(typeof (bad.body as { error?: unknown }).error, "string");
    });

    // ---- Grafana (InfluxDB data source, InfluxQL) ----
    await t.step("grafana: setup — database and one hour of 10 s data", async () => {
      assertOk(await telegrafQuery(target, 'CREATE DATABASE "grafana"'), OK_EMPTY);
      const res = await fetch(`${target.url}/write?db=grafana&precision=s`, {
        method: "POST",
        body: grafanaLines(),
      });
      assert.equal(res.status, 204, await res.text());
    });

    await t.step("grafana: health check `SHOW measurements`, GET and POST", async () => {
      const want = series({
        name: "measurements",
        columns: ["name"],
        values: [["c"], ["m"], ["n"]],
      });
      assertOk(await grafana(target, "SHOW measurements"), want);
      assertOk(await grafana(target, "SHOW measurements", "POST"), want);
    });

    await t.step("grafana: SHOW MEASUREMENTS LIMIT 100 and the =~ search", async () => {
      assertOk(
        await grafana(target, "SHOW MEASUREMENTS LIMIT 100"),
        series({ name: "measurements", columns: ["name"], values: [["c"], ["m"], ["n"]] }),
      );
      assertOk(
        await grafana(target, "SHOW MEASUREMENTS WITH MEASUREMENT =~ /m/ LIMIT 100"),
        series({ name: "measurements", columns: ["name"], values: [["m"]] }),
      );
    });

    await t.step("grafana: SHOW TAG KEYS, with and without FROM", async () => {
      assertOk(
        await grafana(target, "SHOW TAG KEYS"),
        series(
          { name: "c", columns: ["tagKey"], values: [["host"]] },
          { name: "m", columns: ["tagKey"], values: [["host"], ["region"]] },
          { name: "n", columns: ["tagKey"], values: [["host"]] },
        ),
      );
      assertOk(
        await grafana(target, 'SHOW TAG KEYS FROM "m"'),
        series({ name: "m", columns: ["tagKey"], values: [["host"], ["region"]] }),
      );
    });

    await t.step('grafana: SHOW TAG VALUES WITH KEY = "host"', async () => {
      assertOk(
        await grafana(target, 'SHOW TAG VALUES WITH KEY = "host"'),
        series(
          { name: "c", columns: ["key", "value"], values: [["host", "a"]] },
          { name: "m", columns: ["key", "value"], values: [["host", "a"], ["host", "b"]] },
          { name: "n", columns: ["key", "value"], values: [["host", "a"]] },
        ),
      );
      assertOk(
        await grafana(target, 'SHOW TAG VALUES FROM "m" WITH KEY = "region"', "POST"),
        series({
          name: "m",
          columns: ["key", "value"],
          values: [["region", "eu"], ["region", "us"]],
        }),
      );
    });

    await t.step("grafana: SHOW FIELD KEYS and SHOW RETENTION POLICIES", async () => {
      assertOk(
        await grafana(target, "SHOW FIELD KEYS"),
        series(
          { name: "c", columns: ["fieldKey", "fieldType"], values: [["bytes", "integer"]] },
          { name: "m", columns: ["fieldKey", "fieldType"], values: [["v", "float"]] },
          {
            name: "n",
            columns: ["fieldKey", "fieldType"],
            values: [["load", "integer"], ["msg", "string"]],
          },
        ),
      );
      assertOk(
        await grafana(target, 'SHOW RETENTION POLICIES ON "grafana"'),
        series({
          columns: ["name", "duration", "shardGroupDuration", "replicaN", "default"],
          values: [["autogen", "0s", "168h0m0s", 1, true]],
        }),
      );
    });

    const panel = 'SELECT mean("v") FROM "m" WHERE time >= 1600000000000ms and ' +
      "time <= 1600003600000ms GROUP BY time(10s) fill(null)";

    await t.step("grafana: panel query, epoch=ms integers and fill(null), GET", async () => {
      const answer = await grafana(target, panel);
      assertOk(
        answer,
        series({ name: "m", columns: ["time", "mean"], values: expectedMeanPer10s() }),
      );
    });

    await t.step("grafana: the same panel query as a POST form (httpMode POST)", async () => {
      assertOk(
        await grafana(target, panel, "POST"),
        series({ name: "m", columns: ["time", "mean"], values: expectedMeanPer10s() }),
      );
    });

    await t.step("grafana: a tag filter and GROUP BY time(1m), host", async () => {
      const q = `SELECT mean("v") FROM "m" WHERE ("host" = 'a') AND time >= 1600000000000ms ` +
        `and time <= 1600003600000ms GROUP BY time(1m), "host" fill(null)`;
      const want = {
        results: [{
          statement_id: 0,
          series: [{
            name: "m",
            tags: { host: "a" },
            columns: ["time", "mean"],
            values: expectedMeanPerMinuteHostA(),
          }],
        }],
      };
      assertOk(await grafana(target, q), want);
    });

    await t.step(
      "grafana: template variables — chained tag values and a multi-value regex",
      async () => {
        assertOk(
          await grafana(target, `SHOW TAG VALUES FROM "m" WITH KEY = "host" WHERE "region" = 'us'`),
          series({ name: "m", columns: ["key", "value"], values: [["host", "b"]] }),
        );
        const q = `SELECT mean("v") FROM "m" WHERE ("host" =~ /^(a|b)$/) AND ` +
          `time >= 1600000000000ms and time <= 1600000050000ms GROUP BY time(30s), "host" fill(none)`;
        const mean = (f: (i: number) => number, from: number, to: number) => {
          const vs = [];
          for (let i = from; i < to; i++) if (!isGap(i)) vs.push(f(i));
          return vs.reduce((a, b) => a + b, 0) / vs.length;
        };
        // 1600000000000 is 10 s into a 30 s bucket: buckets start on multiples of 30 s.
        const rows = (f: (i: number) => number) => [
          [START_MS - 10_000, mean(f, 0, 2)],
          [START_MS + 20_000, mean(f, 2, 5)],
          [START_MS + 50_000, mean(f, 5, 6)],
        ];
        assertOk(await grafana(target, q), {
          results: [{
            statement_id: 0,
            series: [
              { name: "m", tags: { host: "a" }, columns: ["time", "mean"], values: rows(valueA) },
              { name: "m", tags: { host: "b" }, columns: ["time", "mean"], values: rows(valueB) },
            ],
          }],
        });
      },
    );

    await t.step("grafana: alias and math, last(), ORDER BY time DESC LIMIT", async () => {
      assertOk(
        await grafana(
          target,
          `SELECT mean("v") * 2 AS "double" FROM "m" WHERE ("host" = 'a') AND ` +
            `time >= 1600000000000ms and time <= 1600000020000ms GROUP BY time(10s) fill(null)`,
        ),
        series({
          name: "m",
          columns: ["time", "double"],
          values: [[START_MS, 1], [START_MS + 10_000, 3], [START_MS + 20_000, 5]],
        }),
      );
      assertOk(
        await grafana(
          target,
          `SELECT last("v") FROM "m" WHERE ("host" = 'b') AND time >= 1600000000000ms and ` +
            `time <= 1600003600000ms`,
        ),
        series({ name: "m", columns: ["time", "last"], values: [[START_MS + 3_590_000, 718]] }),
      );
      assertOk(
        await grafana(
          target,
          `SELECT "v" FROM "m" WHERE ("host" = 'a') AND time >= 1600000000000ms and ` +
            `time <= 1600003600000ms ORDER BY time DESC LIMIT 3`,
        ),
        series({
          name: "m",
          columns: ["time", "v"],
          values: [
            [START_MS + 3_590_000, 359.5],
            [START_MS + 3_580_000, 358.5],
            [START_MS + 3_570_000, 357.5],
          ],
        }),
      );
    });

    await t.step("grafana: non_negative_derivative of a counter skips the reset", async () => {
      const values: unknown[][] = [];
      for (let i = 1; i < 30; i++) if (i !== 20) values.push([START_MS + i * 10_000, 100]);
      assertOk(
        await grafana(
          target,
          `SELECT non_negative_derivative(mean("bytes"), 1s) FROM "c" WHERE ` +
            `time >= 1600000000000ms and time <= 1600000290000ms GROUP BY time(10s) fill(null)`,
        ),
        series({ name: "c", columns: ["time", "non_negative_derivative"], values }),
      );
    });

    await t.step("grafana: several targets joined with ';' give one result each", async () => {
      const q = 'SELECT mean("v") FROM "m" WHERE time >= 1600000000000ms and ' +
        'time <= 1600000030000ms GROUP BY time(10s) fill(null);SHOW TAG KEYS FROM "n"';
      assertOk(await grafana(target, q), {
        results: [
          {
            statement_id: 0,
            series: [{
              name: "m",
              columns: ["time", "mean"],
              values: expectedMeanPer10s().slice(0, 4),
            }],
          },
          {
            statement_id: 1,
            series: [{ name: "n", columns: ["tagKey"], values: [["host"]] }],
          },
        ],
      });
    });

    await t.step("grafana: no data is an empty result; a parse error is a 400", async () => {
      assertOk(
        await grafana(
          target,
          'SELECT mean("v") FROM "nothing" WHERE time >= 1600000000000ms and ' +
            "time <= 1600003600000ms GROUP BY time(10s) fill(null)",
        ),
        OK_EMPTY,
      );
      const parse = await grafana(target, "SELECT mean(v) FROM");
      assert.equal(parse.status, 400);
      assert.deepEqual(parse.body, {
        error: "error parsing query: found EOF, expected identifier at line 1, char 21",
      });
    });

    await t.step(
      "grafana: a statement's error comes back inside its result, status 200",
      async () => {
        assertOk(
          await grafana(target, "SELECT mean(v) FROM m WHERE mean(v) > 1 GROUP BY time(10s)"),
          { results: [{ statement_id: 0, error: "invalid function call in condition: mean(v)" }] },
        );
      },
    );
  });
});
