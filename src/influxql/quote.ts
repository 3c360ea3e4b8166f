/** Quoting of identifiers and strings as InfluxDB's String() methods do it. */
import { isIdentChar, isIdentFirstChar } from "./scanner.ts";
import { lookup } from "./tokens.ts";

/** Quotes a string literal: `'it\'s'`. */
export function quoteString(s: string): string {
  return "'" + s.replace(/[\n\\']/g, (c) => (c === "\n" ? "\\n" : "\\" + c)) + "'";
}

/** True when an identifier must be written in double quotes (keyword or unusual characters). */
export function identNeedsQuotes(ident: string): boolean {
  if (lookup(ident) !== "IDENT") return true;
  let i = 0;
  for (const ch of ident) {
    if (i === 0 ? !isIdentFirstChar(ch) : !isIdentChar(ch)) return true;
    i++;
  }
  return false;
}

/** Quotes dot-separated identifier segments as InfluxDB does (`"db"."rp".cpu`, `"db"..cpu`). */
export function quoteIdent(...segments: string[]): string {
  let out = "";
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const need = identNeedsQuotes(seg) || (!last && seg !== "") ||
      ((i === 0 || last) && seg === "");
    const body = seg.replace(/[\n\\"]/g, (c) => (c === "\n" ? "\\n" : "\\" + c));
    out += need ? `"${body}"` : body;
    if (!last) out += ".";
  });
  return out;
}
