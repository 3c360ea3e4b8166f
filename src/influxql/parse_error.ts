/** The one error the InfluxQL parser throws, carrying InfluxDB's exact text. */
import type { Pos } from "./rune_reader.ts";

/**
 * A query that does not parse. `message` is InfluxDB's text exactly (e.g. `found X, expected Y
 * at line 1, char N`); the HTTP layer prefixes `error parsing query: `. `line`/`char` are
 * one-based, or 0 when InfluxDB reports the error without a position.
 */
export class ParseError extends Error {
  override readonly name = "ParseError";
  readonly line: number;
  readonly char: number;

  constructor(message: string, line: number, char: number) {
    super(message);
    this.line = line;
    this.char = char;
  }

  /** `found X, expected A, B at line L, char C`. */
  static expected(found: string, expected: readonly string[], pos: Pos): ParseError {
    return ParseError.at(`found ${found}, expected ${expected.join(", ")}`, pos);
  }

  /** `<message> at line L, char C`. */
  static at(message: string, pos: Pos): ParseError {
    const line = pos.line + 1;
    const char = pos.char + 1;
    return new ParseError(`${message} at line ${line}, char ${char}`, line, char);
  }

  /** An error InfluxDB reports without a position. */
  static plain(message: string): ParseError {
    return new ParseError(message, 0, 0);
  }
}
