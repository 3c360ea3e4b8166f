import assert from "node:assert/strict";
import {
  DAY_NS,
  HOUR_NS,
  MAX_NANO_TIME,
  normalisedShardDuration,
  shardGroupDuration,
  shardGroupRange,
  shardGroupStart,
} from "../../src/meta/mod.ts";
import { T0 } from "./fixtures.ts";

const MINUTE = 60_000_000_000n;

Deno.test("shardGroupDuration follows InfluxDB's thresholds", () => {
  assert.equal(shardGroupDuration(0n), 7n * DAY_NS);
  assert.equal(shardGroupDuration(HOUR_NS), HOUR_NS);
  assert.equal(shardGroupDuration(2n * DAY_NS - 1n), HOUR_NS);
  assert.equal(shardGroupDuration(2n * DAY_NS), DAY_NS);
  assert.equal(shardGroupDuration(180n * DAY_NS - 1n), DAY_NS);
  assert.equal(shardGroupDuration(180n * DAY_NS), 7n * DAY_NS);
  assert.equal(normalisedShardDuration(0n, 3n * DAY_NS), DAY_NS);
  assert.equal(normalisedShardDuration(MINUTE, 0n), HOUR_NS);
  assert.equal(normalisedShardDuration(5n * HOUR_NS, 0n), 5n * HOUR_NS);
});

Deno.test("hour and day groups align to the Unix epoch", () => {
  assert.equal(shardGroupStart(T0 + 90n * MINUTE, HOUR_NS), T0 + HOUR_NS);
  assert.equal(shardGroupStart(T0 + 5n * HOUR_NS, DAY_NS), T0);
  assert.equal(shardGroupStart(T0, DAY_NS), T0);
  assert.equal(shardGroupStart(T0 - 1n, DAY_NS), T0 - DAY_NS);
  assert.equal(shardGroupStart(-1n, HOUR_NS), -HOUR_NS);
  assert.equal(shardGroupStart(0n, HOUR_NS), 0n);
});

Deno.test("week groups start on Mondays, as Go's Time.Truncate makes them", () => {
  // 2024-01-01 is a Monday; 1970-01-01 was a Thursday, so its group starts 1969-12-29.
  assert.equal(shardGroupStart(T0 + 3n * DAY_NS, 7n * DAY_NS), T0);
  assert.equal(shardGroupStart(T0 + 7n * DAY_NS - 1n, 7n * DAY_NS), T0);
  assert.equal(shardGroupStart(T0 - 1n, 7n * DAY_NS), T0 - 7n * DAY_NS);
  assert.equal(shardGroupStart(0n, 7n * DAY_NS), -3n * DAY_NS);
});

Deno.test("a group's end is clipped to MaxNanoTime + 1", () => {
  const { start, end } = shardGroupRange(MAX_NANO_TIME, 7n * DAY_NS);
  assert.ok(start <= MAX_NANO_TIME);
  assert.equal(end, MAX_NANO_TIME + 1n);
  assert.deepEqual(shardGroupRange(T0 + 1n, HOUR_NS), { start: T0, end: T0 + HOUR_NS });
});

Deno.test("shardGroupStart rejects a non-positive duration", () => {
  assert.throws(() => shardGroupStart(0n, 0n), RangeError);
});
