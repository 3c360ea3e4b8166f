/** Character classes of the InfluxQL scanner (ASCII only, as in InfluxDB). */

/** Space, tab or newline (InfluxQL's whitespace). */
export function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n";
}
/** ASCII letter. */
export function isLetter(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z");
}
/** ASCII digit. */
export function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}
/** A character allowed inside an unquoted identifier. */
export function isIdentChar(ch: string): boolean {
  return isLetter(ch) || isDigit(ch) || ch === "_";
}
/** A character allowed first in an unquoted identifier. */
export function isIdentFirstChar(ch: string): boolean {
  return isLetter(ch) || ch === "_";
}
