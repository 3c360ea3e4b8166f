/** A rune reader with a three-rune unread buffer and line/char positions, as influxql's. */

/** A zero-based position in the query text (InfluxDB prints both plus one). */
export interface Pos {
  readonly line: number;
  readonly char: number;
}

/** The marker code point returned at the end of input. */
export const EOF_RUNE = "\u0000";

/**
 * Reads code points with positions. Positions follow InfluxDB exactly, including that the first
 * read of end-of-input advances the column once, so error columns match InfluxDB's.
 */
export class RuneReader {
  readonly #runes: string[];
  #next = 0;
  #line = 0;
  #char = 0;
  #eof = false;
  readonly #buf: { ch: string; pos: Pos }[] = [
    { ch: EOF_RUNE, pos: { line: 0, char: 0 } },
    { ch: EOF_RUNE, pos: { line: 0, char: 0 } },
    { ch: EOF_RUNE, pos: { line: 0, char: 0 } },
  ];
  #i = 0;
  #n = 0;

  constructor(text: string) {
    // CR and CRLF read as one newline, as in InfluxDB.
    this.#runes = Array.from(text.replace(/\r\n?/g, "\n"));
  }

  /** Reads the next rune and its position (EOF_RUNE at the end). */
  read(): { ch: string; pos: Pos } {
    if (this.#n > 0) {
      this.#n--;
      return this.curr();
    }
    const ch = this.#next < this.#runes.length ? this.#runes[this.#next++] : EOF_RUNE;
    this.#i = (this.#i + 1) % 3;
    this.#buf[this.#i] = { ch, pos: { line: this.#line, char: this.#char } };
    if (ch === "\n") {
      this.#line++;
      this.#char = 0;
    } else if (!this.#eof) {
      this.#char++;
    }
    if (ch === EOF_RUNE) this.#eof = true;
    return this.curr();
  }

  /** Pushes the last read rune back. */
  unread(): void {
    this.#n++;
  }

  /** The last read rune and its position. */
  curr(): { ch: string; pos: Pos } {
    return this.#buf[(this.#i - this.#n + 3) % 3];
  }

  /** The next rune without consuming it. */
  peek(): string {
    const { ch } = this.read();
    if (ch !== EOF_RUNE) this.unread();
    return ch;
  }
}
