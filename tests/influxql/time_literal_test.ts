import assert from "node:assert/strict";
import { formatRFC3339Nano, parseTimeString } from "../../src/influxql/mod.ts";

Deno.test("formatRFC3339Nano writes Go's RFC3339Nano in UTC, fraction trimmed", () => {
  const cases: [bigint, string][] = [
    [0n, "1970-01-01T00:00:00Z"],
    [1n, "1970-01-01T00:00:00.000000001Z"],
    [-1n, "1969-12-31T23:59:59.999999999Z"],
    [500_000_000n, "1970-01-01T00:00:00.5Z"],
    [1_451_606_460_120_000_000n, "2016-01-01T00:01:00.12Z"],
    [1_451_692_799_000_000_000n, "2016-01-01T23:59:59Z"],
    [-86_400_000_000_000n, "1969-12-31T00:00:00Z"],
    [9_223_372_036_854_775_807n, "2262-04-11T23:47:16.854775807Z"],
    [-9_223_372_036_854_775_808n, "1677-09-21T00:12:43.145224192Z"],
  ];
  for (const [ns, want] of cases) assert.equal(formatRFC3339Nano(ns), want, String(ns));
});

Deno.test("formatRFC3339Nano and parseTimeString round-trip across days", () => {
  // Alternating days exercises the remembered day prefix.
  for (let i = 0; i < 2000; i++) {
    const ns = BigInt(i % 2 === 0 ? i : -i) * 86_399_999_999_937n + BigInt(i * 7919);
    assert.equal(parseTimeString(formatRFC3339Nano(ns)), ns);
  }
});
