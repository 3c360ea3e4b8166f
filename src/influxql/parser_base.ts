/** The parser's token stream: a scanner with a three-token unscan buffer and bound params. */
import { bindValue, type BoundValue } from "./params.ts";
import { ParseError } from "./parse_error.ts";
import { type Scanned, Scanner } from "./scanner.ts";
import { type Token, tokenText, tokstr } from "./tokens.ts";
import { parseDuration } from "./duration.ts";
import { quoteIdent } from "./quote.ts";

/** Scanning primitives and the small shared grammar rules of InfluxQL. */
export class Parser {
  readonly #s: Scanner;
  readonly #params: ReadonlyMap<string, BoundValue>;
  readonly #buf: Scanned[] = [];
  #i = 0;
  #n = 0;

  constructor(text: string, params?: Record<string, unknown>) {
    this.#s = new Scanner(text);
    const m = new Map<string, BoundValue>();
    for (const [k, v] of Object.entries(params ?? {})) m.set(k, bindValue(v));
    this.#params = m;
    const zero: Scanned = { tok: "EOF", pos: { line: 0, char: 0 }, lit: "" };
    this.#buf.push(zero, zero, zero);
  }

  /** The next token, including whitespace and comments. */
  scan(): Scanned {
    return this.#scanWith(() => this.#s.scan());
  }

  /** The next token scanned as a regex. */
  scanRegex(): Scanned {
    return this.#scanWith(() => this.#s.scanRegex());
  }

  #scanWith(fn: () => Scanned): Scanned {
    if (this.#n > 0) {
      this.#n--;
      return this.#curr();
    }
    this.#i = (this.#i + 1) % 3;
    let t = fn();
    if (t.tok === "BOUNDPARAM") {
      const k = t.lit.slice(1);
      const v = k.length > 0 ? this.#params.get(k) : undefined;
      if (v !== undefined) t = { tok: v.tok, pos: t.pos, lit: v.lit };
    }
    this.#buf[this.#i] = t;
    return t;
  }

  #curr(): Scanned {
    return this.#buf[(this.#i - this.#n + 3) % 3];
  }

  /** Pushes the last token back. */
  unscan(): void {
    this.#n++;
  }

  /** The next non-whitespace, non-comment token. */
  scanIgnoreWhitespace(): Scanned {
    for (;;) {
      const t = this.scan();
      if (t.tok !== "WS" && t.tok !== "COMMENT") return t;
    }
  }

  /** Consumes one whitespace token if next. */
  consumeWhitespace(): void {
    if (this.scan().tok !== "WS") this.unscan();
  }

  /** The next raw character after everything scanned so far (influxql's peekRune). */
  peekRune(): string {
    return this.#s.r.peek();
  }

  /** Throws `found X, expected ...` for a token. */
  fail(t: Scanned, expected: readonly string[]): never {
    throw ParseError.expected(tokstr(t.tok, t.lit), expected, t.pos);
  }

  /** Consumes an exact sequence of tokens. */
  expectTokens(...toks: Token[]): void {
    for (const want of toks) {
      const t = this.scanIgnoreWhitespace();
      if (t.tok !== want) this.fail(t, [tokenText(want)]);
    }
  }

  /** Consumes `tok` if it is next (skipping whitespace); reports whether it did. */
  accept(tok: Token): boolean {
    if (this.scanIgnoreWhitespace().tok === tok) return true;
    this.unscan();
    return false;
  }

  /** An identifier. */
  parseIdent(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== "IDENT") this.fail(t, ["identifier"]);
    return t.lit;
  }

  /** A comma-separated list of identifiers. */
  parseIdentList(): string[] {
    const out = [this.parseIdent()];
    while (this.accept("COMMA")) out.push(this.parseIdent());
    return out;
  }

  /** A single-quoted string. */
  parseString(): string {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== "STRING") this.fail(t, ["string"]);
    return t.lit;
  }

  /** A comma-separated list of strings. */
  parseStringList(): string[] {
    const out = [this.parseString()];
    while (this.accept("COMMA")) out.push(this.parseString());
    return out;
  }

  /** A base-10 integer in [min, max]. */
  parseInt(min: number, max: number): number {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== "INTEGER") this.fail(t, ["integer"]);
    const n = Number(t.lit);
    if (!Number.isSafeInteger(n)) {
      throw ParseError.at(`strconv.Atoi: parsing "${t.lit}": value out of range`, t.pos);
    }
    if (n < min || n > max) {
      throw ParseError.at(`invalid value ${n}: must be ${min} <= n <= ${max}`, t.pos);
    }
    return n;
  }

  /** An unsigned 64-bit integer. */
  parseUInt64(): bigint {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== "INTEGER") this.fail(t, ["integer"]);
    const n = BigInt(t.lit);
    if (n >= 1n << 64n) {
      throw ParseError.at(`strconv.ParseUint: parsing "${t.lit}": value out of range`, t.pos);
    }
    return n;
  }

  /** A duration literal or INF (0). */
  parseDuration(): bigint {
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== "DURATIONVAL" && t.tok !== "INF") this.fail(t, ["duration"]);
    if (t.tok === "INF") return 0n;
    const d = parseDuration(t.lit);
    if (!d.ok) throw ParseError.at(d.error, t.pos);
    return d.ns;
  }

  /** `tok <int>` if `tok` is next; 0 otherwise. */
  parseOptionalTokenAndInt(tok: Token): number {
    if (!this.accept(tok)) return 0;
    const t = this.scanIgnoreWhitespace();
    if (t.tok !== "INTEGER") this.fail(t, ["integer"]);
    return Number(t.lit);
  }

  /** Dot-separated identifiers: `db.rp.m`, `db..m`; stops before a regex or `:`. */
  parseSegmentedIdents(): string[] {
    const idents = [this.parseIdent()];
    for (;;) {
      if (this.scan().tok !== "DOT") {
        this.unscan();
        break;
      }
      const ch = this.peekRune();
      if (ch === "/" || ch === ":") break;
      if (ch === ".") {
        idents.push("");
        continue;
      }
      idents.push(this.parseIdent());
    }
    if (idents.length > 3) {
      throw ParseError.at(`too many segments in ${quoteIdent(...idents)}`, { line: 0, char: 0 });
    }
    return idents;
  }
}
