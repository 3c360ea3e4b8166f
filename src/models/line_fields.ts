/**
 * Field values of one line, as InfluxDB 1.6 reads them after scanFields: `walkFields` for
 * the key-length check and "invalid value", then the field iterator, which types a value by
 * its first and last byte. Values go straight into the batch's columns.
 */
import type { LineScanner } from "./line_scan.ts";
import type { PointBatchBuilder } from "./point_batch.ts";
import { MAX_KEY_LENGTH, NOT_READ } from "./line_scan.ts";
import { unescapeFieldKey, unescapeStringField } from "./escape.ts";
import { lastFloat, parseFloatBytes, parseIntBytes, utf8Length } from "./line_values.ts";
import { ByteStringCache, detach } from "./string_cache.ts";

/** What the field readers need from the body parser. */
export interface FieldReader {
  readonly b: Uint8Array;
  readonly s: LineScanner;
  readonly maxString: number;
  readonly strFn: (s: number, e: number) => string;
  readonly out: PointBatchBuilder;
  /** Byte ranges and batch key indexes of the previous plain line's field keys, by position. */
  readonly prevKeyStart: number[];
  readonly prevKeyEnd: number[];
  readonly prevKey: number[];
  str(s: number, e: number): string;
  unescaped(s: number, e: number, fn: (raw: string) => string): string;
  /** Records the reason in the scanner and returns null. */
  fail(reason: string): null;
}

const fieldKeys = new ByteStringCache();

/** Fields of a line without quotes or backslashes: scanFields' ranges are exact. */
export function plainFields(r: FieldReader, keyLen: number): boolean {
  const s = r.s;
  const count = s.fieldCount;
  for (let f = 0; f < count; f++) {
    const ks = s.fieldKey[f];
    const eq = s.fieldEq[f];
    const size = keyLen + 4 + (eq - ks);
    if (size > MAX_KEY_LENGTH) {
      return failed(r, `max key length exceeded: ${size} > ${MAX_KEY_LENGTH}`);
    }
    // Lines of a body mostly repeat one field list: compare with the previous line's key at
    // this position (same buffer) before hashing.
    let key = -1;
    const ps = r.prevKeyStart[f];
    if (ps !== undefined && r.prevKeyEnd[f] - ps === eq - ks) {
      const b = r.b;
      let i = 0;
      const len = eq - ks;
      while (i < len && b[ps + i] === b[ks + i]) i++;
      if (i === len) key = r.prevKey[f];
    }
    if (key < 0) {
      key = r.out.fieldKeyIndex(fieldKeys.get(r.b, ks, eq, r.strFn));
      r.prevKey[f] = key;
    }
    r.prevKeyStart[f] = ks;
    r.prevKeyEnd[f] = eq;
    const places = s.fieldPlaces[f];
    if (places !== NOT_READ) r.out.addFloat(key, s.fieldNum[f], places);
    else if (!readValue(r, key, eq + 1, s.fieldEnd[f])) return false;
  }
  return true;
}

/** walkFields plus the field iterator of InfluxDB, for lines with quotes or backslashes. */
export function walkFields(r: FieldReader, keyLen: number): boolean {
  const b = r.b;
  const fe = r.s.fieldsEnd;
  let p = r.s.fieldsStart;
  let count = 0;
  while (p < fe) {
    let k = p;
    while (k < fe && !(b[k] === 61 && (k === p || b[k - 1] !== 92))) k++;
    if (k > fe - 2) return failed(r, `invalid value: field-key=${r.str(p, k)}`);
    let v = k + 1;
    let quoted = false;
    while (v < fe) {
      const c = b[v];
      if (c === 92 && v + 1 < fe && (b[v + 1] === 34 || b[v + 1] === 92)) {
        v += 2;
        continue;
      }
      if (c === 34) quoted = !quoted;
      else if (c === 44 && !quoted) break;
      v++;
    }
    const size = keyLen + 4 + (k - p);
    if (size > MAX_KEY_LENGTH) {
      return failed(r, `max key length exceeded: ${size} > ${MAX_KEY_LENGTH}`);
    }
    if (v > k + 1) {
      // An empty value is InfluxDB's "Empty" field type, which Fields() leaves out.
      const key = r.out.fieldKeyIndex(detach(r.unescaped(p, k, unescapeFieldKey)));
      if (!readValue(r, key, k + 1, v)) return false;
      count++;
    }
    p = v + 1;
  }
  if (count === 0) return failed(r, "missing fields");
  return true;
}

/** One field value [vs, ve), typed by its first and last byte as InfluxDB's iterator does. */
function readValue(r: FieldReader, key: number, vs: number, ve: number): boolean {
  const b = r.b;
  const c = b[vs];
  if (c === 34) {
    const raw = ve - vs >= 2 ? r.str(vs + 1, ve - 1) : "";
    const value = raw.indexOf("\\") >= 0 ? unescapeStringField(raw) : raw;
    if (ve - vs - 2 > r.maxString) {
      const bytes = utf8Length(value);
      if (bytes > r.maxString) {
        return failed(r, `max string field length exceeded: ${bytes} > ${r.maxString}`);
      }
    }
    r.out.addString(key, detach(value));
    return true;
  }
  if ((c >= 48 && c <= 57) || c === 45 || c === 46) {
    const last = b[ve - 1];
    if (last === 105 /* i */ || last === 117 /* u */) {
      const v = parseIntBytes(b, vs, ve - 1);
      if (v === null) return failed(r, "invalid number");
      r.out.addInteger(key, last === 105 ? 1 : 2, v);
      return true;
    }
    let f = parseFloatBytes(b, vs, ve);
    const places = f === undefined ? -1 : lastFloat.places;
    f ??= Number(r.str(vs, ve));
    if (Number.isNaN(f)) return failed(r, "invalid number");
    r.out.addFloat(key, f, places);
    return true;
  }
  const len = ve - vs;
  if (len !== 1 && len !== 4 && len !== 5) return failed(r, "invalid boolean");
  r.out.addBoolean(key, c === 116 || c === 84);
  return true;
}

function failed(r: FieldReader, reason: string): false {
  r.fail(reason);
  return false;
}
