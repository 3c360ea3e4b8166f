/**
 * The read interface the query engine uses: series selection through the index, and per
 * (series, field) time-ordered segments merged from blocks and cache (last write wins), read
 * a few blocks at a time and decoded only when asked.
 */

import type { FieldType, FieldValue } from "../models/point.ts";
import type { BlockStore, StoredBlock } from "./block_store.ts";
import type { Cache } from "./cache.ts";
import {
  type Column,
  emptyColumn,
  lowerBound,
  makeColumn,
  mergeColumns,
  newValues,
  rangeColumn,
  sliceColumn,
} from "./column.ts";
import type { TagPredicate } from "./predicate.ts";
import type { FieldInfo, SeriesIndex, SeriesInfo } from "./series_index.ts";
import { ColumnCursor } from "../util/column_cursor.ts";

/** What the reader needs from a shard (a `Pick` so tests can pass plain objects). */
export interface ReadableShard {
  readonly index: SeriesIndex;
  readonly blocks: BlockStore;
  readonly cache: Cache;
  readonly snapshots: readonly Cache[];
}

/**
 * A time-ordered piece of one (series, field): a stored block (merged with any cached
 * values inside its range) or cached values between blocks. Segments of one cursor never
 * overlap. `count` is exact without decoding when `exact` is true (a whole block fully
 * inside the range with no cached values over it), which lets `count()` skip decoding.
 */
export interface Segment {
  readonly source: "block" | "cache";
  readonly min: bigint;
  readonly max: bigint;
  readonly count: number;
  readonly exact: boolean;
  /** The values (decodes the block on first call). */
  column(): Column;
}

/** One row of a multi-field read: `values[i]` belongs to `fields[i]`, null when absent. */
export interface Row {
  readonly time: bigint;
  readonly values: (FieldValue | null)[];
}

/** A series and its rows for a multi-field read. */
export interface SeriesRows {
  readonly series: SeriesInfo;
  readonly fields: readonly (FieldInfo | undefined)[];
  rows(): AsyncGenerator<Row>;
}

/** Read access to one shard. */
export class ShardReader {
  constructor(private readonly shard: ReadableShard) {}

  /** Measurement names, sorted. */
  measurements(): string[] {
    return this.shard.index.measurements();
  }

  /** Series of `measurement` matching `predicate`, sorted by key. */
  series(measurement: string, predicate: TagPredicate = { kind: "all" }): SeriesInfo[] {
    return this.shard.index.matchSeries(measurement, predicate);
  }

  /** Series keys of `measurement` matching `predicate`, sorted. */
  seriesKeys(measurement: string, predicate: TagPredicate = { kind: "all" }): string[] {
    return this.series(measurement, predicate).map((s) => s.key);
  }

  /** Tag keys of `measurement`, sorted. */
  tagKeys(measurement: string, predicate?: TagPredicate): string[] {
    return this.shard.index.tagKeys(measurement, predicate);
  }

  /** Values of tag `key`, sorted. */
  tagValues(measurement: string, key: string, predicate?: TagPredicate): readonly string[] {
    return this.shard.index.tagValues(measurement, key, predicate);
  }

  /** Field keys and types of `measurement`, sorted by key. */
  fieldKeys(measurement: string): { key: string; type: FieldType }[] {
    return this.shard.index.fieldKeys(measurement).map((f) => ({ key: f.key, type: f.type }));
  }

  /**
   * Time-ordered segments of (series, field) within `[min, max]`. Reads blocks lazily by key
   * range; cached values are captured when the iteration starts.
   */
  async *segments(
    series: SeriesInfo,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<Segment> {
    const f = this.shard.index.fieldByName(series.measurement, field);
    if (f === undefined || min > max) return;
    const mem = this.cached(series.id, f, min, max);
    const mt = mem.times;
    let mi = 0;
    let after = min - 1n; // everything ≤ after was emitted; guards against a concurrent rewrite
    for await (const b of this.shard.blocks.blocks(series.id, f.id, min, max)) {
      if (b.max <= after) continue;
      const j = lowerBound(mt, b.min);
      if (j > mi) {
        yield cacheSegment(sliceColumn(mem, mi, j));
        mi = j;
      }
      const k = b.max >= 9223372036854775807n ? mt.length : lowerBound(mt, b.max + 1n);
      const overlay = sliceColumn(mem, mi, k);
      mi = k;
      const lo = after + 1n > min ? after + 1n : min;
      yield blockSegment(this.shard.blocks, b, lo, max, overlay);
      after = b.max;
    }
    if (mi < mt.length) yield cacheSegment(sliceColumn(mem, mi, mt.length));
  }

  /**
   * The segments of `segments()` newest first (each still ascending inside). When the store
   * knows the newest block, the values cached after it and then that block's newest value
   * (which compaction remembers) come first without any KV read, so last() reads no block.
   */
  async *segmentsDescending(
    series: SeriesInfo,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<Segment> {
    const f = this.shard.index.fieldByName(series.measurement, field);
    if (f === undefined || min > max) return;
    const mem = this.cached(series.id, f, min, max);
    const mt = mem.times;
    let mi = mt.length; // cached values at [mi, length) were emitted
    let before = max + 1n; // everything ≥ before was emitted
    const blocks = this.shard.blocks;
    const last = blocks.knownLast(series.id, f.id);
    if (last !== undefined) {
      const j = last === null ? 0 : lowerBound(mt, last.max + 1n);
      if (j < mi) {
        yield cacheSegment(sliceColumn(mem, j, mi));
        before = mt[j];
        mi = j;
      }
      const t = last?.max;
      if (last?.newest !== undefined && t !== undefined && t >= min && t <= max && t < before) {
        // The newest stored value, remembered by compaction: a one-value segment, no read.
        const k = lowerBound(mt, t);
        const col = mergeColumns(pointColumn(f.type, t, last.newest), sliceColumn(mem, k, mi));
        mi = k;
        before = t;
        yield { source: "block", min: t, max: t, count: 1, exact: true, column: () => col };
      }
    }
    // A compaction may move values into a block with a later key, one this walk has passed
    // already (ascending walks never lose values that way). So a walk that sees a commit land
    // starts over below what it emitted, in the state after that commit.
    for (let again = true; again && before > min;) {
      again = false;
      const seen = await blocks.writes.stableCount();
      for await (const b of blocks.blocksDescending(series.id, f.id, min, before - 1n)) {
        if (blocks.writes.count !== seen) {
          again = true;
          break;
        }
        if (b.min >= before) continue; // guards against a concurrent rewrite
        const k = lowerBound(mt, b.max + 1n);
        if (k < mi) {
          yield cacheSegment(sliceColumn(mem, k, mi));
          before = mt[k];
          mi = k;
        }
        const j = Math.min(lowerBound(mt, b.min), mi);
        const overlay = sliceColumn(mem, j, mi);
        mi = j;
        const hi = b.max < before ? b.max : before - 1n;
        yield blockSegment(blocks, b, min, hi, overlay);
        before = b.min > min ? b.min : min;
      }
    }
    if (mi > 0) yield cacheSegment(sliceColumn(mem, 0, mi));
  }

  /** The values of (series, field) within `[min, max]`, as column batches in time order. */
  async *columns(
    series: SeriesInfo,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<Column> {
    for await (const s of this.segments(series, field, min, max)) {
      const c = s.column();
      if (c.times.length > 0) yield c;
    }
  }

  /**
   * Rows of `fields` for every series of `measurement` matching `predicate`, in series-key
   * order; each series' rows come in time order with null where a field has no value.
   */
  points(
    measurement: string,
    predicate: TagPredicate,
    fields: readonly string[],
    min: bigint,
    max: bigint,
  ): SeriesRows[] {
    const index = this.shard.index;
    const infos = fields.map((f) => index.fieldByName(measurement, f));
    return this.series(measurement, predicate).map((series) => ({
      series,
      fields: infos,
      rows: () => this.rows(series, fields, min, max),
    }));
  }

  private async *rows(
    series: SeriesInfo,
    fields: readonly string[],
    min: bigint,
    max: bigint,
  ): AsyncGenerator<Row> {
    const cursors = fields.map((f) =>
      new ColumnCursor<FieldValue>(this.columns(series, f, min, max))
    );
    for (const c of cursors) await c.fill();
    while (true) {
      let t: bigint | undefined;
      for (const c of cursors) {
        const ct = c.time();
        if (ct !== undefined && (t === undefined || ct < t)) t = ct;
      }
      if (t === undefined) return;
      const values: (FieldValue | null)[] = new Array(cursors.length);
      for (let i = 0; i < cursors.length; i++) {
        const c = cursors[i];
        if (c.time() === t) {
          values[i] = c.value();
          await c.advance();
        } else {
          values[i] = null;
        }
      }
      yield { time: t, values };
    }
  }

  private cached(sid: number, f: FieldInfo, min: bigint, max: bigint): Column {
    let out: Column = emptyColumn(f.type);
    for (const c of [...this.shard.snapshots, this.shard.cache]) {
      const e = c.get(sid, f.id);
      if (e !== undefined && e.type === f.type) out = mergeColumns(out, e.range(min, max));
    }
    return out;
  }
}

function pointColumn(type: FieldType, time: bigint, value: FieldValue): Column {
  const values = newValues(type, 1);
  values[0] = value as never;
  return makeColumn(type, BigInt64Array.of(time), values);
}

/**
 * Block `b` clipped to `[lo, hi]`, with the cached values `overlay` (inside it) written over
 * it; decoded only when asked, and exact (its count usable unread) when nothing clips it.
 */
function blockSegment(
  blocks: BlockStore,
  b: StoredBlock,
  lo: bigint,
  hi: bigint,
  overlay: Column,
): Segment {
  const whole = b.min >= lo && b.max <= hi && overlay.times.length === 0;
  let decoded: Column | undefined;
  return {
    source: "block",
    min: b.min > lo ? b.min : lo,
    max: b.max < hi ? b.max : hi,
    count: whole ? b.count : 0,
    exact: whole,
    column(): Column {
      if (decoded === undefined) {
        const c = rangeColumn(blocks.decode(b), lo, hi);
        decoded = c.type === overlay.type ? mergeColumns(c, overlay) : overlay;
      }
      return decoded;
    },
  };
}

function cacheSegment(c: Column): Segment {
  const n = c.times.length;
  return {
    source: "cache",
    min: c.times[0],
    max: c.times[n - 1],
    count: n,
    exact: true,
    column: () => c,
  };
}
