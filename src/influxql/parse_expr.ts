/** Expression grammar: binary operators by precedence, unary terms, calls, regexes. */
import type {
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  IntegerLiteral,
  RegexLiteral,
  VarRef,
  VarRefType,
} from "./ast.ts";
import { parseDuration } from "./duration.ts";
import { ParseError } from "./parse_error.ts";
import type { Parser } from "./parser_base.ts";
import { compileRegex } from "./regex.ts";
import { isWhitespace } from "./scanner.ts";
import { isOperator, precedence, tokenText } from "./tokens.ts";

type Mut<T> = { -readonly [K in keyof T]: T[K] };

const MAX_I64 = (1n << 63n) - 1n;
const MAX_U64 = (1n << 64n) - 1n;

/** Parses an expression (influxql's ParseExpr), building the tree by operator precedence. */
export function parseExpr(p: Parser): Expr {
  const root: { rhs: Expr } = { rhs: parseUnaryExpr(p) };
  for (;;) {
    const opTok = p.scanIgnoreWhitespace();
    if (!isOperator(opTok.tok)) {
      p.unscan();
      return root.rhs;
    }
    const op = opTok.tok;
    let rhs: Expr;
    if (op === "EQREGEX" || op === "NEQREGEX") {
      const re = parseRegex(p);
      if (re === null) {
        const t = p.scanIgnoreWhitespace();
        p.fail(t, ["regex"]);
      }
      rhs = re;
    } else {
      rhs = parseUnaryExpr(p);
    }
    // Descend the right spine to the first node whose RHS binds at least as tightly.
    let node: { rhs: Expr } = root;
    for (;;) {
      const r = node.rhs;
      if (r.kind !== "BinaryExpr" || precedence(opOf(r.op)) >= precedence(op)) {
        node.rhs = { kind: "BinaryExpr", op: tokenText(op) as BinaryOp, lhs: r, rhs };
        break;
      }
      node = r as Mut<BinaryExpr>;
    }
  }
}

function opOf(op: BinaryOp) {
  const map: Record<BinaryOp, Parameters<typeof precedence>[0]> = {
    "+": "ADD",
    "-": "SUB",
    "*": "MUL",
    "/": "DIV",
    "%": "MOD",
    "&": "BITWISE_AND",
    "|": "BITWISE_OR",
    "^": "BITWISE_XOR",
    AND: "AND",
    OR: "OR",
    IN: "IN",
    "=": "EQ",
    "!=": "NEQ",
    "=~": "EQREGEX",
    "!~": "NEQREGEX",
    "<": "LT",
    "<=": "LTE",
    ">": "GT",
    ">=": "GTE",
  };
  return map[op];
}

/** Parses a term: parenthesised expression, literal, variable, call, wildcard or sign. */
export function parseUnaryExpr(p: Parser): Expr {
  if (p.scanIgnoreWhitespace().tok === "LPAREN") {
    const expr = parseExpr(p);
    const t = p.scanIgnoreWhitespace();
    if (t.tok !== "RPAREN") p.fail(t, [")"]);
    return { kind: "ParenExpr", expr };
  }
  p.unscan();
  const t = p.scanIgnoreWhitespace();
  switch (t.tok) {
    case "IDENT": {
      if (p.scan().tok === "LPAREN") return parseCall(p, t.lit);
      p.unscan();
      p.unscan();
      return parseVarRef(p);
    }
    case "DISTINCT": {
      const t0 = p.scan();
      if (t0.tok === "LPAREN") return parseCall(p, "distinct");
      if (t0.tok === "WS") {
        const t1 = p.scanIgnoreWhitespace();
        if (t1.tok !== "IDENT") p.fail(t1, ["identifier"]);
        return { kind: "Distinct", name: t1.lit };
      }
      return p.fail(t0, ["(", "identifier"]);
    }
    case "STRING":
      return { kind: "StringLiteral", value: t.lit };
    case "NUMBER": {
      const v = Number(t.lit);
      if (!Number.isFinite(v)) throw ParseError.at("unable to parse number", t.pos);
      return { kind: "NumberLiteral", value: v };
    }
    case "INTEGER":
      return integerLiteral(t.lit, t.pos);
    case "TRUE":
    case "FALSE":
      return { kind: "BooleanLiteral", value: t.tok === "TRUE" };
    case "DURATIONVAL": {
      const d = parseDuration(t.lit);
      if (!d.ok) throw ParseError.plain(d.error);
      return { kind: "DurationLiteral", value: d.ns };
    }
    case "MUL": {
      if (p.scan().tok === "DOUBLECOLON") {
        const t1 = p.scan();
        if (t1.tok === "FIELD") return { kind: "Wildcard", type: "field" };
        if (t1.tok === "TAG") return { kind: "Wildcard", type: "tag" };
        p.fail(t1, ["field", "tag"]);
      }
      p.unscan();
      return { kind: "Wildcard", type: "" };
    }
    case "REGEX":
      return checkedRegex(t.lit, t.pos);
    case "BOUNDPARAM": {
      if (!t.lit.startsWith("$")) throw ParseError.plain(t.lit);
      const k = t.lit.slice(1);
      if (k.length === 0) throw ParseError.plain("empty bound parameter");
      throw ParseError.plain(`missing parameter: ${k}`);
    }
    case "ADD":
    case "SUB":
      return signed(p, t.tok === "SUB");
    default:
      return p.fail(t, ["identifier", "string", "number", "bool"]);
  }
}

function integerLiteral(
  lit: string,
  pos: { line: number; char: number },
): Expr {
  const v = BigInt(lit);
  if (v <= MAX_I64) return { kind: "IntegerLiteral", value: v };
  if (v <= MAX_U64) return { kind: "UnsignedLiteral", value: v };
  throw ParseError.at("unable to parse integer", pos);
}

function signed(p: Parser, negative: boolean): Expr {
  const t0 = p.scanIgnoreWhitespace();
  switch (t0.tok) {
    case "NUMBER":
    case "INTEGER":
    case "DURATIONVAL":
    case "LPAREN":
    case "IDENT":
      break;
    default:
      p.fail(t0, ["identifier", "number", "duration", "("]);
  }
  p.unscan();
  const e = parseUnaryExpr(p);
  switch (e.kind) {
    case "NumberLiteral":
      return negative ? { kind: "NumberLiteral", value: -e.value } : e;
    case "IntegerLiteral":
      return negative ? { kind: "IntegerLiteral", value: -e.value } : e;
    case "UnsignedLiteral":
      if (!negative) return e;
      if (e.value === MAX_I64 + 1n) return { kind: "IntegerLiteral", value: -e.value };
      throw ParseError.plain(`constant -${e.value} underflows int64`);
    case "DurationLiteral":
      return negative ? { kind: "DurationLiteral", value: -e.value } : e;
    default: {
      const mul: IntegerLiteral = { kind: "IntegerLiteral", value: negative ? -1n : 1n };
      return { kind: "BinaryExpr", op: "*", lhs: mul, rhs: e };
    }
  }
}

/** Parses `name(args...)`; the name and `(` are already consumed. Names are lower-cased. */
export function parseCall(p: Parser, rawName: string): Call {
  const name = rawName.toLowerCase();
  const args: Expr[] = [];
  const first = parseRegex(p);
  if (first !== null) {
    args.push(first);
  } else {
    if (p.scan().tok === "RPAREN") return { kind: "Call", name, args };
    p.unscan();
    args.push(parseExpr(p));
  }
  while (p.accept("COMMA")) {
    const re = parseRegex(p);
    args.push(re ?? parseExpr(p));
  }
  const t = p.scan();
  if (t.tok !== "RPAREN") p.fail(t, [")"]);
  return { kind: "Call", name, args };
}

const CASTS: Record<string, VarRefType> = {
  float: "float",
  integer: "integer",
  unsigned: "unsigned",
  string: "string",
  boolean: "boolean",
};

/** Parses a variable reference with an optional `::type` cast. */
export function parseVarRef(p: Parser): VarRef {
  const segments = p.parseSegmentedIdents();
  let type: VarRefType = "";
  if (p.scan().tok === "DOUBLECOLON") {
    const t = p.scan();
    if (t.tok === "IDENT" && CASTS[t.lit.toLowerCase()] !== undefined) {
      type = CASTS[t.lit.toLowerCase()];
    } else if (t.tok === "FIELD") {
      type = "field";
    } else if (t.tok === "TAG") {
      type = "tag";
    } else if (t.tok === "IDENT") {
      p.fail(t, ["float", "integer", "unsigned", "string", "boolean", "field", "tag"]);
    } else {
      p.fail(t, ["float", "integer", "string", "boolean", "field", "tag"]);
    }
  } else {
    p.unscan();
  }
  return { kind: "VarRef", name: segments.join("."), type };
}

/** Parses a `/regex/` if one is next (after optional whitespace); null otherwise. */
export function parseRegex(p: Parser): RegexLiteral | null {
  if (isWhitespace(p.peekRune())) p.consumeWhitespace();
  const next = p.peekRune();
  if (next === "$") {
    const t = p.scan();
    p.unscan();
    if (t.tok !== "REGEX") return null;
  } else if (next !== "/") {
    return null;
  }
  const t = p.scanRegex();
  if (t.tok === "BADESCAPE") throw ParseError.at(`bad escape: ${t.lit}`, t.pos);
  if (t.tok === "BADREGEX") throw ParseError.at(`bad regex: ${t.lit}`, t.pos);
  if (t.tok !== "REGEX") p.fail(t, ["regex"]);
  return checkedRegex(t.lit, t.pos);
}

function checkedRegex(pattern: string, pos: { line: number; char: number }): RegexLiteral {
  const re = compileRegex(pattern);
  if (!(re instanceof RegExp)) {
    throw ParseError.at(`error parsing regexp: ${re.error}`, pos);
  }
  return { kind: "RegexLiteral", pattern };
}
