import assert from "node:assert/strict";
import type { FieldType, FieldValue } from "../../src/models/point.ts";
import { decodeWalRecord, WalRecordWriter } from "../../src/storage/wal_record.ts";

Deno.test("wal record: every value kind round-trips, including extremes", () => {
  const w = new WalRecordWriter();
  w.reset();
  const fields: [number, FieldType, FieldValue][] = [
    [1, "float", -0],
    [2, "float", NaN],
    [3, "integer", 0n],
    [4, "integer", -1n],
    [5, "integer", 4503599627370496n],
    [6, "integer", -4503599627370497n],
    [7, "integer", 9223372036854775807n],
    [8, "integer", -9223372036854775808n],
    [9, "unsigned", 18446744073709551615n],
    [10, "boolean", true],
    [11, "string", ""],
    [12, "string", "ünïcødé ✓ " + "x".repeat(300)],
  ];
  w.point(300, -123n, fields.length);
  for (const [id, t, v] of fields) w.field(id, t, v);
  w.point(1, 9223372036854775806n, 1);
  w.field(2_000_000, "boolean", false);
  const got: [number, bigint, number, FieldType, FieldValue][] = [];
  const n = decodeWalRecord(w.finish().slice(), (...args) => got.push(args));
  assert.equal(n, 2);
  assert.deepEqual(got, [
    ...fields.map(([id, t, v]) => [300, -123n, id, t, v]),
    [1, 9223372036854775806n, 2_000_000, "boolean", false],
  ]);
});

Deno.test("wal record: truncation and garbage are CorruptRecordError, never a crash", () => {
  const w = new WalRecordWriter();
  w.reset();
  w.point(1, 1n, 2);
  w.field(1, "string", "hello");
  w.field(2, "float", 1.5);
  const body = w.finish().slice();
  for (let cut = 0; cut < body.length; cut++) {
    assert.throws(() => decodeWalRecord(body.subarray(0, cut), () => {}), {
      name: "CorruptRecordError",
    });
  }
  assert.throws(
    () => decodeWalRecord(new Uint8Array([1, 0x81, 0x80, 0x80, 0x80, 0, 9]), () => {}),
    {
      name: "CorruptRecordError",
    },
  );
});

Deno.test("wal record: floats come back bit for bit, short decimals in few bytes", () => {
  const floats = [
    62.16,
    -0.5,
    0,
    -0,
    1e-5,
    0.1 + 0.2,
    123456789.1234,
    2 ** 52,
    -(2 ** 50),
    Infinity,
    -Infinity,
    NaN,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    99.99999,
  ];
  const w = new WalRecordWriter();
  w.reset();
  w.point(1, 5n, floats.length);
  floats.forEach((v, i) => w.field(i, "float", v));
  const got: number[] = [];
  decodeWalRecord(w.finish().slice(), (_s, _t, _f, type, v) => {
    assert.equal(type, "float");
    got.push(v as number);
  });
  assert.equal(got.length, floats.length);
  floats.forEach((v, i) => assert.ok(Object.is(got[i], v), `${v} came back as ${got[i]}`));

  // 1,000 two-decimal values: under 5 bytes each with field id and type, not 10.
  w.reset();
  w.point(1, 5n, 1000);
  for (let i = 0; i < 1000; i++) w.field(1, "float", Math.round(i * 7.31) / 100);
  assert.ok(w.finish().length < 5000, `${w.finish().length} bytes`);
});
