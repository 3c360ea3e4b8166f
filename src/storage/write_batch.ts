/**
 * The CPU side of a write: resolve each point's series and fields against the index (new
 * ones are created in memory, refused points introduce nothing), encode the accepted points
 * into a WAL record, and after the commit append them to the cache.
 */

import { FIELD_TYPE_NAMES, type PointBatch, timeWords } from "../models/point_batch.ts";
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

const UNRESOLVED = -1;
const TYPE_COUNT = FIELD_TYPE_NAMES.length;

/**
 * Resolves and encodes the points of `batch` listed in `selection` (all when null; the
 * writer is reset first). Each distinct series and (measurement, field key, type) of the
 * batch is looked up in the index once, not once per point.
 */
export function prepareBatch(
  index: SeriesIndex,
  w: WalRecordWriter,
  batch: PointBatch,
  selection: Int32Array | null = null,
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
  const nKeys = batch.fieldKeys.length;
  // Per batch series: its id (or UNRESOLVED) and its measurement's field id table, indexed by
  // key * TYPE_COUNT + type code.
  const sidOf = new Int32Array(batch.series.length).fill(UNRESOLVED);
  const fidTables = new Map<string, Int32Array>();
  const tableOf: (Int32Array | undefined)[] = new Array(batch.series.length);
  const fids = b.fids;
  const count = selection === null ? batch.length : selection.length;
  for (let n = 0; n < count; n++) {
    const i = selection === null ? n : selection[n];
    const fs = batch.fieldStart[i];
    const fe = batch.fieldStart[i + 1];
    const si = batch.seriesOf[i];
    const series = batch.series[si];
    if (fe === fs) {
      b.errors.push({ kind: "no_fields", index: i, message: "missing fields" });
      continue;
    }
    if (series.key.length > MAX_SERIES_KEY) {
      b.errors.push({
        kind: "series_key_too_long",
        index: i,
        message: `max key length exceeded: ${series.key.length} > ${MAX_SERIES_KEY}`,
      });
      continue;
    }
    let table = tableOf[si];
    if (table === undefined) {
      table = fidTables.get(series.measurement);
      if (table === undefined) {
        table = new Int32Array(nKeys * TYPE_COUNT).fill(UNRESOLVED);
        fidTables.set(series.measurement, table);
      }
      tableOf[si] = table;
    }
    const mark = fids.length;
    const created = b.newFields.length;
    let ok = true;
    for (let f = fs; f < fe; f++) {
      const slot = batch.fieldKeyOf[f] * TYPE_COUNT + batch.fieldTypes[f];
      let fid = table[slot];
      if (fid === UNRESOLVED) {
        const key = batch.fieldKeys[batch.fieldKeyOf[f]];
        const type = FIELD_TYPE_NAMES[batch.fieldTypes[f]];
        const r = index.resolveField(series.measurement, key, type);
        if (r instanceof Error) {
          b.errors.push({
            kind: "field_type_conflict",
            index: i,
            message: r.message,
            measurement: series.measurement,
            field: key,
          });
          ok = false;
          break;
        }
        if (r.created) b.newFields.push(r.field);
        fid = table[slot] = r.field.id;
      }
      fids.push(fid);
    }
    if (!ok) {
      // A refused point introduces no fields, and nothing resolved for it stays cached.
      fids.length = mark;
      for (const f of b.newFields.splice(created)) {
        index.removeField(f.id);
        for (let k = 0; k < table.length; k++) if (table[k] === f.id) table[k] = UNRESOLVED;
      }
      continue;
    }
    let sid = sidOf[si];
    if (sid === UNRESOLVED) {
      let s = index.seriesByKey(series.key);
      if (s === undefined) {
        s = index.createSeries(series.measurement, series.key, series.tags);
        b.newSeries.push(s);
      }
      sid = sidOf[si] = s.id;
    }
    w.point(sid, batch.times[i], fe - fs);
    for (let f = fs, k = mark; f < fe; f++, k++) w.batchField(fids[k], batch, f);
    b.accepted.push(i);
    b.sids.push(sid);
  }
  return { ...b, written: w.pointCount };
}

/** Forgets the series and fields a batch created (its commit failed). */
export function rollbackBatch(index: SeriesIndex, b: PreparedBatch): void {
  for (const s of b.newSeries) index.removeSeries(s.id);
  for (const f of b.newFields) index.removeField(f.id);
}

/** Appends a committed batch's values to the cache. */
export function applyBatch(cache: Cache, batch: PointBatch, b: PreparedBatch): void {
  const words = timeWords(batch);
  let k = 0;
  for (let a = 0; a < b.accepted.length; a++) {
    const i = b.accepted[a];
    const fs = batch.fieldStart[i];
    const fe = batch.fieldStart[i + 1];
    cache.appendBatchPoint(b.sids[a], i, batch, words, fs, fe, b.fids, k);
    k += fe - fs;
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
