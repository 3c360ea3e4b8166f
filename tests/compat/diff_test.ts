import assert from "node:assert/strict";
import { diffReplies, errorsIn, numbersAgree, type Reply, shapeOnly } from "./diff.ts";

const json = (body: unknown, status = 200): Reply => ({
  status,
  contentType: "application/json",
  body: typeof body === "string" ? body : JSON.stringify(body),
});

Deno.test("numbers: integers exactly (beyond 2^53), floats within 1e-9 relative", () => {
  assert.ok(numbersAgree("9007199254740993", "9007199254740993"));
  assert.ok(!numbersAgree("9007199254740993", "9007199254740992"));
  assert.ok(numbersAgree("40.817089820359286", "40.817089820359264"));
  assert.ok(!numbersAgree("40.8170898", "40.8170899"));
  assert.ok(numbersAgree("1e-15", "0"));
  assert.ok(!numbersAgree("1", "2"));
});

Deno.test("diff: equal replies have no differences; paths name what differs", () => {
  const a = { results: [{ statement_id: 0, series: [{ name: "cpu", values: [[1, 2.5]] }] }] };
  assert.deepEqual(diffReplies(json(a), json(a)), []);
  const b = { results: [{ statement_id: 0, series: [{ name: "cpu", values: [[1, 3.5]] }] }] };
  assert.deepEqual(diffReplies(json(a), json(b)), [
    { path: "[0].results[0].series[0].values[0][1]", influxdb: "2.5", chronoraft: "3.5" },
  ]);
});

Deno.test("diff: status, missing keys, lengths and chunked documents are compared", () => {
  const d = diffReplies(json({ error: "x" }, 400), json({ results: [] }, 200));
  assert.deepEqual(d.map((x) => x.path), ["status", "[0].error", "[0].results"]);
  const chunked = json('{"results":[{"statement_id":0}]}\n{"results":[{"statement_id":1}]}\n');
  const one = json('{"results":[{"statement_id":0}]}\n');
  assert.deepEqual(diffReplies(chunked, one).map((x) => x.path), [".length"]);
  const big = json('{"v":9007199254740993}');
  assert.equal(diffReplies(big, json('{"v":9007199254740992}')).length, 1);
});

Deno.test("diff: CSV cell by cell with number tolerance; shape ignores values", () => {
  const csv = (body: string): Reply => ({ status: 200, contentType: "application/csv", body });
  assert.deepEqual(diffReplies(csv("name,v\ncpu,1.0000000000001\n"), csv("name,v\ncpu,1\n")), []);
  assert.equal(diffReplies(csv("name,v\ncpu,a\n"), csv("name,v\ncpu,b\n")).length, 1);
  const s = (owners: string) =>
    json({
      results: [{
        statement_id: 0,
        series: [{ name: "db", columns: ["id", "owners"], values: [[1, owners]] }],
      }],
    });
  assert.deepEqual(diffReplies(shapeOnly(s("")), shapeOnly(s("1"))), []);
});

Deno.test("errorsIn finds top-level and per-statement errors", () => {
  assert.deepEqual(errorsIn(json({ error: "bad" }, 400)), ["bad"]);
  assert.deepEqual(
    errorsIn(json({ results: [{ statement_id: 0 }, { statement_id: 1, error: "no" }] })),
    ["no"],
  );
  assert.deepEqual(errorsIn(json({ results: [{ statement_id: 0 }] })), []);
});
