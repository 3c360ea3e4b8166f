import assert from "node:assert/strict";
import { batchOf, parsePointBatch, parsePoints, pointsOf } from "../../src/models/mod.ts";
import { decodeWalRecord, WalRecordWriter } from "../../src/storage/wal_record.ts";

const enc = new TextEncoder();
const opts = { precision: "ns" as const, now: 0n };

Deno.test("point batch: batchOf and pointsOf are inverse, repeated field keys keep the last value", () => {
  const text = 'm,t=a f=1.5,i=-3i,u=18446744073709551615u,b=T,s="x",f=2 5\n' +
    'm,t=b f=-0 6\nn s="" 7';
  const points = parsePoints(enc.encode(text), opts).points;
  assert.deepEqual(points[0].fields.map((f) => [f.key, f.value]), [
    ["f", 2],
    ["i", -3n],
    ["u", 18446744073709551615n],
    ["b", true],
    ["s", "x"],
  ]);
  assert.deepEqual(pointsOf(batchOf(points)), points);
  assert.ok(Object.is(points[1].fields[0].value, -0));
});

Deno.test("point batch: the parser records exact decimal places, never for -0 or long numbers", () => {
  const values = ["62.16", "0.001", "-7", "-0.0", "1e3", "123456789012345678", "1.23456"];
  const { batch } = parsePointBatch(
    enc.encode(values.map((v, i) => `m v=${v} ${i}`).join("\n")),
    opts,
  );
  assert.deepEqual([...batch.places], [2, 3, 0, -1, -1, -1, 5]);
  // The WAL stores them bit for bit either way.
  const w = new WalRecordWriter();
  w.reset();
  for (let i = 0; i < batch.length; i++) {
    w.point(1, BigInt(i), 1);
    w.batchField(1, batch, i);
  }
  const got: unknown[] = [];
  decodeWalRecord(w.finish().slice(), (_s, _t, _f, _type, v) => got.push(v));
  assert.equal(got.length, values.length);
  got.forEach((v, i) => assert.ok(Object.is(v, batch.numbers[i]), `${values[i]}: ${v}`));
});

Deno.test("point batch: decimal values read in the scan equal Number() of their text", () => {
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const texts: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const int = String(rnd(10 ** (1 + rnd(8))));
    const frac = rnd(3) === 0 ? "" : "." + String(rnd(10 ** (1 + rnd(7)))).padStart(rnd(6), "0");
    texts.push((rnd(2) ? "-" : "") + int + frac);
  }
  texts.push("0.", ".5", "-.5", "000123.4500", "999999999999999", "-0", "-0.000");
  const { batch, errors } = parsePointBatch(
    enc.encode(texts.map((t, i) => `m v=${t} ${i}`).join("\n")),
    opts,
  );
  assert.deepEqual(errors, []);
  texts.forEach((t, i) => assert.ok(Object.is(batch.numbers[i], Number(t)), t));
});
