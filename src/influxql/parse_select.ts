/** SELECT grammar: fields, INTO, FROM sources, WHERE, GROUP BY, fill, ORDER BY, limits, tz. */
import {
  type Dimension,
  type Expr,
  type Field,
  type FillOption,
  measurement,
  type SelectStatement,
  type SortField,
  type Source,
  type Target,
} from "./ast.ts";
import { ParseError } from "./parse_error.ts";
import type { Parser } from "./parser_base.ts";
import { parseExpr, parseRegex } from "./parse_expr.ts";
import { tokenText } from "./tokens.ts";
import { walkExprs } from "./walk.ts";

/** Whether a SELECT must, may or (as a subquery) may have an INTO clause. */
export type TargetRequirement = "required" | "optional" | "subquery";

/** Parses a SELECT after its SELECT keyword. */
export function parseSelectStatement(p: Parser, tr: TargetRequirement): SelectStatement {
  const fields = parseFields(p);
  const target = parseTarget(p, tr);
  const from = p.scanIgnoreWhitespace();
  if (from.tok !== "FROM") p.fail(from, ["FROM"]);
  const sources = parseSources(p, true);
  const condition = parseCondition(p);
  const dimensions = parseDimensions(p);
  const [fill, fillValue] = parseFill(p);
  const sortFields = parseOrderBy(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  const slimit = p.parseOptionalTokenAndInt("SLIMIT");
  const soffset = p.parseOptionalTokenAndInt("SOFFSET");
  const location = parseLocation(p);
  let isRawQuery = true;
  for (const f of fields) walkExprs(f.expr, (e) => (isRawQuery &&= e.kind !== "Call"));
  return {
    kind: "SelectStatement",
    fields,
    target,
    sources,
    condition,
    dimensions,
    fill,
    fillValue,
    sortFields,
    limit,
    offset,
    slimit,
    soffset,
    location,
    isRawQuery,
  };
}

function parseFields(p: Parser): Field[] {
  const fields: Field[] = [];
  for (;;) {
    fields.push(parseField(p));
    if (p.scan().tok !== "COMMA") {
      p.unscan();
      return fields;
    }
  }
}

const WHERE_ONLY = new Set(["=", "!=", "=~", "!~", "<", "<=", ">", ">=", "AND", "OR"]);

function parseField(p: Parser): Field {
  let expr: Expr | null = parseRegex(p);
  if (expr === null) {
    const { pos } = p.scanIgnoreWhitespace();
    p.unscan();
    expr = parseExpr(p);
    let bad: string | null = null;
    walkExprs(expr, (e) => {
      if (e.kind === "BinaryExpr" && WHERE_ONLY.has(e.op)) {
        bad = e.op;
        return false;
      }
      return true;
    });
    if (bad !== null) {
      throw ParseError.plain(
        `invalid operator ${bad} in SELECT clause at line ${pos.line + 1}, char ${
          pos.char + 1
        }; operator is intended for WHERE clause`,
      );
    }
  }
  const alias = parseAlias(p);
  p.consumeWhitespace();
  return { kind: "Field", expr, alias };
}

/** Parses `AS ident` if present; "" otherwise. */
export function parseAlias(p: Parser): string {
  if (!p.accept("AS")) return "";
  return p.parseIdent();
}

function parseTarget(p: Parser, tr: TargetRequirement): Target | null {
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== "INTO") {
    if (tr === "required") p.fail(t, ["INTO"]);
    p.unscan();
    return null;
  }
  const idents = p.parseSegmentedIdents();
  if (idents.length < 3 && p.peekRune() === ":") {
    p.expectTokens("COLON", "MEASUREMENT");
    idents.push("");
  }
  const [a, b, c] = idents;
  const m = idents.length === 1
    ? measurement({ name: a, isTarget: true })
    : idents.length === 2
    ? measurement({ retentionPolicy: a, name: b, isTarget: true })
    : measurement({ database: a, retentionPolicy: b, name: c, isTarget: true });
  return { kind: "Target", measurement: m };
}

/** Parses a comma-separated list of sources; subqueries only where allowed. */
export function parseSources(p: Parser, subqueries: boolean): Source[] {
  const out: Source[] = [];
  do out.push(parseSource(p, subqueries)); while (p.accept("COMMA"));
  return out;
}

/** Parses one source: a regex, a subquery, or `db.rp.measurement` (optionally ending in a regex). */
export function parseSource(p: Parser, subqueries: boolean): Source {
  const re = parseRegex(p);
  if (re !== null) return measurement({ regex: re });
  if (subqueries) {
    if (p.scanIgnoreWhitespace().tok === "LPAREN") {
      p.expectTokens("SELECT");
      const statement = parseSelectStatement(p, "subquery");
      p.expectTokens("RPAREN");
      return { kind: "SubQuery", statement };
    }
    p.unscan();
  }
  const idents = p.parseSegmentedIdents();
  if (idents.length === 3) {
    return measurement({ database: idents[0], retentionPolicy: idents[1], name: idents[2] });
  }
  const tail = parseRegex(p);
  if (idents.length === 1) {
    return tail !== null
      ? measurement({ retentionPolicy: idents[0], regex: tail })
      : measurement({ name: idents[0] });
  }
  return tail !== null
    ? measurement({ database: idents[0], retentionPolicy: idents[1], regex: tail })
    : measurement({ retentionPolicy: idents[0], name: idents[1] });
}

/** Parses `WHERE expr` if present. */
export function parseCondition(p: Parser): Expr | null {
  if (!p.accept("WHERE")) return null;
  return parseExpr(p);
}

/** Parses `GROUP BY dim, ...` if present. */
export function parseDimensions(p: Parser): Dimension[] {
  if (!p.accept("GROUP")) return [];
  const by = p.scanIgnoreWhitespace();
  if (by.tok !== "BY") p.fail(by, ["BY"]);
  const dims: Dimension[] = [];
  for (;;) {
    const re = parseRegex(p);
    if (re !== null) {
      dims.push({ kind: "Dimension", expr: re });
    } else {
      dims.push({ kind: "Dimension", expr: parseExpr(p) });
      p.consumeWhitespace();
    }
    if (p.scan().tok !== "COMMA") {
      p.unscan();
      return dims;
    }
  }
}

function peekIdent(p: Parser, name: string): boolean {
  const t = p.scanIgnoreWhitespace();
  p.unscan();
  return t.tok === "IDENT" && t.lit.toLowerCase() === name;
}

function parseFill(p: Parser): [FillOption, number | bigint | null] {
  if (!peekIdent(p, "fill")) return ["null", null];
  const e = parseExpr(p);
  if (e.kind !== "Call") throw ParseError.plain("fill must be a function call");
  if (e.args.length !== 1) {
    throw ParseError.plain("fill requires an argument, e.g.: 0, null, none, previous, linear");
  }
  const a = e.args[0];
  if (a.kind === "VarRef" && a.type === "") {
    switch (a.name) {
      case "null":
        return ["null", null];
      case "none":
        return ["none", null];
      case "previous":
        return ["previous", null];
      case "linear":
        return ["linear", null];
    }
  }
  if (a.kind === "IntegerLiteral" || a.kind === "NumberLiteral") return ["number", a.value];
  throw ParseError.plain("expected number argument in fill()");
}

/** Parses `ORDER BY ...` if present; only `time` is accepted, as in InfluxDB. */
export function parseOrderBy(p: Parser): SortField[] {
  if (!p.accept("ORDER")) return [];
  const by = p.scanIgnoreWhitespace();
  if (by.tok !== "BY") p.fail(by, ["BY"]);
  const fields: SortField[] = [];
  const t = p.scanIgnoreWhitespace();
  if (t.tok === "ASC" || t.tok === "DESC") {
    fields.push({ kind: "SortField", name: "", ascending: t.tok === "ASC" });
  } else if (t.tok === "IDENT") {
    p.unscan();
    const f = parseSortField(p);
    if (t.lit !== "time") throw ParseError.plain("only ORDER BY time supported at this time");
    fields.push(f);
  } else {
    p.fail(t, ["identifier", tokenText("ASC"), tokenText("DESC")]);
  }
  while (p.accept("COMMA")) fields.push(parseSortField(p));
  if (fields.length > 1) throw ParseError.plain("only ORDER BY time supported at this time");
  return fields;
}

function parseSortField(p: Parser): SortField {
  const name = p.parseIdent();
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== "ASC" && t.tok !== "DESC") {
    p.unscan();
    return { kind: "SortField", name, ascending: true };
  }
  return { kind: "SortField", name, ascending: t.tok === "ASC" };
}

function parseLocation(p: Parser): string | null {
  if (!peekIdent(p, "tz")) return null;
  const e = parseExpr(p);
  if (e.kind !== "Call") throw ParseError.plain("tz must be a function call");
  if (e.args.length !== 1) throw ParseError.plain("tz requires exactly one argument");
  const a = e.args[0];
  if (a.kind !== "StringLiteral") throw ParseError.plain("expected string argument in tz()");
  if (!isKnownTimeZone(a.value)) throw ParseError.plain(`unable to find time zone ${a.value}`);
  return a.value;
}

/** True when `name` is a time zone InfluxDB would load (IANA name, "UTC" or ""). */
export function isKnownTimeZone(name: string): boolean {
  if (name === "" || name === "UTC" || name === "Local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
