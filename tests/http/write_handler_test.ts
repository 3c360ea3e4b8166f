import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";

const gzip = (s: string) => new Uint8Array(gzipSync(s)) as Uint8Array<ArrayBuffer>;
import { WriteError, type WriteRequest } from "../../src/cluster/points_writer.ts";
import { createDataApi } from "../../src/http/mod.ts";

function api(
  outcome: (
    r: WriteRequest,
  ) => Promise<{ written: number; dropped: number; reason: string | null }>,
) {
  // What each request carried, copied: the handler frees a batch's columns once written.
  const seen: (WriteRequest & { times: bigint[] })[] = [];
  const app = createDataApi({
    write: {
      writePoints: (r) => {
        seen.push({ ...r, times: [...r.points.times] });
        return outcome(r);
      },
      maxBodySize: 1024,
      now: () => 1_000_000_000n,
    },
  });
  return { app, seen };
}

const ok = (r: WriteRequest) =>
  Promise.resolve({ written: r.points.length, dropped: 0, reason: null });

async function post(
  app: ReturnType<typeof createDataApi>,
  query: string,
  body: BodyInit,
  headers = {},
) {
  const res = await app.request(`/write?${query}`, { method: "POST", body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

Deno.test("a good batch is answered 204 and precision scales timestamps", async () => {
  const { app, seen } = api(ok);
  const r = await post(app, "db=db&precision=s", "cpu,host=a v=1 10\ncpu,host=b v=2");
  assert.equal(r.status, 204);
  assert.deepEqual(seen[0].times, [10_000_000_000n, 1_000_000_000n], "no timestamp: now");
  assert.equal(seen[0].points.length, 2);
  assert.equal(seen[0].consistency, "one");
});

Deno.test("missing db, bad precision and bad consistency are 400 with InfluxDB's text", async () => {
  const { app } = api(ok);
  assert.deepEqual((await post(app, "", "cpu v=1")).body, { error: "database is required" });
  const p = await post(app, "db=d&precision=x", "cpu v=1");
  assert.equal(p.status, 400);
  assert.match(p.body.error, /invalid precision "x"/);
  const c = await post(app, "db=d&consistency=most", "cpu v=1");
  assert.deepEqual(c.body, { error: "invalid consistency level" });
});

Deno.test("a batch with only bad lines is a 400 naming each line", async () => {
  const { app, seen } = api(ok);
  const r = await post(app, "db=d", "cpu\ncpu v=");
  assert.equal(r.status, 400);
  assert.equal(seen.length, 0);
  assert.equal(
    r.body.error,
    "unable to parse 'cpu': missing fields\nunable to parse 'cpu v=': missing field value",
  );
  assert.ok(!r.headers.get("X-Influxdb-Error")!.includes("\n"));
});

Deno.test("good lines are written and bad ones reported as a partial write", async () => {
  const { app, seen } = api(ok);
  const r = await post(app, "db=d", "cpu v=1 1\ncpu v= 2\ncpu v=3 3");
  assert.equal(r.status, 400);
  assert.equal(seen[0].points.length, 2);
  assert.equal(
    r.body.error,
    "partial write: unable to parse 'cpu v= 2': missing field value dropped=1",
  );
});

Deno.test("points dropped by the writer are a partial write with its reason", async () => {
  const { app } = api(() =>
    Promise.resolve({ written: 1, dropped: 2, reason: "points beyond retention policy" })
  );
  const r = await post(app, "db=d", "cpu v=1 1");
  assert.deepEqual(r.body, { error: "partial write: points beyond retention policy dropped=2" });
});

Deno.test("writer errors keep their status: 404 for an unknown database", async () => {
  const { app } = api(() => Promise.reject(new WriteError(404, 'database not found: "x"')));
  const r = await post(app, "db=x", "cpu v=1");
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { error: 'database not found: "x"' });
});

Deno.test("a body over the limit is 413, plain or gzip", async () => {
  const { app, seen } = api(ok);
  const big = "cpu v=1\n".repeat(200);
  assert.equal((await post(app, "db=d", big)).status, 413);
  const z = await post(app, "db=d", gzip(big), { "Content-Encoding": "gzip" });
  assert.equal(z.status, 413);
  assert.deepEqual(z.body, { error: "http: request body too large" });
  assert.equal(seen.length, 0);
});

Deno.test("gzip bodies are accepted; a broken gzip body is a 400", async () => {
  const { app, seen } = api(ok);
  const r = await post(app, "db=d", gzip("cpu v=1 1\n"), { "Content-Encoding": "gzip" });
  assert.equal(r.status, 204);
  assert.equal(seen[0].points.length, 1);
  const bad = await post(app, "db=d", "not gzip", { "Content-Encoding": "gzip" });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /invalid gzip body/);
});

Deno.test("/ping answers 204 with InfluxDB's headers", async () => {
  const { app } = api(ok);
  const res = await app.request("/ping");
  assert.equal(res.status, 204);
  assert.ok(res.headers.get("X-Influxdb-Version"));
  assert.ok(res.headers.get("X-Request-Id"));
});
