/**
 * Byte scanners for one line of InfluxDB 1.x line protocol, ported decision for decision from
 * influxdb 1.6 `models/points.go` (scanLine, scanKey, scanFields, scanNumber, scanBoolean,
 * scanTime, walkFields) so that the same bytes are accepted and the same reason is reported.
 * Every scanner returns a position, or -1 after setting `err` to InfluxDB's reason text.
 */

// In the scanners below bytes are written as literals (V8 reads imported consts from module
// slots, measurably slower in these loops): 9 tab, 10 \n, 32 space, 34 ", 43 +, 44 ",",
// 45 -, 46 ., 61 =, 92 \, 101/69 e/E, 105 i, 117 u.

import { scanBoolean, scanNumber } from "./line_scan_value.ts";

/** InfluxDB's `MaxKeyLength`: the series key plus field key may not exceed this many bytes. */
export const MAX_KEY_LENGTH = 65535;

/** `LineScanner.fieldPlaces` of a value that was not read during the scan. */
export const NOT_READ = -2;
const POW10: number[] = [];
for (let i = 0, p = 1; i <= 15; i++, p *= 10) POW10.push(p);

/** Where the parts of one line lie in the buffer; reused from line to line. */
export class LineScanner {
  err = "";
  /** Raw measurement end (exclusive) and the key end (the space after the key). */
  measEnd = 0;
  keyEnd = 0;
  tagCount = 0;
  tagStart: number[] = [];
  tagEq: number[] = [];
  tagEnd: number[] = [];
  fieldsStart = 0;
  fieldsEnd = 0;
  /** Field ranges seen by scanFields; exact only for lines without `\\` or `"`. */
  fieldCount = 0;
  fieldKey: number[] = [];
  fieldEq: number[] = [];
  fieldEnd: number[] = [];
  /**
   * Per field: the value of a plain decimal number ([-]digits[.digits], ≤ 15 digits) read
   * while scanning, and its decimal places (-1: exact but not a short decimal, i.e. -0);
   * NOT_READ when the value must be read from the bytes.
   */
  fieldNum: number[] = [];
  fieldPlaces: number[] = [];

  constructor(public b: Uint8Array, public unsigned: boolean) {}

  /** End of the line starting at `i`: a newline outside a quoted field value (scanLine). */
  scanLine(i: number): number {
    const b = this.b;
    const n = b.length;
    let quoted = false;
    let fields = false;
    let equals = 0;
    let commas = 0;
    while (i < n) {
      const c = b[i];
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === 32) fields = true;
      if (fields) {
        if (!quoted && c === 61) {
          i++;
          equals++;
          continue;
        } else if (!quoted && c === 44) {
          i++;
          commas++;
          continue;
        } else if (c === 34 && equals > commas) {
          i++;
          quoted = !quoted;
          continue;
        }
      }
      if (c === 10 && !quoted) break;
      i++;
    }
    return i > n ? n : i;
  }

  /** Skips spaces, tabs and NUL bytes (skipWhitespace). */
  skipWhitespace(i: number, e: number): number {
    const b = this.b;
    while (i < e) {
      const c = b[i];
      if (c !== 32 && c !== 9 && c !== 0) break;
      i++;
    }
    return i;
  }

  /** Scans measurement and tags of the line [s, e); fills the tag tables (scanKey). */
  scanKey(s: number, e: number): number {
    const b = this.b;
    let i = s;
    this.tagCount = 0;
    if (i >= e || b[i] === 44) return this.fail("missing measurement");
    for (;;) {
      i++;
      if (i >= e) return this.fail("missing fields");
      if (b[i - 1] === 92) continue;
      if (b[i] === 44) break;
      if (b[i] === 32) {
        this.measEnd = this.keyEnd = i;
        return i;
      }
    }
    this.measEnd = i;
    i++;
    let n = 0;
    for (;;) {
      // Tag key: up to an unescaped '='.
      this.tagStart[n] = i;
      if (i >= e || b[i] === 32 || b[i] === 44 || b[i] === 61) {
        return this.fail("missing tag key");
      }
      for (;;) {
        i++;
        if (i >= e || ((b[i] === 32 || b[i] === 44) && b[i - 1] !== 92)) {
          return this.fail("missing tag value");
        }
        if (b[i] === 61 && b[i - 1] !== 92) break;
      }
      this.tagEq[n] = i;
      i++;
      // Tag value: up to an unescaped ',' (next tag) or ' ' (fields).
      if (i >= e || b[i] === 44 || b[i] === 32) return this.fail("missing tag value");
      for (;;) {
        i++;
        if (i >= e) return this.fail("missing fields");
        const c = b[i];
        if (b[i - 1] === 92) continue;
        if (c === 61) return this.fail("invalid tag format");
        if (c === 44 || c === 32) break;
      }
      this.tagEnd[n] = i;
      n++;
      if (b[i] === 32) break;
      i++;
    }
    this.tagCount = n;
    this.keyEnd = i;
    return i;
  }

  /** Byte comparison of the raw keys of tags `x` and `y`. */
  compareTagKeys(x: number, y: number): number {
    const b = this.b;
    const xs = this.tagStart[x];
    const ys = this.tagStart[y];
    const xl = this.tagEq[x] - xs;
    const yl = this.tagEq[y] - ys;
    const n = xl < yl ? xl : yl;
    for (let k = 0; k < n; k++) {
      const d = b[xs + k] - b[ys + k];
      if (d !== 0) return d;
    }
    return xl - yl;
  }

  /** Scans the field section starting at `i` (scanFields); sets fieldsStart/fieldsEnd. */
  scanFields(i: number, e: number): number {
    const b = this.b;
    const start = this.skipWhitespace(i, e);
    i = start;
    let quoted = false;
    let equals = 0;
    let commas = 0;
    let keyStart = start;
    const fieldKey = this.fieldKey;
    const fieldEq = this.fieldEq;
    const fieldEnd = this.fieldEnd;
    // Byte values are literals in the hot loops: V8 reads imported consts as module slots.
    while (i < e) {
      const c = b[i];
      if (c === 92 && i + 1 < e) {
        i += 2;
        continue;
      }
      if (c === 34 && equals > commas) {
        quoted = !quoted;
        i++;
        continue;
      }
      if (c === 61 && !quoted) {
        fieldKey[equals] = keyStart;
        fieldEq[equals] = i;
        equals++;
        const prev = b[i - 1];
        if ((prev === 32 || prev === 44) && b[i - 2] !== 92) {
          return this.fail("missing field key");
        }
        if (i + 1 >= e) return this.fail("missing field value");
        const next = b[i + 1];
        if (next === 44 || next === 32) return this.fail("missing field value");
        this.fieldPlaces[equals - 1] = NOT_READ;
        if (
          (next >= 48 && next <= 57) || next === 46 || next === 45 || next === 78 ||
          next === 110
        ) {
          // The common case, validated and converted in one pass; anything else (exponents,
          // integers, long numbers, errors) goes through InfluxDB's scanNumber.
          const fast = this.shortDecimal(i + 1, e, equals - 1);
          if (fast > 0) {
            i = fast;
            continue;
          }
          i = scanNumber(this, i + 1, e);
          if (i < 0) return -1;
          continue;
        }
        if (next !== 34) {
          i = scanBoolean(this, i + 1, e);
          if (i < 0) return -1;
          continue;
        }
      }
      if (c === 44 && !quoted) {
        fieldEnd[commas] = i;
        keyStart = i + 1;
        commas++;
      }
      if (c === 32 && !quoted) break;
      i++;
    }
    if (quoted) return this.fail("unbalanced quotes");
    if (equals === 0 || commas !== equals - 1) return this.fail("invalid field format");
    fieldEnd[commas] = i;
    this.fieldCount = equals;
    this.fieldsStart = start;
    this.fieldsEnd = i;
    return i;
  }

  /**
   * Reads `[-]digits[.digits]` (1-15 digits) ending at a comma, a space or `e` into field `f`;
   * returns its end, or -1 when the value is anything else. Such a value is exactly
   * m / 10^places, as parseFloatBytes computes it.
   */
  shortDecimal(i: number, e: number, f: number): number {
    const b = this.b;
    let neg = false;
    if (i < e && b[i] === 45) {
      neg = true;
      i++;
    }
    let m = 0;
    let digits = 0;
    let places = -1;
    for (; i < e; i++) {
      const c = b[i];
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (places >= 0) places++;
      } else if (c === 46 && places < 0) {
        places = 0;
      } else if (c === 44 || c === 32) {
        break;
      } else {
        return -1;
      }
    }
    if (digits === 0 || digits > 15) return -1;
    if (places < 0) places = 0;
    const v = places === 0 ? m : m / POW10[places];
    this.fieldNum[f] = neg ? -v : v;
    this.fieldPlaces[f] = neg && m === 0 ? -1 : places;
    return i;
  }

  /** End of the timestamp starting at (or after whitespace from) `i` (scanTime). */
  scanTime(i: number, e: number): number {
    const b = this.b;
    const start = i;
    while (i < e) {
      const c = b[i];
      if (c === 10 || c === 32) break;
      if (i === start && c === 45) {
        i++;
        continue;
      }
      if (c < 48 || c > 57) return this.fail("bad timestamp");
      i++;
    }
    return i;
  }

  fail(reason: string): -1 {
    this.err = reason;
    return -1;
  }
}
