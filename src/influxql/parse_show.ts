/** SHOW statements. Each function runs after the words naming the statement were consumed. */
import type {
  CardinalityOf,
  ListLiteral,
  RegexLiteral,
  ShowCardinalityStatement,
  ShowFieldKeysStatement,
  ShowMeasurementsStatement,
  ShowRetentionPoliciesStatement,
  ShowSeriesStatement,
  ShowStatsStatement,
  ShowTagKeysStatement,
  ShowTagValuesStatement,
  Statement,
  StringLiteral,
  TagKeyOp,
} from "./ast.ts";
import type { Parser } from "./parser_base.ts";
import { parseRegex } from "./parse_expr.ts";
import {
  parseCondition,
  parseDimensions,
  parseOrderBy,
  parseSource,
  parseSources,
} from "./parse_select.ts";

function optionalOn(p: Parser): string {
  return p.accept("ON") ? p.parseIdent() : "";
}

function optionalFrom(p: Parser) {
  return p.accept("FROM") ? parseSources(p, false) : [];
}

/** SHOW MEASUREMENTS. */
export function parseShowMeasurements(p: Parser): ShowMeasurementsStatement {
  const database = optionalOn(p);
  let source = null;
  if (p.accept("WITH")) {
    p.expectTokens("MEASUREMENT");
    const t = p.scanIgnoreWhitespace();
    if (t.tok !== "EQ" && t.tok !== "EQREGEX") p.fail(t, ["=", "=~"]);
    source = parseSource(p, false);
  }
  const condition = parseCondition(p);
  const sortFields = parseOrderBy(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  return {
    kind: "ShowMeasurementsStatement",
    database,
    source,
    condition,
    sortFields,
    limit,
    offset,
  };
}

/** SHOW SERIES, or SHOW SERIES [EXACT] CARDINALITY. */
export function parseShowSeries(p: Parser): Statement {
  const exact = p.accept("EXACT");
  if (p.accept("CARDINALITY")) return parseCardinality(p, "series", exact);
  const database = optionalOn(p);
  const sources = optionalFrom(p);
  const condition = parseCondition(p);
  const sortFields = parseOrderBy(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  const s: ShowSeriesStatement = {
    kind: "ShowSeriesStatement",
    database,
    sources,
    condition,
    sortFields,
    limit,
    offset,
  };
  return s;
}

/** SHOW MEASUREMENT EXACT CARDINALITY (exact) or SHOW MEASUREMENT CARDINALITY. */
export function parseShowMeasurementCardinality(p: Parser, exact: boolean): Statement {
  if (exact) p.expectTokens("CARDINALITY");
  return parseCardinality(p, "measurement", exact);
}

/** SHOW TAG KEY / FIELD KEY [EXACT] CARDINALITY. */
export function parseKeyCardinality(p: Parser, of: "tagKey" | "fieldKey"): Statement {
  const exact = p.accept("EXACT");
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== "CARDINALITY") p.fail(t, exact ? ["CARDINALITY"] : ["EXACT", "CARDINALITY"]);
  return parseCardinality(p, of, exact);
}

function parseCardinality(p: Parser, of: CardinalityOf, exact: boolean): ShowCardinalityStatement {
  const database = optionalOn(p);
  const sources = optionalFrom(p);
  const tagKey = of === "tagValue" ? parseTagKeyExpr(p) : null;
  const condition = parseCondition(p);
  const dimensions = parseDimensions(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  return {
    kind: "ShowCardinalityStatement",
    of,
    exact,
    database,
    sources,
    condition,
    dimensions,
    limit,
    offset,
    tagKey: tagKey === null ? null : { op: tagKey.op, expr: tagKey.expr },
  };
}

/** SHOW TAG KEYS. */
export function parseShowTagKeys(p: Parser): ShowTagKeysStatement {
  const database = optionalOn(p);
  const sources = optionalFrom(p);
  const condition = parseCondition(p);
  const sortFields = parseOrderBy(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  const slimit = p.parseOptionalTokenAndInt("SLIMIT");
  const soffset = p.parseOptionalTokenAndInt("SOFFSET");
  return {
    kind: "ShowTagKeysStatement",
    database,
    sources,
    condition,
    sortFields,
    limit,
    offset,
    slimit,
    soffset,
  };
}

/** SHOW TAG VALUES, or SHOW TAG VALUES [EXACT] CARDINALITY. */
export function parseShowTagValues(p: Parser): Statement {
  const t = p.scanIgnoreWhitespace();
  if (t.tok === "EXACT") {
    p.expectTokens("CARDINALITY");
    return parseCardinality(p, "tagValue", true);
  }
  if (t.tok === "CARDINALITY") return parseCardinality(p, "tagValue", false);
  p.unscan();
  const database = optionalOn(p);
  const sources = optionalFrom(p);
  const { op, expr } = parseTagKeyExpr(p);
  const condition = parseCondition(p);
  const sortFields = parseOrderBy(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  const s: ShowTagValuesStatement = {
    kind: "ShowTagValuesStatement",
    database,
    sources,
    op,
    tagKeyExpr: expr,
    condition,
    sortFields,
    limit,
    offset,
  };
  return s;
}

/** `WITH KEY (= | != | =~ | !~ | IN) ...`. */
function parseTagKeyExpr(
  p: Parser,
): { op: TagKeyOp; expr: StringLiteral | RegexLiteral | ListLiteral } {
  p.expectTokens("WITH", "KEY");
  const t = p.scanIgnoreWhitespace();
  if (t.tok === "IN") {
    const l = p.scanIgnoreWhitespace();
    if (l.tok !== "LPAREN") p.fail(l, ["("]);
    const values = p.parseIdentList();
    const r = p.scanIgnoreWhitespace();
    if (r.tok !== "RPAREN") p.fail(r, [")"]);
    return { op: "IN", expr: { kind: "ListLiteral", values } };
  }
  if (t.tok === "EQ" || t.tok === "NEQ") {
    const value = p.parseIdent();
    return { op: t.tok === "EQ" ? "=" : "!=", expr: { kind: "StringLiteral", value } };
  }
  if (t.tok === "EQREGEX" || t.tok === "NEQREGEX") {
    const re = parseRegex(p);
    if (re === null) p.fail(p.scanIgnoreWhitespace(), ["regex"]);
    return { op: t.tok === "EQREGEX" ? "=~" : "!~", expr: re };
  }
  return p.fail(t, ["IN", "=", "=~"]);
}

/** SHOW FIELD KEYS. */
export function parseShowFieldKeys(p: Parser): ShowFieldKeysStatement {
  const database = p.accept("ON") ? p.parseIdent() : "";
  const sources = optionalFrom(p);
  const sortFields = parseOrderBy(p);
  const limit = p.parseOptionalTokenAndInt("LIMIT");
  const offset = p.parseOptionalTokenAndInt("OFFSET");
  return { kind: "ShowFieldKeysStatement", database, sources, sortFields, limit, offset };
}

/** SHOW RETENTION POLICIES [ON db]. */
export function parseShowRetentionPolicies(p: Parser): ShowRetentionPoliciesStatement {
  return { kind: "ShowRetentionPoliciesStatement", database: optionalOn(p) };
}

/** SHOW STATS / SHOW DIAGNOSTICS [FOR 'module']. */
export function parseShowStats(
  p: Parser,
  kind: ShowStatsStatement["kind"],
): ShowStatsStatement {
  return { kind, module: p.accept("FOR") ? p.parseString() : "" };
}
