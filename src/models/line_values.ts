/**
 * Value conversions for the line protocol parser: numbers straight from bytes, and
 * timestamps with InfluxDB's range rules (`models/time.go` SafeCalcTime / CheckTime).
 */

/** InfluxDB's MinNanoTime and MaxNanoTime: the two extreme int64 values are reserved. */
export const MIN_NANO_TIME = -9223372036854775806n;
export const MAX_NANO_TIME = 9223372036854775806n;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

/**
 * Decimal places of the last value `parseFloatBytes` returned when it is exactly
 * m / 10^places (|m| < 10^15, places ≤ 15, not -0), else -1. Storage keeps such values as
 * short integers; a field instead of a second return value keeps the hot path allocation-free.
 */
export const lastFloat = { places: -1 };

/**
 * A float from the validated number bytes [s, e). Up to 15 digits without an exponent are
 * exact integers divided by an exact power of ten, a single correctly rounded operation;
 * undefined asks the caller for `Number(text)` (correctly rounded like Go's ParseFloat).
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number | undefined {
  let i = s;
  const neg = b[i] === 45;
  if (neg) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < e; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return undefined;
    }
  }
  lastFloat.places = -1;
  if (digits === 0) return NaN;
  if (digits > 15) return undefined;
  const v = frac === 0 ? m : m / POW10[frac];
  if (m !== 0 || !neg) lastFloat.places = frac;
  return neg ? -v : v;
}

/** A signed decimal integer from bytes [s, e); null if it is not one. */
export function parseIntBytes(b: Uint8Array, s: number, e: number): bigint | null {
  const neg = b[s] === 45;
  let i = neg ? s + 1 : s;
  if (i >= e) return null;
  if (e - i <= 15) {
    let n = 0;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return null;
      n = n * 10 + d;
    }
    return BigInt(neg ? -n : n);
  }
  // Split into two exact halves rather than building a string for BigInt().
  if (e - i > 24) return slowInt(b, i, e, neg);
  let hi = 0;
  let lo = 0;
  const split = e - 9;
  for (; i < split; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return null;
    hi = hi * 10 + d;
  }
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return null;
    lo = lo * 10 + d;
  }
  const v = BigInt(hi) * 1_000_000_000n + BigInt(lo);
  return neg ? -v : v;
}

function slowInt(b: Uint8Array, s: number, e: number, neg: boolean): bigint | null {
  let text = "";
  for (let i = s; i < e; i++) {
    if (b[i] < 48 || b[i] > 57) return null;
    text += String.fromCharCode(b[i]);
  }
  const v = BigInt(text);
  return neg ? -v : v;
}

/**
 * The timestamp bytes [s, e) (validated by scanTime: optional '-' then digits) scaled to
 * nanoseconds, or InfluxDB's reason text when it is not a valid time.
 */
export function parseTimestamp(b: Uint8Array, s: number, e: number, mult: bigint): bigint | string {
  const t = parseIntBytes(b, s, e);
  if (t === null || t < INT64_MIN || t > INT64_MAX) {
    let digits = "";
    for (let i = s; i < e; i++) digits += String.fromCharCode(b[i]);
    const why = t === null ? "invalid syntax" : "value out of range";
    return `strconv.ParseInt: parsing "${digits}": ${why}`;
  }
  return scaleTime(t, mult);
}

/** SafeCalcTime: multiply with overflow detection, then the MinNanoTime/MaxNanoTime check. */
export function scaleTime(t: bigint, mult: bigint): bigint | string {
  const ns = t * mult;
  // safeSignedMult: 0 and 1 on either side never overflow; MinNanoTime never scales.
  if (!(t === 0n || t === 1n || mult === 1n)) {
    if (t === MIN_NANO_TIME || ns < INT64_MIN || ns > INT64_MAX) {
      return `time ${t} is outside the range [${MIN_NANO_TIME / mult}, ${MAX_NANO_TIME / mult}]`;
    }
  }
  if (ns < MIN_NANO_TIME || ns > MAX_NANO_TIME) {
    // CheckTime reports the time in whole seconds (Go's Time.Unix floors).
    const secs = ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n);
    return `time ${secs} is outside the range [${MIN_NANO_TIME}, ${MAX_NANO_TIME}]`;
  }
  return ns;
}

/** Length in bytes of a string encoded as UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
