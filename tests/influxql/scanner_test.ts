import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { scanAll, Scanner, type Token } from "../../src/influxql/mod.ts";

type Row = [input: string, tok: Token, lit?: string, char?: number];

// Ported from influxql's scanner_test.go: one row per token class.
const SINGLE: Row[] = [
  ["", "EOF"],
  ["#", "ILLEGAL", "#"],
  [" ", "WS", " "],
  ["\t", "WS", "\t"],
  ["\n", "WS", "\n"],
  ["\r", "WS", "\n"],
  ["\r\n", "WS", "\n"],
  ["\rX", "WS", "\n"],
  ["\n\r", "WS", "\n\n"],
  [" \n\t \r\n\t", "WS", " \n\t \n\t"],
  [" foo", "WS", " "],
  ["+", "ADD"],
  ["-", "SUB"],
  ["*", "MUL"],
  ["/", "DIV"],
  ["%", "MOD"],
  ["&", "BITWISE_AND"],
  ["|", "BITWISE_OR"],
  ["^", "BITWISE_XOR"],
  ["AND", "AND"],
  ["and", "AND"],
  ["OR", "OR"],
  ["or", "OR"],
  ["=", "EQ"],
  ["<>", "NEQ"],
  ["!=", "NEQ"],
  ["! ", "ILLEGAL", "!"],
  ["<", "LT"],
  ["<=", "LTE"],
  [">", "GT"],
  [">=", "GTE"],
  ["(", "LPAREN"],
  [")", "RPAREN"],
  [",", "COMMA"],
  [";", "SEMICOLON"],
  [".", "DOT"],
  ["=~", "EQREGEX"],
  ["!~", "NEQREGEX"],
  [":", "COLON"],
  ["::", "DOUBLECOLON"],
  ["-- comment\nSELECT", "COMMENT"],
  ["/* multi\nline */", "COMMENT"],
  ["/* unterminated", "ILLEGAL"],
  ["foo", "IDENT", "foo"],
  ["_foo", "IDENT", "_foo"],
  ["Zx12_3U_-", "IDENT", "Zx12_3U_"],
  ['"foo"', "IDENT", "foo"],
  ['"foo\\\\bar"', "IDENT", "foo\\bar"],
  ['"foo\\bar"', "BADESCAPE", "\\b", 5],
  ['"foo\\"bar\\""', "IDENT", 'foo"bar"'],
  ['test"', "BADSTRING", "", 3],
  ['"test', "BADSTRING", "test"],
  ["$host", "BOUNDPARAM", "$host"],
  ['$"host param"', "BOUNDPARAM", "$host param"],
  ["true", "TRUE"],
  ["false", "FALSE"],
  ["'testing 123!'", "STRING", "testing 123!"],
  ["'foo\\nbar'", "STRING", "foo\nbar"],
  ["'foo\\\\bar'", "STRING", "foo\\bar"],
  ["'it\\'s'", "STRING", "it's"],
  ["'test", "BADSTRING", "test"],
  ["'test\nfoo", "BADSTRING", "test"],
  ["'test\\g'", "BADESCAPE", "\\g", 6],
  ["100", "INTEGER", "100"],
  ["100.23", "NUMBER", "100.23"],
  [".23", "NUMBER", ".23"],
  ["10.3s", "NUMBER", "10.3"],
  ["10u", "DURATIONVAL", "10u"],
  ["10µ", "DURATIONVAL", "10µ"],
  ["10ms", "DURATIONVAL", "10ms"],
  ["1s", "DURATIONVAL", "1s"],
  ["10m", "DURATIONVAL", "10m"],
  ["1h30m", "DURATIONVAL", "1h30m"],
  ["10d", "DURATIONVAL", "10d"],
  ["10w", "DURATIONVAL", "10w"],
  ["10x", "DURATIONVAL", "10x"],
  ["ALL", "ALL"],
  ["ALTER", "ALTER"],
  ["CARDINALITY", "CARDINALITY"],
  ["DATABASES", "DATABASES"],
  ["GROUPS", "GROUPS"],
  ["INF", "INF"],
  ["SLIMIT", "SLIMIT"],
  ["SOFFSET", "SOFFSET"],
  ["WRITE", "WRITE"],
  ["explain", "EXPLAIN"],
  ["seLECT", "SELECT"],
  ["ſelect", "ILLEGAL", "ſ"],
];

Deno.test("scanner: every token class, literal and position", () => {
  for (const [input, tok, lit = "", char = 0] of SINGLE) {
    const t = new Scanner(input).scan();
    assertEquals([t.tok, t.lit, t.pos.char], [tok, lit, char], JSON.stringify(input));
  }
});

Deno.test("scanner: a statement scans with positions", () => {
  const got = scanAll("SELECT value from myseries WHERE a = 'b'").map((t) =>
    `${t.tok}@${t.pos.char}${t.lit === "" || t.tok === "WS" ? "" : ":" + t.lit}`
  );
  assertEquals(got, [
    "SELECT@0",
    "WS@6",
    "IDENT@7:value",
    "WS@12",
    "FROM@13",
    "WS@17",
    "IDENT@18:myseries",
    "WS@26",
    "WHERE@27",
    "WS@32",
    "IDENT@33:a",
    "WS@34",
    "EQ@35",
    "WS@36",
    // InfluxDB reports a string at the character before its opening quote.
    "STRING@36:b",
    "EOF@40",
  ]);
});

Deno.test("scanner: lines and columns across newlines", () => {
  const got = scanAll("SELECT\n  x").filter((t) => t.tok !== "WS").map((t) => [
    t.tok,
    t.pos.line,
    t.pos.char,
  ]);
  // An identifier at the end reads end-of-input twice, so EOF sits one column further on,
  // exactly as InfluxDB reports it.
  assertEquals(got, [["SELECT", 0, 0], ["IDENT", 1, 2], ["EOF", 1, 4]]);
});

Deno.test("scanner: regexes keep escapes except \\/", () => {
  const cases: [string, Token, string][] = [
    ["/^payments\\./", "REGEX", "^payments\\."],
    ["/foo\\/bar/", "REGEX", "foo/bar"],
    ["/foo\\\\/bar/", "REGEX", "foo\\/bar"],
    ["/foo\\\\bar/", "REGEX", "foo\\\\bar"],
    ["/http\\:\\/\\/www\\.example\\.com/", "REGEX", "http\\://www\\.example\\.com"],
    ["/unterminated", "BADREGEX", ""],
    ["/new\nline/", "BADREGEX", ""],
  ];
  for (const [input, tok, lit] of cases) {
    const s = new Scanner(input);
    s.r.peek();
    const t = s.scanRegex();
    assertEquals([t.tok, t.lit], [tok, lit], input);
  }
});
