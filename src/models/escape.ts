/**
 * Escaping rules of InfluxDB 1.x line protocol (influxdb `models/points.go`, `pkg/escape`).
 * A backslash escapes only the listed bytes; any other backslash is kept literally.
 */

const BACKSLASH = 92;

/** Escapes a measurement name as InfluxDB does: commas and spaces. */
export function escapeMeasurement(name: string): string {
  return needsEscape(name, ", ") ? replaceChars(name, ", ") : name;
}

/** Escapes a tag key or tag value as InfluxDB does: commas, spaces and equals signs. */
export function escapeTag(s: string): string {
  return needsEscape(s, ", =") ? replaceChars(s, ", =") : s;
}

/** Escapes a field key as InfluxDB does (`escape.String`): commas, quotes, spaces, equals. */
export function escapeFieldKey(s: string): string {
  return needsEscape(s, ',"= ') ? replaceChars(s, ',"= ') : s;
}

/** Escapes a string field value's content (without the surrounding quotes): `"` and `\`. */
export function escapeStringField(s: string): string {
  return needsEscape(s, '"\\') ? replaceChars(s, '"\\') : s;
}

/** Unescapes a measurement name (`escape.Unescape`: `\,` `\"` `\ ` `\=`). */
export function unescapeMeasurement(raw: string): string {
  return unescapeCodes(raw, ',"= ');
}

/** Unescapes a tag key or value (`\,` `\ ` `\=`; `\"` stays as written). */
export function unescapeTag(raw: string): string {
  return unescapeCodes(raw, ", =");
}

/** Unescapes a field key (`escape.AppendUnescaped`: `\,` `\"` `\ ` `\=`). */
export function unescapeFieldKey(raw: string): string {
  return unescapeCodes(raw, ',"= ');
}

/** Unescapes a string field's content: `\\` becomes `\` and `\"` becomes `"`. */
export function unescapeStringField(raw: string): string {
  return unescapeCodes(raw, '"\\');
}

function needsEscape(s: string, chars: string): boolean {
  for (let i = 0; i < chars.length; i++) {
    if (s.indexOf(chars[i]) !== -1) return true;
  }
  return false;
}

function replaceChars(s: string, chars: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (chars.indexOf(s[i]) !== -1) {
      out += s.slice(from, i) + "\\";
      from = i;
    }
  }
  return out + s.slice(from);
}

/** Left-to-right: a backslash followed by one of `codes` is dropped, others are kept. */
function unescapeCodes(raw: string, codes: string): string {
  if (raw.indexOf("\\") === -1) return raw;
  let out = "";
  let from = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw.charCodeAt(i) === BACKSLASH && codes.indexOf(raw[i + 1]) !== -1) {
      out += raw.slice(from, i);
      from = i + 1;
      i++;
    }
  }
  return out + raw.slice(from);
}
