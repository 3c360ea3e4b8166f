/**
 * The CPU side of a write: resolve each point's series and fields against the index (new
 * ones are created in memory, refused points introduce nothing), encode the accepted points
 * into a WAL record, and after the commit append them to the cache.
 */

import type { Point } from "../models/point.ts";
import type { Cache } from "./cache.ts";
import type { PointError } from "./errors.ts";
import { type Mutation, setMutation } from "./commit_batcher.ts";
import { fieldKey, NEXT_FIELD_ID_KEY, NEXT_SERIES_ID_KEY, seriesKey } from "./key_layout.ts";
import {
  type FieldInfo,
  fieldRecord,
  type SeriesIndex,
  type SeriesInfo,
  seriesRecord,
} from "./series_index.ts";
import type { WalRecordWriter } from "./wal_record.ts";

/**
 * Longest series key accepted, in UTF-16 units: a series record (measurement, key, tags)
 * must fit one 64 KiB KV value. Stricter than InfluxDB's 65535-byte limit.
 */
export const MAX_SERIES_KEY = 15_000;

/** A batch resolved against the index and encoded into the writer. */
export interface PreparedBatch {
  readonly written: number;
  readonly errors: PointError[];
  /** Series and fields this batch introduced (persist with the WAL record). */
  readonly newSeries: SeriesInfo[];
  readonly newFields: FieldInfo[];
  /** Accepted point indexes, their series ids, and their field ids flattened in order. */
  readonly accepted: number[];
  readonly sids: number[];
  readonly fids: number[];
}

/** Resolves and encodes `points` (the writer is reset first). */
export function prepareBatch(
  index: SeriesIndex,
  w: WalRecordWriter,
  points: readonly Point[],
): PreparedBatch {
  w.reset();
  const b: PreparedBatch = {
    written: 0,
    errors: [],
    newSeries: [],
    newFields: [],
    accepted: [],
    sids: [],
    fids: [],
  };
  const fids: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const fields = p.fields;
    if (fields.length === 0) {
      b.errors.push({ kind: "no_fields", index: i, message: "missing fields" });
      continue;
    }
    if (p.key.length > MAX_SERIES_KEY) {
      b.errors.push({
        kind: "series_key_too_long",
        index: i,
        message: `max key length exceeded: ${p.key.length} > ${MAX_SERIES_KEY}`,
      });
      continue;
    }
    const created = b.newFields.length;
    let ok = true;
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      const known = index.lookupField(p.measurement, f.key);
      if (known !== undefined && known.type === f.type) {
        fids[j] = known.id;
        continue;
      }
      const r = index.resolveField(p.measurement, f.key, f.type);
      if (r instanceof Error) {
        b.errors.push({
          kind: "field_type_conflict",
          index: i,
          message: r.message,
          measurement: p.measurement,
          field: f.key,
        });
        ok = false;
        break;
      }
      if (r.created) b.newFields.push(r.field);
      fids[j] = r.field.id;
    }
    if (!ok) {
      // A refused point introduces no fields.
      for (const f of b.newFields.splice(created)) index.removeField(f.id);
      continue;
    }
    let s = index.seriesByKey(p.key);
    if (s === undefined) {
      s = index.createSeries(p.measurement, p.key, p.tags);
      b.newSeries.push(s);
    }
    w.point(s.id, p.time, fields.length);
    for (let j = 0; j < fields.length; j++) {
      w.field(fids[j], fields[j].type, fields[j].value);
      b.fids.push(fids[j]);
    }
    b.accepted.push(i);
    b.sids.push(s.id);
  }
  return { ...b, written: w.pointCount };
}

/** Forgets the series and fields a batch created (its commit failed). */
export function rollbackBatch(index: SeriesIndex, b: PreparedBatch): void {
  for (const s of b.newSeries) index.removeSeries(s.id);
  for (const f of b.newFields) index.removeField(f.id);
}

/** Appends a committed batch's values to the cache. */
export function applyBatch(cache: Cache, points: readonly Point[], b: PreparedBatch): void {
  let k = 0;
  for (let a = 0; a < b.accepted.length; a++) {
    const p = points[b.accepted[a]];
    cache.appendPoint(b.sids[a], p.time, p.fields, b.fids, k);
    k += p.fields.length;
  }
}

/** The KV records of the series and fields a batch introduced (committed with its WAL record). */
export function indexMutations(index: SeriesIndex, b: PreparedBatch): Mutation[] {
  const out: Mutation[] = [];
  for (const f of b.newFields) {
    const bytes = f.key.length * 3 + f.measurement.length * 3 + 16;
    out.push(setMutation(fieldKey(f.id), fieldRecord(f), bytes));
  }
  for (const s of b.newSeries) {
    const r = seriesRecord(s);
    let bytes = 8;
    for (const x of r) bytes += x.length * 3 + 4;
    out.push(setMutation(seriesKey(s.id), r, bytes));
  }
  if (b.newSeries.length > 0) {
    out.push(setMutation(NEXT_SERIES_ID_KEY, index.nextSeriesId, 16));
  }
  if (b.newFields.length > 0) out.push(setMutation(NEXT_FIELD_ID_KEY, index.nextFieldId, 16));
  return out;
}
