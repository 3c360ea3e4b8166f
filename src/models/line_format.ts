import type { Field, Point } from "./point.ts";
import { type Precision, precisionMultiplier } from "./precision.ts";
import { escapeFieldKey, escapeStringField } from "./escape.ts";
import { LineScanner } from "./line_scan.ts";

const encoder = new TextEncoder();

/** A point that line protocol cannot carry (e.g. a NaN float or an empty field key). */
export class LineFormatError extends Error {
  override readonly name = "LineFormatError";
  constructor(readonly seriesKey: string, readonly fieldKey: string, readonly reason: string) {
    super(`cannot write field "${fieldKey}" of series "${seriesKey}" as line protocol: ${reason}`);
  }
}

/**
 * Formats a point as one line of line protocol (no newline), like InfluxDB's
 * `Point.PrecisionString`: the series key as stored, the fields, and the time divided by the
 * precision (truncating). `parsePoints` of the result gives back the same point. Throws
 * `LineFormatError` for values line protocol cannot express.
 */
export function formatPoint(p: Point, precision: Precision = "ns"): string {
  let line = p.key + " ";
  for (let i = 0; i < p.fields.length; i++) {
    if (i > 0) line += ",";
    line += formatField(p.key, p.fields[i]);
  }
  const mult = precisionMultiplier(precision);
  return line + " " + (mult === 1n ? p.time : p.time / mult).toString();
}

/**
 * Formats points as a line protocol body, one line each, joined by newlines. Throws
 * `LineFormatError` for a point whose line would swallow the next one: InfluxDB's line
 * splitter (scanLine) counts quotes from the first space not escaped *by its own pairing*,
 * so a literal backslash before an escaped space in a key, followed by a `"`, leaves it
 * inside a "string" at the newline. Such a point is only safe as the sole line of a body.
 */
export function formatPoints(points: readonly Point[], precision: Precision = "ns"): string {
  return points.map((p) => {
    const line = formatPoint(p, precision);
    if (points.length > 1 && line.includes('"') && !endsAtNewline(line)) {
      throw new LineFormatError(p.key, "", "its line would run into the next one");
    }
    return line;
  }).join("\n");
}

function endsAtNewline(line: string): boolean {
  const b = encoder.encode(line + "\n");
  return new LineScanner(b, true).scanLine(0) === b.length - 1;
}

function formatField(seriesKey: string, f: Field): string {
  const k = f.key;
  if (k === "") throw new LineFormatError(seriesKey, k, "all fields must have non-empty names");
  for (let i = 0; i < k.length; i++) {
    // A backslash before a byte that gets escaped, or at the end, reads back differently.
    if (k[i] === "\\" && (i === k.length - 1 || ",= ".includes(k[i + 1]))) {
      throw new LineFormatError(seriesKey, k, "a backslash ends the key or precedes , = or space");
    }
  }
  const key = escapeFieldKey(k) + "=";
  switch (f.type) {
    case "float": {
      const v = f.value as number;
      if (!Number.isFinite(v)) {
        throw new LineFormatError(seriesKey, k, `${v} is an unsupported value`);
      }
      return key + formatFloat(v);
    }
    case "integer":
      return key + String(f.value) + "i";
    case "unsigned":
      return key + String(f.value) + "u";
    case "boolean":
      return key + (f.value ? "true" : "false");
    case "string":
      return key + '"' + escapeStringField(f.value as string) + '"';
  }
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatFloat(v: number): string {
  if (Object.is(v, -0)) return "-0";
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const neg = s[0] === "-";
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const intLen = (dot < 0 ? mantissa.length : dot) + exp;
  let out: string;
  if (intLen <= 0) out = "0." + "0".repeat(-intLen) + digits;
  else if (intLen >= digits.length) out = digits + "0".repeat(intLen - digits.length);
  else out = digits.slice(0, intLen) + "." + digits.slice(intLen);
  return (neg ? "-" : "") + out;
}
