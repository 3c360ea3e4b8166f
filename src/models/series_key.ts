import type { Field, Point, Tag } from "./point.ts";
import { escapeMeasurement, escapeTag, unescapeMeasurement, unescapeTag } from "./escape.ts";

const BACKSLASH = 92;
const COMMA = 44;
const EQUALS = 61;

/**
 * Compares two strings in UTF-8 byte order (the order InfluxDB sorts tag keys in). JS `<`
 * compares UTF-16 units, which differs for characters above U+FFFF versus U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // A surrogate (astral code point) sorts after every BMP character in UTF-8.
      const xs = x <= 0xdfff;
      const ys = y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Sorts tags the way the line protocol parser orders them: by the *escaped* tag key, in
 * byte order, so `seriesKey` agrees with the key of the same point parsed back from text.
 */
export function sortTags(tags: readonly Tag[]): Tag[] {
  return tags
    .map((t) => ({ t, k: escapeTag(t[0]) }))
    .sort((a, b) => compareUtf8(a.k, b.k))
    .map((x) => x.t);
}

/**
 * Builds the series key: escaped measurement then `,k=v` for every tag sorted by escaped key.
 * Tags with an empty value are left out, as InfluxDB's `Tags.HashKey` does.
 */
export function seriesKey(measurement: string, tags: readonly Tag[]): string {
  let key = escapeMeasurement(measurement);
  for (const [k, v] of sortTags(tags)) {
    if (v === "") continue;
    key += "," + escapeTag(k) + "=" + escapeTag(v);
  }
  return key;
}

/** The measurement and tags named by a series key (InfluxDB's `ParseKey`). */
export interface ParsedSeriesKey {
  readonly measurement: string;
  readonly tags: Tag[];
}

/** Splits a series key back into its unescaped measurement and tags, in key order. */
export function parseSeriesKey(key: string): ParsedSeriesKey {
  const end = scanToUnescaped(key, 0, COMMA, -1);
  const measurement = unescapeMeasurement(key.slice(0, end));
  const tags: Tag[] = [];
  let i = end + 1;
  while (i < key.length) {
    const eq = scanToUnescaped(key, i, EQUALS, -1);
    const valueEnd = scanToUnescaped(key, eq + 1, COMMA, -1);
    const value = key.slice(eq + 1, valueEnd);
    if (value !== "") tags.push([unescapeTag(key.slice(i, eq)), unescapeTag(value)]);
    i = valueEnd + 1;
  }
  return { measurement, tags };
}

/** Index of the first `stop` (or `stop2`) not preceded by a backslash, or the string length. */
function scanToUnescaped(s: string, i: number, stop: number, stop2: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c === stop || c === stop2) && (i === 0 || s.charCodeAt(i - 1) !== BACKSLASH)) return i;
  }
  return s.length;
}

/** Builds a `Point` from parts: tags sorted as the parser sorts them, key from `seriesKey`. */
export function makePoint(
  measurement: string,
  tags: readonly Tag[],
  fields: readonly Field[],
  time: bigint,
): Point {
  const sorted = sortTags(tags).filter((t) => t[1] !== "");
  return { measurement, tags: sorted, key: seriesKey(measurement, sorted), fields, time };
}

/**
 * What InfluxDB 1.x's shard does with the reserved key `time` (tsdb `shard.go`): a point with
 * a `time` tag is dropped, a point whose only fields are named `time` is dropped, and other
 * `time` fields are silently skipped. Returns the drop reason, or undefined if it is kept.
 */
export function timeKeyViolation(p: Point): string | undefined {
  const tag = timeTagViolation(p);
  if (tag !== undefined) return tag;
  for (const f of p.fields) if (f.key !== "time") return undefined;
  return `invalid field name: input field "time" on measurement "${p.measurement}" is invalid`;
}

/** The tag half of `timeKeyViolation`: a series with a `time` tag is refused. */
export function timeTagViolation(
  s: { readonly measurement: string; readonly tags: readonly Tag[] },
): string | undefined {
  for (const [k] of s.tags) {
    if (k === "time") {
      return `invalid tag key: input tag "time" on measurement "${s.measurement}" is invalid`;
    }
  }
  return undefined;
}
