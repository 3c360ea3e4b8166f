import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  groupByInterval,
  groupByOffset,
  parseStatement,
  type SelectStatement,
} from "../../src/influxql/mod.ts";

const sel = (q: string) => parseStatement(q) as SelectStatement;
const M = 60_000_000_000n;

Deno.test("groupByInterval/groupByOffset: GROUP BY time(interval[, offset])", () => {
  assertEquals(groupByInterval(sel("SELECT mean(v) FROM m GROUP BY time(5m)")), 5n * M);
  assertEquals(groupByInterval(sel("SELECT mean(v) FROM m GROUP BY host")), 0n);
  assertEquals(groupByOffset(sel("SELECT mean(v) FROM m GROUP BY time(5m, 7m)")), 2n * M);
  assertEquals(groupByOffset(sel("SELECT mean(v) FROM m GROUP BY time(5m, -1m)")), -1n * M);
  assertEquals(groupByOffset(sel("SELECT mean(v) FROM m GROUP BY time(5m)")), 0n);
  assertEquals(groupByInterval(sel("SELECT mean(v) FROM m GROUP BY time(host)")), {
    error: "time dimension must have duration argument",
  });
  assertEquals(groupByOffset(sel("SELECT mean(v) FROM m GROUP BY time(5m, host)")), {
    error: "invalid time dimension offset: host",
  });
});
