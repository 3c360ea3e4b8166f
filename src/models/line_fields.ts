/**
 * Field values of one line, as InfluxDB 1.6 reads them after scanFields: `walkFields` for
 * the key-length check and "invalid value", then the field iterator, which types a value by
 * its first and last byte.
 */
import type { Field } from "./point.ts";
import type { LineScanner } from "./line_scan.ts";
import { MAX_KEY_LENGTH } from "./line_scan.ts";
import { unescapeFieldKey, unescapeStringField } from "./escape.ts";
import { parseFloatBytes, parseIntBytes, utf8Length } from "./line_values.ts";
import { ByteStringCache, detach } from "./string_cache.ts";

/** What the field readers need from the body parser. */
export interface FieldReader {
  readonly b: Uint8Array;
  readonly s: LineScanner;
  readonly maxString: number;
  readonly strFn: (s: number, e: number) => string;
  str(s: number, e: number): string;
  unescaped(s: number, e: number, fn: (raw: string) => string): string;
  /** Records the reason in the scanner and returns null. */
  fail(reason: string): null;
}

const fieldKeys = new ByteStringCache();

/** Fields of a line without quotes or backslashes: scanFields' ranges are exact. */
export function plainFields(r: FieldReader, keyLen: number): Field[] | null {
  const s = r.s;
  const count = s.fieldCount;
  const fields: Field[] = new Array(count);
  let dup = false;
  for (let f = 0; f < count; f++) {
    const ks = s.fieldKey[f];
    const eq = s.fieldEq[f];
    const size = keyLen + 4 + (eq - ks);
    if (size > MAX_KEY_LENGTH) {
      return r.fail(`max key length exceeded: ${size} > ${MAX_KEY_LENGTH}`);
    }
    const field = readValue(r, fieldKeys.get(r.b, ks, eq, r.strFn), eq + 1, s.fieldEnd[f]);
    if (field === null) return null;
    for (let j = 0; j < f && !dup; j++) dup = fields[j].key === field.key;
    fields[f] = field;
  }
  return dup ? lastWins(fields) : fields;
}

/** walkFields plus the field iterator of InfluxDB, for lines with quotes or backslashes. */
export function walkFields(r: FieldReader, keyLen: number): Field[] | null {
  const b = r.b;
  const fe = r.s.fieldsEnd;
  const fields: Field[] = [];
  let p = r.s.fieldsStart;
  let dup = false;
  while (p < fe) {
    let k = p;
    while (k < fe && !(b[k] === 61 && (k === p || b[k - 1] !== 92))) k++;
    if (k > fe - 2) return r.fail(`invalid value: field-key=${r.str(p, k)}`);
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
      return r.fail(`max key length exceeded: ${size} > ${MAX_KEY_LENGTH}`);
    }
    if (v > k + 1) {
      // An empty value is InfluxDB's "Empty" field type, which Fields() leaves out.
      const field = readValue(r, detach(r.unescaped(p, k, unescapeFieldKey)), k + 1, v);
      if (field === null) return null;
      for (let j = 0; j < fields.length && !dup; j++) dup = fields[j].key === field.key;
      fields.push(field);
    }
    p = v + 1;
  }
  if (fields.length === 0) return r.fail("missing fields");
  return dup ? lastWins(fields) : fields;
}

/** One field value [vs, ve), typed by its first and last byte as InfluxDB's iterator does. */
function readValue(r: FieldReader, key: string, vs: number, ve: number): Field | null {
  const b = r.b;
  const c = b[vs];
  if (c === 34) {
    const raw = ve - vs >= 2 ? r.str(vs + 1, ve - 1) : "";
    const value = raw.indexOf("\\") >= 0 ? unescapeStringField(raw) : raw;
    if (ve - vs - 2 > r.maxString) {
      const bytes = utf8Length(value);
      if (bytes > r.maxString) {
        return r.fail(`max string field length exceeded: ${bytes} > ${r.maxString}`);
      }
    }
    return { key, type: "string", value: detach(value) };
  }
  if ((c >= 48 && c <= 57) || c === 45 || c === 46) {
    const last = b[ve - 1];
    if (last === 105 /* i */ || last === 117 /* u */) {
      const v = parseIntBytes(b, vs, ve - 1);
      if (v === null) return r.fail("invalid number");
      return last === 105
        ? { key, type: "integer", value: v }
        : { key, type: "unsigned", value: v };
    }
    const f = parseFloatBytes(b, vs, ve) ?? Number(r.str(vs, ve));
    if (Number.isNaN(f)) return r.fail("invalid number");
    return { key, type: "float", value: f };
  }
  const len = ve - vs;
  if (len !== 1 && len !== 4 && len !== 5) return r.fail("invalid boolean");
  return { key, type: "boolean", value: c === 116 || c === 84 };
}

/** Duplicate field keys: the last value wins (InfluxDB's Fields() map), first position kept. */
function lastWins(fields: Field[]): Field[] {
  const at = new Map<string, number>();
  const out: Field[] = [];
  for (const f of fields) {
    const i = at.get(f.key);
    if (i === undefined) {
      at.set(f.key, out.length);
      out.push(f);
    } else {
      out[i] = f;
    }
  }
  return out;
}
