/** Shared helpers for storage tests: temp shards, point builders, reading everything back. */

import { BlockReadCache } from "../../src/storage/block_read_cache.ts";
import type { Field, FieldType, FieldValue, Point, Tag } from "../../src/models/point.ts";
import {
  Shard,
  type ShardOptions,
  type StorageLogger,
  tagPredicate,
} from "../../src/storage/mod.ts";

/** Builds a point; tags are sorted and the series key built like InfluxDB's (no escaping needed here). */
export function pt(
  measurement: string,
  tags: Record<string, string>,
  fields: Record<string, FieldValue>,
  time: bigint,
): Point {
  const t: Tag[] = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fs: Field[] = Object.entries(fields).map(([key, value]) => ({
    key,
    type: typeOf(value),
    value,
  }));
  const key = measurement + t.map(([k, v]) => `,${k}=${v}`).join("");
  return { measurement, tags: t, key, fields: fs, time };
}

function typeOf(v: FieldValue): FieldType {
  if (typeof v === "number") return "float";
  if (typeof v === "bigint") return v > 9223372036854775807n ? "unsigned" : "integer";
  if (typeof v === "boolean") return "boolean";
  return "string";
}

/** A point with an explicit unsigned field. */
export function unsignedPt(measurement: string, field: string, value: bigint, time: bigint): Point {
  const p = pt(measurement, {}, { [field]: value }, time);
  return { ...p, fields: [{ key: field, type: "unsigned", value }] };
}

/** A logger that records what it was told. */
export class MemoryLogger implements StorageLogger {
  readonly warnings: { message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  readonly infos: string[] = [];
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.warnings.push({ message, fields });
  }
  info(message: string): void {
    this.infos.push(message);
  }
}

/** Runs `fn` with a fresh temp dir, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "chronoraft-storage-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Opens a shard in `dir` with background compaction off unless asked for. */
export async function openShard(dir: string, opts: Partial<ShardOptions> = {}): Promise<Shard> {
  // Every storage test reads through a read cache, so its invalidation is tested everywhere.
  const readCache = new BlockReadCache(8 * 1024 * 1024);
  const s = new Shard({ dir, autoCompact: false, readCache, ...opts });
  await s.open();
  return s;
}

/** Every (time, value) of one field of one series, via the reader. */
export async function readField(
  shard: Shard,
  measurement: string,
  seriesKey: string,
  field: string,
  min = -9223372036854775806n,
  max = 9223372036854775806n,
): Promise<[bigint, FieldValue][]> {
  const s = shard.reader.series(measurement).find((x) => x.key === seriesKey);
  if (s === undefined) return [];
  const out: [bigint, FieldValue][] = [];
  for await (const c of shard.reader.columns(s, field, min, max)) {
    for (let i = 0; i < c.times.length; i++) out.push([c.times[i], c.values[i]]);
  }
  return out;
}

/** All rows of all series of a measurement as plain data, for deep comparison. */
export async function dump(
  shard: Shard,
  measurement: string,
  fields: string[],
): Promise<Record<string, [bigint, ...(FieldValue | null)[]][]>> {
  const out: Record<string, [bigint, ...(FieldValue | null)[]][]> = {};
  const all = shard.reader.points(
    measurement,
    tagPredicate.all(),
    fields,
    -9223372036854775806n,
    9223372036854775806n,
  );
  for (const s of all) {
    const rows: [bigint, ...(FieldValue | null)[]][] = [];
    for await (const r of s.rows()) rows.push([r.time, ...r.values]);
    out[s.series.key] = rows;
  }
  return out;
}

/** Size in bytes of every file under `dir`. */
export async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    n += e.isDirectory ? await dirBytes(p) : (await Deno.stat(p)).size;
  }
  return n;
}

/**
 * The values of one field of one series read newest segment first (`segmentsDescending`),
 * put back in ascending order so they compare with `readField`.
 */
export async function readFieldDescending(
  shard: Shard,
  measurement: string,
  seriesKey: string,
  field: string,
  min = -9223372036854775806n,
  max = 9223372036854775806n,
): Promise<[bigint, FieldValue][]> {
  const s = shard.reader.series(measurement).find((x) => x.key === seriesKey);
  if (s === undefined) return [];
  const parts: [bigint, FieldValue][][] = [];
  let newer: bigint | undefined;
  for await (const seg of shard.reader.segmentsDescending(s, field, min, max)) {
    const c = seg.column();
    const part: [bigint, FieldValue][] = [];
    for (let i = 0; i < c.times.length; i++) part.push([c.times[i], c.values[i]]);
    if (part.length > 0) {
      if (newer !== undefined && part[part.length - 1][0] >= newer) {
        throw new Error(`segments out of order: ${part[part.length - 1][0]} after ${newer}`);
      }
      newer = part[0][0];
    }
    parts.push(part);
  }
  return parts.reverse().flat();
}
