/**
 * Value validation of the field scanner (influxdb 1.6 `scanNumber`, `scanBoolean`): which
 * number and boolean spellings a line may hold, and InfluxDB's reason when one is wrong.
 */
/** The part of the line scanner these functions use. */
export interface ValueScanner {
  readonly b: Uint8Array;
  /** Whether `u` (unsigned) values are accepted. */
  readonly unsigned: boolean;
  /** Records InfluxDB's reason and returns -1. */
  fail(reason: string): -1;
}

/** Validates a number value starting at `i`; returns its end (scanNumber). */
export function scanNumber(sc: ValueScanner, i: number, e: number): number {
  const b = sc.b;
  const start = i;
  let isInt = false;
  let isUnsigned = false;
  let decimal = false;
  let scientific = false;
  if (i < e && b[i] === 45) {
    i++;
    if (i === e) return sc.fail("invalid number");
  }
  while (i < e) {
    const c = b[i];
    if (c === 44 || c === 32) break;
    if (c === 105 /* i */ && i > start && !(isInt || isUnsigned)) {
      isInt = true;
      i++;
      continue;
    } else if (c === 117 /* u */ && i > start && !(isInt || isUnsigned)) {
      isUnsigned = true;
      i++;
      continue;
    }
    if (c === 46) {
      if (decimal) return sc.fail("invalid number");
      decimal = true;
    }
    if (i > start && (c === 101 || c === 69) /* e E */) {
      scientific = true;
      i++;
      continue;
    }
    if ((c === 43 || c === 45) && (b[i - 1] === 101 || b[i - 1] === 69)) {
      i++;
      continue;
    }
    if (!((c >= 48 && c <= 57) || c === 46)) return sc.fail("invalid number");
    i++;
  }
  if ((isInt || isUnsigned) && (decimal || scientific)) return sc.fail("invalid number");
  let digits = i - start;
  if (isInt) digits--;
  if (decimal) digits--;
  if (b[start] === 45) digits--;
  if (digits === 0) return sc.fail("invalid number");
  if (isInt) {
    if (b[i - 1] !== 105) return sc.fail("invalid number");
    if (i - 1 - start >= 19) {
      const text = latin1(b, start, i - 1);
      if (!int64InRange(text)) {
        return sc.fail(
          `unable to parse integer ${text}: strconv.ParseInt: parsing "${text}": value out of range`,
        );
      }
    }
  } else if (isUnsigned) {
    if (!sc.unsigned) return sc.fail("invalid number");
    if (b[i - 1] !== 117) return sc.fail("invalid number");
    if (b[start] === 45) return sc.fail("invalid number");
    if (i - 1 - start >= 20) {
      const text = latin1(b, start, i - 1);
      if (BigInt(text) > 18446744073709551615n) {
        return sc.fail(
          `unable to parse unsigned ${text}: strconv.ParseUint: parsing "${text}": value out of range`,
        );
      }
    }
  } else if (scientific || i - start >= 25) {
    const f = Number(latin1(b, start, i));
    if (!Number.isFinite(f)) return sc.fail("invalid float");
  }
  return i;
}

/** Validates a boolean value starting at `i`; returns its end (scanBoolean). */
export function scanBoolean(sc: ValueScanner, i: number, e: number): number {
  const b = sc.b;
  const start = i;
  const c0 = b[i];
  if (i < e && c0 !== 116 && c0 !== 102 && c0 !== 84 && c0 !== 70) {
    return sc.fail("invalid boolean");
  }
  i++;
  while (i < e && b[i] !== 44 && b[i] !== 32) i++;
  const len = i - start;
  if (len === 1) return i;
  if ((c0 === 116 || c0 === 84) && len !== 4) return sc.fail("invalid boolean");
  if ((c0 === 102 || c0 === 70) && len !== 5) return sc.fail("invalid boolean");
  const word = latin1(b, start, i);
  let valid = false;
  if (c0 === 116) valid = word === "true";
  else if (c0 === 102) valid = word === "false";
  else if (c0 === 84) valid = word === "TRUE" || word === "True";
  else if (c0 === 70) valid = word === "FALSE" || word === "False";
  return valid ? i : sc.fail("invalid boolean");
}

/** A byte range as a string, one char per byte (only used on ASCII-validated ranges). */
export function latin1(b: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
}

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** Whether a string of digits (optionally signed) fits in an int64. */
export function int64InRange(text: string): boolean {
  const v = BigInt(text);
  return v >= INT64_MIN && v <= INT64_MAX;
}
