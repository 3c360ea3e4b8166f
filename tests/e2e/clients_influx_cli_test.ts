/**
 * The `influx` 1.x CLI (Debian's influxdb-client) against a real Chronoraft process: what a
 * user types and what they see. Expected output was recorded from InfluxDB 1.6.7 (run these
 * with CHRONORAFT_CLIENTS_TARGET=influxd to check it again).
 */
import assert from "node:assert/strict";
import { type Target, withTarget } from "./fixtures/clients/target.ts";

function findInflux(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin").split(":")) {
    try {
      if (Deno.statSync(`${dir}/influx`).isFile) return `${dir}/influx`;
    } catch { /* not here */ }
  }
  return null;
}

const INFLUX = findInflux();
const IMPORT_FILE = new URL("./fixtures/clients/influx_import.txt", import.meta.url).pathname;
if (!INFLUX) {
  console.log(
    "clients_influx_cli_test: skipped, the influx CLI is not installed " +
      "(apt-get install influxdb-client; .ci/run does it)",
  );
}

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `influx -host H -port P <args>` with HOME in the test's directory. */
async function influx(target: Target, ...args: string[]): Promise<CliRun> {
  const out = await new Deno.Command(INFLUX!, {
    args: ["-host", target.host, "-port", String(target.port), ...args],
    env: { HOME: target.dir },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs one `-execute` against database `clidb`, with extra flags before it. */
function exec(target: Target, q: string, ...flags: string[]): Promise<CliRun> {
  return influx(target, "-database", "clidb", ...flags, "-execute", q);
}

function ok(run: CliRun, stdout: string): void {
  assert.equal(run.stdout, stdout, `stderr: ${run.stderr}`);
  assert.equal(run.code, 0, `stderr: ${run.stderr}`);
}

/** Drops internal databases (`_internal` when a server monitors itself) from a name list. */
function userDatabases(lines: string[]): string[] {
  return lines.filter((l) => !l.startsWith("_"));
}

Deno.test({
  name: "influx CLI: CREATE DATABASE, INSERT, SELECT and SHOW against a Chronoraft node",
  ignore: INFLUX === null,
  fn: async (t) => {
    await withTarget(async (target) => {
      await t.step("-execute 'CREATE DATABASE clidb' prints nothing and exits 0", async () => {
        ok(await influx(target, "-execute", "CREATE DATABASE clidb"), "");
        // Creating it again is not an error (Telegraf and scripts rely on that).
        ok(await influx(target, "-execute", "CREATE DATABASE clidb"), "");
      });

      await t.step("INSERT sends line protocol to /write and prints nothing", async () => {
        const lines = [
          'cpu,host=a value=1.5,n=3i,s="hi",b=true 1600000000000000000',
          'cpu,host=b value=2.5,n=4i,s="yo",b=false 1600000010000000000',
          "mem,host=a used=10i 1600000000000000000",
        ];
        for (const line of lines) ok(await exec(target, `INSERT ${line}`), "");
      });

      await t.step("SELECT * in the default column format", async () => {
        ok(
          await exec(target, "SELECT * FROM cpu"),
          [
            "name: cpu",
            "time                b     host n s  value",
            "----                -     ---- - -  -----",
            "1600000000000000000 true  a    3 hi 1.5",
            "1600000010000000000 false b    4 yo 2.5",
            "",
          ].join("\n"),
        );
      });

      await t.step("SELECT * with -format json", async () => {
        const run = await exec(target, "SELECT * FROM cpu", "-format", "json");
        ok(
          run,
          '{"results":[{"series":[{"name":"cpu","columns":["time","b","host","n","s","value"],' +
            '"values":[[1600000000000000000,true,"a",3,"hi",1.5],' +
            '[1600000010000000000,false,"b",4,"yo",2.5]]}]}]}\n',
        );
      });

      await t.step("SELECT with -format csv and -precision rfc3339", async () => {
        ok(
          await exec(target, "SELECT * FROM cpu", "-format", "csv"),
          "name,time,b,host,n,s,value\n" +
            "cpu,1600000000000000000,true,a,3,hi,1.5\n" +
            "cpu,1600000010000000000,false,b,4,yo,2.5\n",
        );
        ok(
          await exec(target, "SELECT value FROM cpu", "-precision", "rfc3339"),
          [
            "name: cpu",
            "time                 value",
            "----                 -----",
            "2020-09-13T12:26:40Z 1.5",
            "2020-09-13T12:26:50Z 2.5",
            "",
          ].join("\n"),
        );
      });

      await t.step("SELECT … GROUP BY host prints one table per series with its tags", async () => {
        ok(
          await exec(target, "SELECT * FROM cpu GROUP BY host"),
          [
            "name: cpu",
            "tags: host=a",
            "time                b    n s  value",
            "----                -    - -  -----",
            "1600000000000000000 true 3 hi 1.5",
            "",
            "name: cpu",
            "tags: host=b",
            "time                b     n s  value",
            "----                -     - -  -----",
            "1600000010000000000 false 4 yo 2.5",
            "",
          ].join("\n"),
        );
      });

      await t.step("an aggregate over time windows", async () => {
        ok(
          await exec(
            target,
            "SELECT mean(value) FROM cpu WHERE time >= 1600000000000000000 AND " +
              "time < 1600000020000000000 GROUP BY time(10s)",
          ),
          [
            "name: cpu",
            "time                mean",
            "----                ----",
            "1600000000000000000 1.5",
            "1600000010000000000 2.5",
            "",
          ].join("\n"),
        );
      });

      await t.step("SHOW DATABASES, column and json", async () => {
        const run = await influx(target, "-execute", "SHOW DATABASES");
        assert.equal(run.code, 0, run.stderr);
        const lines = run.stdout.split("\n");
        assert.deepEqual(lines.slice(0, 3), ["name: databases", "name", "----"], run.stdout);
        assert.deepEqual(userDatabases(lines.slice(3)), ["clidb", ""], run.stdout);

        const json = await influx(target, "-format", "json", "-execute", "SHOW DATABASES");
        assert.equal(json.code, 0, json.stderr);
        const body = JSON.parse(json.stdout);
        const series = body.results[0].series[0];
        assert.equal(series.name, "databases");
        assert.deepEqual(series.columns, ["name"]);
        assert.deepEqual(userDatabases(series.values.map((v: string[]) => v[0])), ["clidb"]);
      });

      await t.step("SHOW MEASUREMENTS, column, json and -pretty", async () => {
        ok(await exec(target, "SHOW MEASUREMENTS"), "name: measurements\nname\n----\ncpu\nmem\n");
        ok(
          await exec(target, "SHOW MEASUREMENTS", "-format", "json"),
          '{"results":[{"series":[{"name":"measurements","columns":["name"],' +
            '"values":[["cpu"],["mem"]]}]}]}\n',
        );
        const pretty = await exec(target, "SHOW MEASUREMENTS", "-format", "json", "-pretty");
        assert.equal(pretty.code, 0, pretty.stderr);
        assert.deepEqual(JSON.parse(pretty.stdout), {
          results: [{
            series: [{ name: "measurements", columns: ["name"], values: [["cpu"], ["mem"]] }],
          }],
        });
        assert.match(pretty.stdout, /^\{\n {4}"results": \[/);
      });

      await t.step("several statements in one -execute give one result each", async () => {
        ok(
          await exec(target, "SELECT count(value) FROM cpu; SHOW MEASUREMENTS", "-format", "json"),
          '{"results":[{"series":[{"name":"cpu","columns":["time","count"],"values":[[0,2]]}]},' +
            '{"series":[{"name":"measurements","columns":["name"],"values":[["cpu"],["mem"]]}]}]}\n',
        );
      });

      await t.step("SHOW TAG KEYS, TAG VALUES, FIELD KEYS and SERIES in columns", async () => {
        ok(
          await exec(target, "SHOW TAG KEYS"),
          "name: cpu\ntagKey\n------\nhost\n\nname: mem\ntagKey\n------\nhost\n",
        );
        ok(
          await exec(target, "SHOW TAG VALUES WITH KEY = host"),
          [
            "name: cpu",
            "key  value",
            "---  -----",
            "host a",
            "host b",
            "",
            "name: mem",
            "key  value",
            "---  -----",
            "host a",
            "",
          ].join("\n"),
        );
        ok(
          await exec(target, "SHOW FIELD KEYS FROM cpu"),
          [
            "name: cpu",
            "fieldKey fieldType",
            "-------- ---------",
            "b        boolean",
            "n        integer",
            "s        string",
            "value    float",
            "",
          ].join("\n"),
        );
        ok(await exec(target, "SHOW SERIES"), "key\n---\ncpu,host=a\ncpu,host=b\nmem,host=a\n");
      });

      await t.step(
        "a measurement with no data prints nothing (json: an empty result)",
        async () => {
          ok(await exec(target, "SELECT * FROM nothing"), "");
          ok(await exec(target, "SELECT * FROM nothing", "-format", "json"), '{"results":[{}]}\n');
        },
      );

      await t.step(
        "12 000 rows arrive in chunks of 10 000 (the CLI asks chunked=true)",
        async () => {
          const lines = Array.from(
            { length: 12_000 },
            (_, i) => `big v=${i}i ${1_600_000_000 + i}`,
          );
          const res = await fetch(`${target.url}/write?db=clidb&precision=s`, {
            method: "POST",
            body: lines.join("\n"),
          });
          assert.equal(res.status, 204, await res.text());

          const table = await exec(target, "SELECT v FROM big");
          assert.equal(table.code, 0, table.stderr);
          const out = table.stdout.split("\n");
          assert.deepEqual(out.slice(0, 4), [
            "name: big",
            "time                v",
            "----                -",
            "1600000000000000000 0",
          ]);
          assert.equal(out.length, 12_004, "one table: header, 12 000 rows, final newline");
          assert.equal(out[12_002], "1600011999000000000 11999");

          const json = await exec(target, "SELECT v FROM big", "-format", "json");
          assert.equal(json.code, 0, json.stderr);
          const chunks = JSON.parse(json.stdout).results.map(
            (r: { series: { values: unknown[] }[] }) => r.series.map((s) => s.values.length),
          );
          assert.deepEqual(chunks, [[10_000], [2_000]]);
        },
      );

      await t.step("-precision s: INSERT and SELECT in seconds; DROP MEASUREMENT", async () => {
        const db = (q: string, ...flags: string[]) =>
          influx(target, "-database", "precdb", ...flags, "-execute", q);
        ok(await influx(target, "-execute", "CREATE DATABASE precdb"), "");
        ok(await db("INSERT cpu,host=a value=7 1600000000", "-precision", "s"), "");
        ok(
          await db("SELECT * FROM cpu", "-precision", "s"),
          "name: cpu\ntime       host value\n----       ---- -----\n1600000000 a    7\n",
        );
        ok(
          await db("SELECT * FROM cpu", "-precision", "ms", "-format", "json"),
          '{"results":[{"series":[{"name":"cpu","columns":["time","host","value"],' +
            '"values":[[1600000000000,"a",7]]}]}]}\n',
        );
        ok(await db("DROP MEASUREMENT cpu"), "");
        ok(await db("SHOW MEASUREMENTS", "-format", "json"), '{"results":[{}]}\n');
      });

      await t.step(
        "CREATE DATABASE … WITH DURATION, SHOW RETENTION POLICIES, DROP DATABASE",
        async () => {
          ok(
            await influx(
              target,
              "-execute",
              "CREATE DATABASE rpdb WITH DURATION 7d REPLICATION 1 SHARD DURATION 1d NAME week",
            ),
            "",
          );
          ok(
            await influx(target, "-database", "rpdb", "-execute", "SHOW RETENTION POLICIES"),
            [
              "name duration shardGroupDuration replicaN default",
              "---- -------- ------------------ -------- -------",
              "week 168h0m0s 24h0m0s            1        true",
              "",
            ].join("\n"),
          );
          ok(await influx(target, "-execute", "DROP DATABASE rpdb"), "");
          ok(await influx(target, "-execute", "DROP DATABASE precdb"), "");
          const left = await influx(target, "-execute", "SHOW DATABASES");
          assert.deepEqual(userDatabases(left.stdout.split("\n").slice(3)), ["clidb", ""]);
        },
      );

      await t.step("-import of a file with DDL and DML sections, -precision=s", async () => {
        const run = await influx(target, "-import", `-path=${IMPORT_FILE}`, "-precision=s");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, "");
        // Go's log prefix: "2006/01/02 15:04:05 ".
        const log = run.stdout.split("\n").map((l) => l.replace(/^\S+ \S+ /, ""));
        assert.deepEqual(log, [
          "Processed 2 commands",
          "Processed 3 inserts",
          "Failed 0 inserts",
          "",
        ]);
        const db = (q: string, ...flags: string[]) =>
          influx(target, "-database", "importdb", ...flags, "-execute", q);
        ok(
          await db("SELECT * FROM cpu", "-precision", "s"),
          "name: cpu\ntime       host value\n----       ---- -----\n" +
            "1600000000 a    1\n1600000010 b    2\n",
        );
        ok(
          await db("SHOW RETENTION POLICIES"),
          [
            "name    duration shardGroupDuration replicaN default",
            "----    -------- ------------------ -------- -------",
            "autogen 0s       168h0m0s           1        true",
            "oneday  24h0m0s  1h0m0s             1        false",
            "",
          ].join("\n"),
        );
        ok(await influx(target, "-execute", "DROP DATABASE importdb"), "");
      });

      await t.step("errors a user sees: ERR lines, exit status 1 for query errors", async () => {
        const missing = await influx(target, "-database", "nope", "-execute", "SELECT * FROM cpu");
        assert.equal(missing.stdout, "ERR: database not found: nope\n");
        assert.equal(missing.code, 1);

        const parse = await exec(target, "SELEC 1");
        assert.equal(
          parse.stdout,
          "ERR: error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, " +
            "EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1\n",
        );
        assert.equal(parse.code, 1);
      });

      await t.step("write errors a user sees after INSERT (the CLI exits 0 for them)", async () => {
        ok(
          await influx(target, "-database", "nope", "-execute", "INSERT cpu value=1 1"),
          'ERR: {"error":"database not found: \\"nope\\""}\n\n',
        );
        ok(
          await exec(target, 'INSERT cpu value="str" 1600000000000000000'),
          'ERR: {"error":"partial write: field type conflict: input field \\"value\\" on ' +
            'measurement \\"cpu\\" is type string, already exists as type float dropped=1"}\n\n',
        );
      });
    });
  },
});
