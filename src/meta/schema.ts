// Small validating decoders for msgpack-decoded values. Commands arrive from the network
// and snapshots from disk or a peer: anything malformed becomes a DecodeError naming the
// field, never a half-typed object inside the state machine.

/** Turns an unknown value into a T, or throws DecodeError naming `path`. */
export type Decoder<T> = (v: unknown, path: string) => T;

/** A value that does not have the expected shape. */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
  /** Builds the error for the field at `path`. */
  constructor(readonly path: string, readonly expected: string, got: unknown) {
    super(`${path}: expected ${expected}, got ${describe(got)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof Uint8Array) return "bytes";
  return typeof v;
}

/** A string. */
export function str(v: unknown, p: string): string {
  if (typeof v !== "string") throw new DecodeError(p, "string", v);
  return v;
}

/** A boolean. */
export function bool(v: unknown, p: string): boolean {
  if (typeof v !== "boolean") throw new DecodeError(p, "boolean", v);
  return v;
}

/** A safe integer (ids, counters, replication factors). */
export function int(v: unknown, p: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new DecodeError(p, "integer", v);
  }
  return v;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * A signed 64-bit integer (times and durations in ns). Also accepts a safe-integer number
 * or a decimal string, so JSON callers (which cannot carry ns timestamps exactly as
 * numbers) can send `"1704067200000000000"`.
 */
export function i64(v: unknown, p: string): bigint {
  let b: unknown = v;
  if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === "string" && /^-?\d{1,19}$/.test(v)) b = BigInt(v);
  if (typeof b !== "bigint" || b < I64_MIN || b > I64_MAX) {
    throw new DecodeError(p, "64-bit integer", v);
  }
  return b;
}

/** An integer id carrying brand T. */
export function id<T extends number>(): Decoder<T> {
  return (v, p) => int(v, p) as T;
}

/** One of the given string literals. */
export function oneOf<T extends string>(...values: readonly T[]): Decoder<T> {
  return (v, p) => {
    if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
      throw new DecodeError(p, values.map((x) => JSON.stringify(x)).join(" | "), v);
    }
    return v as T;
  };
}

/** An optional value: undefined or null both decode to undefined. */
export function opt<T>(d: Decoder<T>): Decoder<T | undefined> {
  return (v, p) => (v === undefined || v === null ? undefined : d(v, p));
}

/** An array of T. */
export function arr<T>(d: Decoder<T>): Decoder<readonly T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) throw new DecodeError(p, "array", v);
    return v.map((x, i) => d(x, `${p}[${i}]`));
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A string-keyed map of T. */
export function rec<T>(d: Decoder<T>): Decoder<Readonly<Record<string, T>>> {
  return (v, p) => {
    if (!isRecord(v)) throw new DecodeError(p, "map", v);
    const out: Record<string, T> = {};
    for (const k of Object.keys(v)) out[k] = d(v[k], `${p}.${k}`);
    return out;
  };
}

type Shape = Record<string, Decoder<unknown>>;
type Decoded<S extends Shape> =
  & { [K in keyof S as undefined extends ReturnType<S[K]> ? never : K]: ReturnType<S[K]> }
  & { [K in keyof S as undefined extends ReturnType<S[K]> ? K : never]?: ReturnType<S[K]> };

/** An object with exactly the fields of `shape` (extra fields are dropped, absent optionals omitted). */
export function obj<S extends Shape>(shape: S): Decoder<Decoded<S>> {
  return (v, p) => {
    if (!isRecord(v)) throw new DecodeError(p, "map", v);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(shape)) {
      const x = shape[k](v[k], `${p}.${k}`);
      if (x !== undefined) out[k] = x;
    }
    return out as Decoded<S>;
  };
}
