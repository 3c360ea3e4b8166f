/**
 * The binary body of one WAL record: the accepted points of one batch, already resolved to
 * series and field ids. Layout (little endian):
 *
 *   u8 version (1) · varint pointCount ·
 *   pointCount × ( varint seriesId · i64 time · varint fieldCount ·
 *                  fieldCount × ( varint fieldId · u8 type · value ) )
 *
 * Values: float f64, integer i64, unsigned u64, boolean u8, string varint length + UTF-8.
 */

import type { FieldType, FieldValue } from "../models/point.ts";
import { fieldValue, type PointBatch } from "../models/point_batch.ts";
import { CorruptRecordError } from "./errors.ts";

const VERSION = 1;
const TYPE_CODES: Record<FieldType, number> = {
  float: 0,
  integer: 1,
  unsigned: 2,
  boolean: 3,
  string: 4,
};
/** Field types by their one-byte code in WAL records and field records. */
export const FIELD_TYPES: readonly FieldType[] = [
  "float",
  "integer",
  "unsigned",
  "boolean",
  "string",
];

/** Type code of an integer stored as a zigzag varint (|v| ≤ 2^52). */
const SMALL_INTEGER = 5;
const SMALL = 1n << 52n;
/**
 * Type codes DECIMAL + k (k = 0..4): a float that is exactly m / 10^k for an integer
 * |m| ≤ 2^50, stored as m's zigzag varint. Line protocol values usually have a few decimals,
 * and three bytes instead of eight halve the WAL — its commit is most of a write's latency.
 */
const DECIMAL = 8;
const MAX_DECIMALS = 4;
const POW10 = [1, 10, 100, 1000, 10000];
const MAX_MANTISSA = 2 ** 50;

/** k such that v is exactly m / 10^k with |m| ≤ 2^50, or -1 (also for -0, NaN and ±Inf). */
function decimalDigits(v: number): number {
  if (v === 0 && 1 / v < 0) return -1;
  for (let k = 0; k <= MAX_DECIMALS; k++) {
    const m = Math.round(v * POW10[k]);
    if (m / POW10[k] === v) return m <= MAX_MANTISSA && m >= -MAX_MANTISSA ? k : -1;
  }
  return -1;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Builds one WAL record body; reuse one writer per shard and call `reset()` per batch. */
export class WalRecordWriter {
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private countPos = 0;
  private points = 0;

  /** Starts a new record, forgetting the previous one. */
  reset(): void {
    this.pos = 0;
    this.points = 0;
    this.buf[this.pos++] = VERSION;
    // Point count is written at the end into a fixed 5-byte varint slot.
    this.countPos = this.pos;
    this.pos += 5;
  }

  /** Number of points written since `reset()`. */
  get pointCount(): number {
    return this.points;
  }

  /** Byte position, to roll back a point with `truncate`. */
  mark(): number {
    return this.pos;
  }

  /** Rolls back to a position returned by `mark()` (drops a half-written point). */
  truncate(mark: number, droppedPoints: number): void {
    this.pos = mark;
    this.points -= droppedPoints;
  }

  /** Starts a point; exactly `fieldCount` calls to `field` must follow. */
  point(seriesId: number, time: bigint, fieldCount: number): void {
    this.ensure(32);
    this.varint(seriesId);
    this.view.setBigInt64(this.pos, time, true);
    this.pos += 8;
    this.varint(fieldCount);
    this.points++;
  }

  /** Appends one field of the current point. */
  field(fieldId: number, type: FieldType, value: FieldValue): void {
    this.ensure(24);
    this.varint(fieldId);
    this.buf[this.pos++] = TYPE_CODES[type];
    switch (type) {
      case "float":
        this.pos--;
        this.float(value as number);
        break;
      case "integer": {
        // Small integers (the common case) as a zigzag varint under their own type code.
        const v = value as bigint;
        if (v >= -SMALL && v <= SMALL) {
          this.buf[this.pos - 1] = SMALL_INTEGER;
          const n = Number(v);
          this.varint(n < 0 ? -2 * n - 1 : 2 * n);
        } else {
          this.view.setBigInt64(this.pos, v, true);
          this.pos += 8;
        }
        break;
      }
      case "unsigned":
        this.view.setBigUint64(this.pos, value as bigint, true);
        this.pos += 8;
        break;
      case "boolean":
        this.buf[this.pos++] = value ? 1 : 0;
        break;
      case "string": {
        const s = value as string;
        this.ensure(s.length * 3 + 5);
        const start = this.pos + 5;
        const { written } = encoder.encodeInto(s, this.buf.subarray(start));
        // Length goes in front; shift the bytes down if the varint is shorter than 5.
        this.varint(written);
        if (this.pos !== start) this.buf.copyWithin(this.pos, start, start + written);
        this.pos += written;
        break;
      }
    }
  }

  /** Appends field slot `f` of a batch as one field of the current point. */
  batchField(fieldId: number, batch: PointBatch, f: number): void {
    const code = batch.fieldTypes[f];
    if (code === 0) {
      // Floats are nearly all of it: no detour through a boxed FieldValue.
      this.ensure(24);
      this.varint(fieldId);
      const k = batch.places[f];
      if (k >= 0 && k <= MAX_DECIMALS) this.decimal(batch.numbers[f], k);
      else if (k < 0) this.float(batch.numbers[f]);
      else this.raw(batch.numbers[f]);
      return;
    }
    this.field(fieldId, FIELD_TYPES[code], fieldValue(batch, f));
  }

  /** The finished record body (a view into the writer's buffer: copy before `reset`). */
  finish(): Uint8Array {
    let n = this.points;
    let p = this.countPos;
    for (let i = 0; i < 4; i++) {
      this.buf[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[p] = n & 0x7f;
    return this.buf.subarray(0, this.pos);
  }

  /** A float's type code and value, as a decimal when that is exact. */
  private float(v: number): void {
    const k = decimalDigits(v);
    if (k < 0) this.raw(v);
    else this.decimal(v, k);
  }

  /** A float known to be exactly m / 10^k with |m| ≤ 2^50. */
  private decimal(v: number, k: number): void {
    this.buf[this.pos++] = DECIMAL + k;
    const m = Math.round(v * POW10[k]);
    this.varint(m < 0 ? -2 * m - 1 : 2 * m);
  }

  private raw(v: number): void {
    this.buf[this.pos++] = 0;
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  private varint(n: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (n >= 0x80000000) {
      buf[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    // Below 2^31 shifts are exact and much cheaper than division.
    while (n >= 0x80) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

/** Receives the decoded values of a WAL record, one field value at a time. */
export type WalVisitor = (
  seriesId: number,
  time: bigint,
  fieldId: number,
  type: FieldType,
  value: FieldValue,
) => void;

/** Decodes a record body, calling `visit` per field value; throws CorruptRecordError. */
export function decodeWalRecord(body: Uint8Array, visit: WalVisitor): number {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let pos = 0;
  const fail = (detail: string): never => {
    throw new CorruptRecordError("WAL record", `${detail} at byte ${pos}`);
  };
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (pos >= body.length) fail("truncated varint");
      const b = body[pos++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
    return fail("varint too long");
  };
  const need = (n: number): void => {
    if (pos + n > body.length) fail("truncated value");
  };
  need(1);
  if (body[pos++] !== VERSION) fail(`unknown version ${body[0]}`);
  const points = varint();
  for (let p = 0; p < points; p++) {
    const sid = varint();
    need(8);
    const time = view.getBigInt64(pos, true);
    pos += 8;
    const nf = varint();
    for (let f = 0; f < nf; f++) {
      const fid = varint();
      need(1);
      const code = body[pos++];
      if (code === SMALL_INTEGER) {
        const z = varint();
        visit(sid, time, fid, "integer", BigInt(z % 2 === 1 ? -(z + 1) / 2 : z / 2));
        continue;
      }
      if (code >= DECIMAL && code <= DECIMAL + MAX_DECIMALS) {
        const z = varint();
        const m = z % 2 === 1 ? -(z + 1) / 2 : z / 2;
        visit(sid, time, fid, "float", m / POW10[code - DECIMAL]);
        continue;
      }
      const type = FIELD_TYPES[code];
      if (type === undefined) fail("unknown field type");
      let value: FieldValue;
      switch (type) {
        case "float":
          need(8);
          value = view.getFloat64(pos, true);
          pos += 8;
          break;
        case "integer":
          need(8);
          value = view.getBigInt64(pos, true);
          pos += 8;
          break;
        case "unsigned":
          need(8);
          value = view.getBigUint64(pos, true);
          pos += 8;
          break;
        case "boolean":
          need(1);
          value = body[pos++] === 1;
          break;
        default: {
          const len = varint();
          need(len);
          try {
            value = decoder.decode(body.subarray(pos, pos + len));
          } catch {
            return fail("invalid UTF-8 in string");
          }
          pos += len;
        }
      }
      visit(sid, time, fid, type, value);
    }
  }
  if (pos !== body.length) fail("trailing bytes");
  return points;
}
