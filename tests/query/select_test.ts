import assert from "node:assert/strict";
import { s, withNode } from "./helpers.ts";

const DATA = [
  "cpu,host=a,region=west v=1,i=10i 0",
  "cpu,host=a,region=west v=2,i=20i 5000000000",
  "cpu,host=b,region=east v=4,i=40i 5000000000",
  "cpu,host=b,region=east v=8,i=80i 12000000000",
  "cpu,host=a,region=west v=16,i=160i 25000000000",
].join("\n");

Deno.test("raw select merges series by time", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const [r] = await n.query("SELECT v, host FROM cpu");
    assert.deepEqual(r.series, [{
      name: "cpu",
      columns: ["time", "v", "host"],
      values: [
        [0n, 1, "a"],
        // Equal times from two series come out in InfluxDB's merge-heap order.
        [s(5), 4, "b"],
        [s(5), 2, "a"],
        [s(12), 8, "b"],
        [s(25), 16, "a"],
      ],
    }]);
  });
});

Deno.test("mean GROUP BY time(10s) over [0, 30s) gives three buckets", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const [r] = await n.query(
      "SELECT mean(v) FROM cpu WHERE time >= 0 AND time < 30s GROUP BY time(10s)",
    );
    assert.deepEqual(r.series?.[0].values, [[0n, 7 / 3], [s(10), 8], [s(20), 16]]);
  });
});

Deno.test("count in empty windows is 0 under fill(null); other aggregates are null", async () => {
  await withNode(async (n) => {
    await n.write(DATA);
    const [r] = await n.query(
      "SELECT count(v), max(v) FROM cpu WHERE time >= 0 AND time < 40s GROUP BY time(10s)",
    );
    assert.deepEqual(r.series?.[0].columns, ["time", "count", "max"]);
    assert.deepEqual(r.series?.[0].values, [
      [0n, 3n, 4],
      [s(10), 1n, 8],
      [s(20), 1n, 16],
      [s(30), 0n, null],
    ]);
  });
});
