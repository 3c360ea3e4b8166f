/** Bound parameters (`$name`): turning caller values into the token they stand for. */
import { formatDuration } from "./duration.ts";
import type { Token } from "./tokens.ts";

/** What a bound parameter scans as: a token and its literal text. */
export interface BoundValue {
  readonly tok: Token;
  readonly lit: string;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): plain decimal, no exponent. */
export function formatFloatPlain(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // Expand exponent notation into plain digits.
  const [mant, expS] = s.split(/e/i);
  const exp = Number(expS);
  const neg = mant.startsWith("-");
  const [ip, fp = ""] = (neg ? mant.slice(1) : mant).split(".");
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = digits.slice(0, point) + "." + digits.slice(point);
  return (neg ? "-" : "") + out;
}

function typeName(v: unknown): string {
  if (v === null) return "<nil>";
  if (Array.isArray(v)) return "[]interface {}";
  return typeof v;
}

/**
 * Converts one caller value as InfluxDB 1.6's BindValue does: numbers (integer or float),
 * strings, booleans, and objects `{identifier|regex|duration|integer|number|string|boolean: v}`.
 * An unusable value scans as an error that the parser reports when the parameter is used.
 */
export function bindValue(v: unknown): BoundValue {
  switch (typeof v) {
    case "bigint":
      return { tok: "INTEGER", lit: v.toString() };
    case "number":
      if (Number.isInteger(v)) return { tok: "INTEGER", lit: formatFloatPlain(v) };
      return { tok: "NUMBER", lit: formatFloatPlain(v) };
    case "string":
      return { tok: "STRING", lit: v };
    case "boolean":
      return { tok: v ? "TRUE" : "FALSE", lit: "" };
  }
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length !== 1) {
      return err("bound object parameter value must have exactly one entry");
    }
    const [k, val] = entries[0];
    switch (k) {
      case "identifier":
        return typeof val === "string" ? { tok: "IDENT", lit: val } : badType(k, val);
      case "regex":
        return typeof val === "string" ? { tok: "REGEX", lit: val } : badType(k, val);
      case "string":
        return typeof val === "string" ? { tok: "STRING", lit: val } : badType(k, val);
      case "boolean":
        return typeof val === "boolean"
          ? { tok: val ? "TRUE" : "FALSE", lit: "" }
          : badType(k, val);
      case "integer":
        if (typeof val === "bigint") return { tok: "INTEGER", lit: val.toString() };
        if (typeof val === "number" && Number.isInteger(val)) {
          return { tok: "INTEGER", lit: formatFloatPlain(val) };
        }
        if (typeof val === "string" && /^-?\d+$/.test(val)) return { tok: "INTEGER", lit: val };
        return badType(k, val);
      case "number":
        if (typeof val === "number") return { tok: "NUMBER", lit: formatFloatPlain(val) };
        if (typeof val === "string" && Number.isFinite(Number(val))) {
          return { tok: "NUMBER", lit: formatFloatPlain(Number(val)) };
        }
        return badType(k, val);
      case "duration":
        if (typeof val === "string") return { tok: "DURATIONVAL", lit: val };
        if (typeof val === "number" && Number.isInteger(val)) {
          return { tok: "DURATIONVAL", lit: formatDuration(BigInt(val)) };
        }
        return badType(k, val);
      default:
        return err(`unknown bind object type: ${k}`);
    }
  }
  return err(`unable to bind parameter with type ${typeName(v)}`);
}

function err(message: string): BoundValue {
  return { tok: "BOUNDPARAM", lit: message };
}

function badType(k: string, v: unknown): BoundValue {
  return err(`unable to bind ${k} with type ${typeName(v)}`);
}
