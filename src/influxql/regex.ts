/** InfluxQL (Go RE2) regex patterns checked and compiled for JavaScript. */

/**
 * Compiles an InfluxQL regex pattern to a JS RegExp. Go's leading inline flags (`(?i)`, `(?s)`,
 * `(?m)`) become JS flags. Returns the JS engine's message when the pattern is invalid.
 */
export function compileRegex(pattern: string): RegExp | { error: string } {
  let src = pattern;
  let flags = "";
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]) if (f !== "U" && !flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(src, flags);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
