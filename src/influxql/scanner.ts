/** The InfluxQL scanner: text in, tokens with positions and literals out. */
import { lookup, type Token } from "./tokens.ts";
import { EOF_RUNE, type Pos, RuneReader } from "./rune_reader.ts";
import { isDigit, isIdentChar, isLetter, isWhitespace } from "./chars.ts";

export { isDigit, isIdentChar, isIdentFirstChar, isLetter, isWhitespace } from "./chars.ts";

/** One scanned token: its kind, where it starts and its literal text (if any). */
export interface Scanned {
  readonly tok: Token;
  readonly pos: Pos;
  readonly lit: string;
}

type ScanErr = "bad string" | "bad escape" | "bad regex";

/** Scans tokens from query text exactly as InfluxDB 1.6's scanner does. */
export class Scanner {
  readonly r: RuneReader;

  constructor(text: string) {
    this.r = new RuneReader(text);
  }

  /** Returns the next token. */
  scan(): Scanned {
    const { ch: ch0, pos } = this.r.read();
    if (isWhitespace(ch0)) return this.#scanWhitespace();
    if (isLetter(ch0) || ch0 === "_") {
      this.r.unread();
      return this.#scanIdent(true);
    }
    if (isDigit(ch0)) return this.#scanNumber();
    const t = (tok: Token, lit = ""): Scanned => ({ tok, pos, lit });
    const next = (want: string): boolean => {
      if (this.r.read().ch === want) return true;
      this.r.unread();
      return false;
    };
    switch (ch0) {
      case EOF_RUNE:
        return t("EOF");
      case '"':
        this.r.unread();
        return this.#scanIdent(true);
      case "'":
        return this.#scanString();
      case ".": {
        const ch1 = this.r.read().ch;
        this.r.unread();
        return isDigit(ch1) ? this.#scanNumber() : t("DOT");
      }
      case "$": {
        const id = this.#scanIdent(false);
        return id.tok !== "IDENT" ? t(id.tok, "$" + id.lit) : t("BOUNDPARAM", "$" + id.lit);
      }
      case "+":
        return t("ADD");
      case "-":
        if (next("-")) {
          this.#skipUntilNewline();
          return t("COMMENT");
        }
        return t("SUB");
      case "*":
        return t("MUL");
      case "/":
        if (next("*")) return this.#skipUntilEndComment() ? t("COMMENT") : t("ILLEGAL");
        return t("DIV");
      case "%":
        return t("MOD");
      case "&":
        return t("BITWISE_AND");
      case "|":
        return t("BITWISE_OR");
      case "^":
        return t("BITWISE_XOR");
      case "=":
        return next("~") ? t("EQREGEX") : t("EQ");
      case "!": {
        const ch1 = this.r.read().ch;
        if (ch1 === "=") return t("NEQ");
        if (ch1 === "~") return t("NEQREGEX");
        this.r.unread();
        break;
      }
      case ">":
        return next("=") ? t("GTE") : t("GT");
      case "<": {
        const ch1 = this.r.read().ch;
        if (ch1 === "=") return t("LTE");
        if (ch1 === ">") return t("NEQ");
        this.r.unread();
        return t("LT");
      }
      case "(":
        return t("LPAREN");
      case ")":
        return t("RPAREN");
      case ",":
        return t("COMMA");
      case ";":
        return t("SEMICOLON");
      case ":":
        return next(":") ? t("DOUBLECOLON") : t("COLON");
    }
    return t("ILLEGAL", ch0);
  }

  /** Scans a `/regex/` starting at the current position; `\/` escapes a slash. */
  scanRegex(): Scanned {
    let { pos } = this.r.curr();
    const res = this.#scanDelimited("/", "/", true);
    if (res.err === "bad escape") {
      pos = this.r.curr().pos;
      return { tok: "BADESCAPE", pos, lit: "" };
    }
    if (res.err !== undefined) return { tok: "BADREGEX", pos, lit: "" };
    return { tok: "REGEX", pos, lit: res.text };
  }

  #scanWhitespace(): Scanned {
    const { ch, pos } = this.r.curr();
    let buf = ch;
    for (;;) {
      const c = this.r.read().ch;
      if (c === EOF_RUNE) break;
      if (!isWhitespace(c)) {
        this.r.unread();
        break;
      }
      buf += c;
    }
    return { tok: "WS", pos, lit: buf };
  }

  #skipUntilNewline(): void {
    for (;;) {
      const ch = this.r.read().ch;
      if (ch === "\n" || ch === EOF_RUNE) return;
    }
  }

  /** Skips to the closing `*\/`; false when the input ends first. */
  #skipUntilEndComment(): boolean {
    for (;;) {
      const ch1 = this.r.read().ch;
      if (ch1 === EOF_RUNE) return false;
      if (ch1 !== "*") continue;
      for (;;) {
        const ch2 = this.r.read().ch;
        if (ch2 === "/") return true;
        if (ch2 === EOF_RUNE) return false;
        if (ch2 !== "*") break;
      }
    }
  }

  #scanIdent(lookupKeyword: boolean): Scanned {
    const { pos } = this.r.read();
    this.r.unread();
    let buf = "";
    for (;;) {
      const ch = this.r.read().ch;
      if (ch === EOF_RUNE) break;
      if (ch === '"') {
        const s = this.#scanString();
        if (s.tok === "BADSTRING" || s.tok === "BADESCAPE") return s;
        return { tok: "IDENT", pos, lit: s.lit };
      }
      if (isIdentChar(ch)) {
        this.r.unread();
        buf += this.#scanBareIdent();
      } else {
        this.r.unread();
        break;
      }
    }
    if (lookupKeyword) {
      const tok = lookup(buf);
      if (tok !== "IDENT") return { tok, pos, lit: "" };
    }
    return { tok: "IDENT", pos, lit: buf };
  }

  #scanBareIdent(): string {
    let buf = "";
    for (;;) {
      const ch = this.r.read().ch;
      if (ch === EOF_RUNE) break;
      if (!isIdentChar(ch)) {
        this.r.unread();
        break;
      }
      buf += ch;
    }
    return buf;
  }

  #scanString(): Scanned {
    this.r.unread();
    let { pos } = this.r.curr();
    const ending = this.r.read().ch;
    let buf = "";
    for (;;) {
      const ch0 = this.r.read().ch;
      if (ch0 === ending) return { tok: "STRING", pos, lit: buf };
      if (ch0 === EOF_RUNE || ch0 === "\n") return { tok: "BADSTRING", pos, lit: buf };
      if (ch0 === "\\") {
        const ch1 = this.r.read().ch;
        if (ch1 === "n") buf += "\n";
        else if (ch1 === "\\" || ch1 === '"' || ch1 === "'") buf += ch1;
        else {
          pos = this.r.curr().pos;
          return { tok: "BADESCAPE", pos, lit: ch0 + ch1 };
        }
      } else {
        buf += ch0;
      }
    }
  }

  #scanDelimited(
    start: string,
    end: string,
    passThru: boolean,
  ): { text: string; err?: ScanErr } {
    const first = this.r.read().ch;
    if (first === EOF_RUNE || first !== start) return { text: "", err: "bad regex" };
    let buf = "";
    for (;;) {
      const ch0 = this.r.read().ch;
      if (ch0 === end) return { text: buf };
      if (ch0 === EOF_RUNE) return { text: buf, err: "bad regex" };
      if (ch0 === "\n") return { text: "", err: "bad regex" };
      if (ch0 === "\\") {
        const ch1 = this.r.read().ch;
        if (ch1 === EOF_RUNE) return { text: "", err: "bad regex" };
        if (ch1 === "/") {
          buf += "/";
        } else if (passThru) {
          this.r.unread();
          buf += ch0;
        } else {
          return { text: ch0 + ch1, err: "bad escape" };
        }
      } else {
        buf += ch0;
      }
    }
  }

  #scanNumber(): Scanned {
    const { ch, pos } = this.r.curr();
    if (ch === ".") {
      const ch1 = this.r.read().ch;
      this.r.unread();
      if (!isDigit(ch1)) return { tok: "ILLEGAL", pos, lit: "." };
    }
    this.r.unread();
    let buf = this.#scanDigits();
    let isDecimal = false;
    const ch0 = this.r.read().ch;
    if (ch0 === ".") {
      isDecimal = true;
      const ch1 = this.r.read().ch;
      if (isDigit(ch1)) buf += ch0 + ch1 + this.#scanDigits();
      else this.r.unread();
    } else {
      this.r.unread();
    }
    if (isDecimal) return { tok: "NUMBER", pos, lit: buf };
    const c = this.r.read().ch;
    if (!(isLetter(c) || c === "µ")) {
      this.r.unread();
      return { tok: "INTEGER", pos, lit: buf };
    }
    buf += c;
    for (;;) {
      const c1 = this.r.read().ch;
      if (!isLetter(c1) && c1 !== "µ") {
        this.r.unread();
        break;
      }
      buf += c1;
    }
    for (;;) {
      const c2 = this.r.read().ch;
      if (isLetter(c2) || c2 === "µ" || isDigit(c2)) buf += c2;
      else {
        this.r.unread();
        break;
      }
    }
    return { tok: "DURATIONVAL", pos, lit: buf };
  }

  #scanDigits(): string {
    let buf = "";
    for (;;) {
      const ch = this.r.read().ch;
      if (!isDigit(ch)) {
        this.r.unread();
        return buf;
      }
      buf += ch;
    }
  }
}

/** Scans all of `text` into tokens (including WS and COMMENT), ending with EOF. */
export function scanAll(text: string): Scanned[] {
  const s = new Scanner(text);
  const out: Scanned[] = [];
  for (;;) {
    const t = s.scan();
    out.push(t);
    if (t.tok === "EOF") return out;
  }
}
