/** Seeded generators of points and bytes for the line protocol property and fuzz tests. */
import {
  type Field,
  type FieldType,
  makePoint,
  type Point,
  type Tag,
} from "../../src/models/mod.ts";
import { mulberry32 } from "../../src/util/random.ts";

/** mulberry32, shared with the rest of the project. */
export const prng = mulberry32;

// Every byte line protocol escapes, plus unicode (2, 3 and 4 byte UTF-8) and plain text.
const ALPHABET = [..."abcXYZ019_-.", ",", " ", "=", '"', "\\", "\t", "é", "北", "😀", "#", "'"];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

function text(rnd: () => number, maxLen: number, ok: (s: string) => boolean): string {
  for (;;) {
    const n = 1 + Math.floor(rnd() * maxLen);
    let s = "";
    for (let i = 0; i < n; i++) s += pick(rnd, ALPHABET);
    if (ok(s)) return s;
  }
}

// Names line protocol cannot carry (InfluxDB has the same limits): a backslash at the end of a
// name; before `"` or `=` in a measurement; before `,` `=` or space in a field key; a leading
// tab or `#` where the parser skips whitespace or sees a comment.
const measurementOk = (s: string) => !s.endsWith("\\") && !/\\["=]/.test(s) && !/^[\t#]/.test(s);
const tagOk = (s: string) => !s.endsWith("\\");
const fieldKeyOk = (s: string) => !s.endsWith("\\") && !/\\[,= ]/.test(s) && !/^\t/.test(s);

const TYPES: FieldType[] = ["float", "integer", "unsigned", "boolean", "string"];

function value(rnd: () => number, type: FieldType): Field["value"] {
  switch (type) {
    case "float": {
      const r = rnd();
      if (r < 0.1) return pick(rnd, [0, -0, 1.7976931348623157e308, 5e-324, -2.5e-300, 1e21]);
      if (r < 0.5) return Math.round((rnd() - 0.5) * 1e6) / 100;
      return (rnd() - 0.5) * Math.pow(10, Math.floor(rnd() * 40) - 20);
    }
    case "integer":
      return BigInt.asIntN(
        64,
        BigInt(Math.floor(rnd() * 2 ** 53)) * BigInt(Math.floor(rnd() * 2 ** 20)),
      );
    case "unsigned":
      return BigInt.asUintN(
        64,
        BigInt(Math.floor(rnd() * 2 ** 53)) * BigInt(Math.floor(rnd() * 2 ** 20)),
      );
    case "boolean":
      return rnd() < 0.5;
    case "string":
      return rnd() < 0.1 ? "" : text(rnd, 12, () => true) + (rnd() < 0.2 ? "\n\\" : "");
  }
}

/** A random valid point, every escape and unicode included, built with `makePoint`. */
export function randomPoint(rnd: () => number): Point {
  const measurement = text(rnd, 8, measurementOk);
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (let i = Math.floor(rnd() * 4); i > 0; i--) {
    const k = text(rnd, 6, tagOk);
    if (seen.has(k)) continue;
    seen.add(k);
    tags.push([k, text(rnd, 6, tagOk)]);
  }
  const fields: Field[] = [];
  const keys = new Set<string>();
  for (let i = 1 + Math.floor(rnd() * 4); i > 0; i--) {
    const key = text(rnd, 6, fieldKeyOk);
    if (keys.has(key)) continue;
    keys.add(key);
    const type = pick(rnd, TYPES);
    fields.push({ key, type, value: value(rnd, type) });
  }
  const time = BigInt.asIntN(
    64,
    BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * 1000n + BigInt(Math.floor(rnd() * 1000)),
  );
  return makePoint(measurement, tags, fields, time);
}

/** Random bytes biased towards the bytes the parser branches on. */
export function randomBytes(rnd: () => number, maxLen: number): Uint8Array {
  const special = [10, 13, 32, 44, 61, 34, 92, 35, 9, 0, 45, 46, 105, 117, 101, 116, 102, 48, 57];
  const n = Math.floor(rnd() * maxLen);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = rnd() < 0.6 ? pick(rnd, special) : Math.floor(rnd() * 256);
  }
  return out;
}
