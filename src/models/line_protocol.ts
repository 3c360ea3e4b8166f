import type { Point, Tag } from "./point.ts";
import { type PointBatch, PointBatchBuilder, pointsOf, type SeriesRef } from "./point_batch.ts";
import { type Precision, precisionMultiplier } from "./precision.ts";
import { unescapeMeasurement, unescapeTag } from "./escape.ts";
import { LineScanner, MAX_KEY_LENGTH } from "./line_scan.ts";
import { type FieldReader, plainFields, walkFields } from "./line_fields.ts";
import { parseTimestamp } from "./line_values.ts";
import { detach } from "./string_cache.ts";

export { MAX_NANO_TIME, MIN_NANO_TIME } from "./line_values.ts";

/** Options of `parsePoints`. */
export interface ParseOptions {
  /** Unit of the timestamps in the body. */
  readonly precision: Precision;
  /** Time (ns) given to points without a timestamp; truncated to `precision` as InfluxDB does. */
  readonly now: bigint;
  /** Accept `u` (unsigned) fields. Default true; stock influxd 1.6 rejects them ("invalid number"). */
  readonly unsigned?: boolean;
  /** Longest string field value in bytes. Default 65536 (InfluxDB's documented 64 KiB limit). */
  readonly maxStringFieldBytes?: number;
  /** Drop one `\r` before each line's end (InfluxDB 1.x does not: it reports "bad timestamp"). */
  readonly stripCarriageReturn?: boolean;
}

/** One rejected line. `message` is InfluxDB's text: `unable to parse '<line>': <reason>`. */
export interface LineError {
  /** 1-based number of the line the rejected point starts on. */
  readonly line: number;
  /** The offending line, without leading whitespace or its newline. */
  readonly text: string;
  /** InfluxDB's reason, e.g. `missing fields` or `bad timestamp`. */
  readonly reason: string;
  readonly message: string;
}

/**
 * The points parsed from a body and one error per rejected line, in body order. Points of
 * the same series share one (read-only) `tags` array.
 */
export interface ParseResult {
  readonly points: Point[];
  readonly errors: LineError[];
}

/** A parsed body in columns, and one error per rejected line in body order. */
export interface BatchParseResult {
  readonly batch: PointBatch;
  readonly errors: LineError[];
}

// ignoreBOM keeps a leading BOM as U+FEFF, as InfluxDB keeps those bytes in the name.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
// Raw key text -> parsed series, shared by all bodies (Series are immutable). Cleared when
// full: a simple bound that keeps the steady state of a few thousand live series cheap.
const seriesCache = new Map<string, Series>();
const SERIES_CACHE_MAX = 16384;
// In front of it, a direct-mapped table by a hash of the key bytes, computed in the pass that
// finds the line's end anyway: a hit costs one byte comparison, no substring and no string
// hashing. A miss (new series, or a slot shared by two series) falls back to the map.
const SLOT_MASK = 4095;
const slotKeys: (Uint8Array | undefined)[] = new Array(SLOT_MASK + 1);
const slotSeries: (Series | undefined)[] = new Array(SLOT_MASK + 1);

/** The series part of a point; points of one series share it (across bodies, too). */
type Series = SeriesRef;

/**
 * Parses a line protocol body as InfluxDB 1.6 does (`models.ParsePointsWithPrecision`): good
 * lines become points, each bad line becomes a `LineError`; blank and `#` lines are skipped.
 * Never throws on any input.
 */
export function parsePoints(body: Uint8Array, opts: ParseOptions): ParseResult {
  const { batch, errors } = parsePointBatch(body, opts);
  return { points: pointsOf(batch), errors };
}

/** `parsePoints` into columns: the write path's form (see PointBatch). */
export function parsePointBatch(body: Uint8Array, opts: ParseOptions): BatchParseResult {
  return new BodyParser(body, opts).run();
}

/** Holds the body and its decoded text; byte offsets equal char offsets when `aligned`. */
class BodyParser implements FieldReader {
  readonly s: LineScanner;
  /** The decoded body, made on first use: a body of known series and fields never needs it. */
  private decoded: string | undefined;
  private alignedText = false;
  readonly mult: bigint;
  readonly defaultTime: bigint;
  readonly maxString: number;
  readonly stripCr: boolean;
  readonly out: PointBatchBuilder;
  readonly errors: LineError[] = [];
  readonly prevKeyStart: number[] = [];
  readonly prevKeyEnd: number[] = [];
  readonly prevKey: number[] = [];
  private countedTo = 0;
  private countedLines = 1;
  private readonly order: number[] = [];
  readonly strFn = (s: number, e: number): string => this.str(s, e);
  // The previous timestamp's bytes and value: a batch often repeats one timestamp.
  private lastTs = -1;
  private lastTsLen = 0;
  private lastTime = 0n;

  constructor(readonly b: Uint8Array, opts: ParseOptions) {
    this.s = new LineScanner(b, opts.unsigned ?? true);
    this.mult = precisionMultiplier(opts.precision);
    const rem = opts.now % this.mult;
    this.defaultTime = opts.now - (rem < 0n ? rem + this.mult : rem);
    this.maxString = opts.maxStringFieldBytes ?? 65536;
    this.stripCr = opts.stripCarriageReturn ?? false;
    // Columns sized from the line count (native scans) and the first line's fields: exact
    // for the usual uniform body, and growing by doubling otherwise.
    let lines = 1;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    const firstEnd = b.indexOf(10) < 0 ? b.length : b.indexOf(10);
    let fields = 1;
    for (let i = b.indexOf(32) + 1; i > 0 && i < firstEnd && b[i] !== 32; i++) {
      if (b[i] === 44) fields++;
    }
    this.out = new PointBatchBuilder(lines, lines * Math.min(fields, 64));
  }

  run(): BatchParseResult {
    const b = this.b;
    const n = b.length;
    const s = this.s;
    let pos = 0;
    // Without a quote or backslash anywhere (two native scans), every line is plain and ends
    // at its next newline, so the rest of a line after its key needs no byte loop here.
    const plainBody = b.indexOf(34) < 0 && b.indexOf(92) < 0;
    while (pos < n) {
      // A line free of quotes and backslashes ends at its first newline, and its fields need
      // no second walk; only other lines go through InfluxDB's quote-aware scanLine.
      let end = pos;
      let plain = true;
      let hash = 0x811c9dc5;
      for (; end < n; end++) {
        const c = b[end];
        if (c === 10 || c === 32) break;
        if (c === 34 || c === 92) plain = false;
        hash = Math.imul(hash ^ c, 0x01000193);
      }
      // The first space: where a plain line's key ends (or leading whitespace, see parseLine).
      const space = end;
      if (plainBody) {
        if (end < n && b[end] !== 10) {
          end = b.indexOf(10, end);
          if (end < 0) end = n;
        }
      } else {
        for (; end < n; end++) {
          const c = b[end];
          if (c === 10) break;
          if (c === 34 || c === 92) plain = false;
        }
      }
      if (!plain) end = s.scanLine(pos);
      const blockStart = pos;
      pos = end + 1;
      if (end === blockStart) continue;
      const start = s.skipWhitespace(blockStart, end);
      if (start >= end || b[start] === 35 /* # */) continue;
      if (b[end - 1] === 10) end--;
      if (this.stripCr && end > start && b[end - 1] === 13) end--;
      if (!this.parseLine(start, end, plain, space, start === blockStart ? hash : -1)) {
        this.out.rollbackPoint();
        this.reject(blockStart, start, end, s.err);
      }
    }
    return { batch: this.out.finish(), errors: this.errors };
  }

  str(s: number, e: number): string {
    return this.aligned ? this.text.substring(s, e) : decoder.decode(this.b.subarray(s, e));
  }

  get text(): string {
    if (this.decoded === undefined) {
      this.decoded = decoder.decode(this.b);
      // Equal lengths mean every byte decoded to exactly one UTF-16 unit (ASCII or a lone
      // invalid byte), so byte positions index the text directly.
      this.alignedText = this.decoded.length === this.b.length;
    }
    return this.decoded;
  }

  get aligned(): boolean {
    return this.text !== undefined && this.alignedText;
  }

  reject(blockStart: number, s: number, e: number, reason: string): void {
    const b = this.b;
    for (let i = this.countedTo; i < blockStart; i++) if (b[i] === 10) this.countedLines++;
    this.countedTo = blockStart;
    const text = this.str(s, e);
    this.errors.push({
      line: this.countedLines,
      text,
      reason,
      message: `unable to parse '${text}': ${reason}`,
    });
  }

  /** parsePoint: the line [ls, le) into the batch; false with the reason in `s.err`. */
  parseLine(ls: number, le: number, plain: boolean, space: number, hash: number): boolean {
    const s = this.s;
    const b = this.b;
    let series: Series | undefined;
    let keyEnd = -1;
    let rawKey = "";
    let slot = -1;
    if (plain) {
      // Without backslashes the key ends at the first space, and everything about it
      // (validity, sorted form, tags) depends on those bytes alone: cache it.
      keyEnd = space > ls ? space : nextByte(b, 32, ls, le);
      if (keyEnd < le) {
        if (hash !== -1 && keyEnd === space) {
          slot = hash & SLOT_MASK;
          const k = slotKeys[slot];
          if (k !== undefined && k.length === keyEnd - ls) {
            let i = 0;
            while (i < k.length && k[i] === b[ls + i]) i++;
            if (i === k.length) series = slotSeries[slot];
          }
        }
        if (series === undefined) {
          rawKey = this.str(ls, keyEnd);
          series = seriesCache.get(rawKey);
          if (series !== undefined && slot >= 0) {
            slotKeys[slot] = b.slice(ls, keyEnd);
            slotSeries[slot] = series;
          }
        }
      }
    }
    if (series === undefined) {
      const read = this.readSeries(ls, le, plain);
      if (read === null) return false;
      series = read;
      keyEnd = s.keyEnd;
      if (plain) {
        if (seriesCache.size >= SERIES_CACHE_MAX) seriesCache.clear();
        seriesCache.set(detach(rawKey), read);
        if (slot >= 0) {
          slotKeys[slot] = b.slice(ls, keyEnd);
          slotSeries[slot] = read;
        }
      }
    }
    const keyLen = keyEnd - ls;
    if (s.scanFields(keyEnd, le) < 0) return false;
    if (s.fieldsEnd === s.fieldsStart) return this.failed("missing fields");
    if (!(plain ? plainFields(this, keyLen) : walkFields(this, keyLen))) return false;
    const time = this.readTime(s.fieldsEnd, le);
    if (time === null) return false;
    this.out.commitPoint(this.out.addSeries(series), time);
    return true;
  }

  /** scanKey, the duplicate-tag check, tag sorting and the key length check (parsePoint). */
  readSeries(ls: number, le: number, plain: boolean): Series | null {
    const s = this.s;
    if (s.scanKey(ls, le) < 0) return null;
    const n = s.tagCount;
    const order = this.order;
    let sorted = true;
    for (let j = 0; j < n; j++) order[j] = j;
    for (let j = 0; j + 1 < n; j++) {
      const cmp = s.compareTagKeys(j, j + 1);
      if (cmp > 0) {
        sorted = false;
        break;
      }
      if (cmp === 0) return this.fail("duplicate tags");
    }
    if (!sorted && !this.sortTags(n)) return this.fail("duplicate tags");
    const keyLen = s.keyEnd - ls;
    if (keyLen > MAX_KEY_LENGTH) {
      return this.fail(`max key length exceeded: ${keyLen} > ${MAX_KEY_LENGTH}`);
    }
    // This runs once per new series, so its strings are detached copies (see `detach`).
    let key: string;
    if (sorted) {
      key = this.keep(ls, s.keyEnd);
    } else {
      key = this.keep(ls, s.measEnd);
      for (let j = 0; j < n; j++) key += "," + this.str(s.tagStart[order[j]], s.tagEnd[order[j]]);
      key = detach(key);
    }
    const tags: Tag[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const t = order[j];
      const eq = s.tagEq[t];
      tags[j] = plain ? [this.keep(s.tagStart[t], eq), this.keep(eq + 1, s.tagEnd[t])] : [
        this.keepUnescaped(s.tagStart[t], eq, unescapeTag),
        this.keepUnescaped(eq + 1, s.tagEnd[t], unescapeTag),
      ];
    }
    const measurement = plain
      ? this.keep(ls, s.measEnd)
      : this.keepUnescaped(ls, s.measEnd, unescapeMeasurement);
    return { measurement, tags, key };
  }

  /** Stable insertion sort of `order` by raw key bytes, as InfluxDB does; false on a duplicate. */
  sortTags(n: number): boolean {
    const s = this.s;
    const order = this.order;
    for (let x = 1; x < n; x++) {
      for (let y = x; y > 0 && s.compareTagKeys(order[y], order[y - 1]) < 0; y--) {
        const t = order[y];
        order[y] = order[y - 1];
        order[y - 1] = t;
      }
    }
    for (let j = 0; j + 1 < n; j++) {
      if (s.compareTagKeys(order[j], order[j + 1]) === 0) return false;
    }
    return true;
  }

  /** str() as a detached copy, for strings that outlive the request. */
  keep(s: number, e: number): string {
    return this.aligned ? detach(this.text.substring(s, e)) : this.str(s, e);
  }

  keepUnescaped(s: number, e: number, fn: (raw: string) => string): string {
    return detach(this.unescaped(s, e, fn));
  }

  unescaped(s: number, e: number, fn: (raw: string) => string): string {
    const raw = this.str(s, e);
    const b = this.b;
    for (let i = s; i < e; i++) if (b[i] === 92) return fn(raw);
    return raw;
  }

  /** scanTime, ParseInt and SafeCalcTime over what follows the fields. */
  readTime(fe: number, le: number): bigint | null {
    const s = this.s;
    const b = this.b;
    const ts = s.skipWhitespace(fe, le);
    const te = s.scanTime(ts, le);
    if (te < 0) return null;
    if (te === ts) return this.defaultTime;
    let time: bigint;
    const len = te - ts;
    const last = this.lastTs;
    let same = last >= 0 && len === this.lastTsLen;
    for (let i = 0; same && i < len; i++) same = b[ts + i] === b[last + i];
    if (same) {
      time = this.lastTime;
    } else {
      const t = parseTimestamp(b, ts, te, this.mult);
      if (typeof t === "string") return this.fail(t);
      time = t;
      this.lastTs = ts;
      this.lastTsLen = len;
      this.lastTime = t;
    }
    for (let i = te; i < le; i++) if (b[i] !== 32) return this.fail("point is invalid");
    return time;
  }

  fail(reason: string): null {
    this.s.err = reason;
    return null;
  }

  failed(reason: string): false {
    this.s.err = reason;
    return false;
  }
}

/** Index of byte `v` in b[from, n), or n (a JS loop beats the native call on short runs). */
function nextByte(b: Uint8Array, v: number, from: number, n: number): number {
  let i = from;
  while (i < n && b[i] !== v) i++;
  return i;
}
