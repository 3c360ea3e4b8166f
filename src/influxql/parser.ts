/** InfluxQL entry points: parseQuery, parseStatement, parseExpr. */
import type { Expr, Statement } from "./ast.ts";
import { ParseError } from "./parse_error.ts";
import { Parser } from "./parser_base.ts";
import { parseExpr as parseExprWith } from "./parse_expr.ts";
import { parseSelectStatement } from "./parse_select.ts";
import {
  parseKeyCardinality,
  parseShowFieldKeys,
  parseShowMeasurementCardinality,
  parseShowMeasurements,
  parseShowRetentionPolicies,
  parseShowSeries,
  parseShowStats,
  parseShowTagKeys,
  parseShowTagValues,
} from "./parse_show.ts";
import {
  parseAlterRetentionPolicy,
  parseCreateDatabase,
  parseCreateRetentionPolicy,
  parseCreateSubscription,
  parseCreateUser,
  parseDeleteSeries,
  parseDropSubscription,
  parseExplain,
  parseGrantRevoke,
  parseKillQuery,
  parseSetPassword,
} from "./parse_admin.ts";
import { parseCreateContinuousQuery } from "./parse_cq.ts";
import { type Token, tokenText } from "./tokens.ts";

type Handler = (p: Parser) => Statement;
/** A statement-prefix tree: each token leads to a handler or to a deeper tree. */
type Tree = ReadonlyArray<readonly [Token, Handler | Tree]>;

const name =
  (kind: "DropDatabaseStatement" | "DropMeasurementStatement" | "DropUserStatement") =>
  (p: Parser): Statement => ({ kind, name: p.parseIdent() });
const on =
  (kind: "DropRetentionPolicyStatement" | "DropContinuousQueryStatement") =>
  (p: Parser): Statement => {
    const n = p.parseIdent();
    p.expectTokens("ON");
    return { kind, name: n, database: p.parseIdent() };
  };
const simple = (kind: Extract<Statement, { kind: `Show${string}` }>["kind"]) => (): Statement =>
  ({ kind }) as Statement;

/** InfluxDB 1.6's statement tree; the token order is the order shown in "expected" errors. */
const LANGUAGE: Tree = [
  ["SELECT", (p) => parseSelectStatement(p, "optional")],
  ["DELETE", (p) => parseDeleteSeries(p, "DeleteSeriesStatement")],
  ["SHOW", [
    ["CONTINUOUS", [["QUERIES", simple("ShowContinuousQueriesStatement")]]],
    ["DATABASES", simple("ShowDatabasesStatement")],
    ["DIAGNOSTICS", (p) => parseShowStats(p, "ShowDiagnosticsStatement")],
    ["FIELD", [
      ["KEY", (p) => parseKeyCardinality(p, "fieldKey")],
      ["KEYS", parseShowFieldKeys],
    ]],
    ["GRANTS", [["FOR", (p) => ({ kind: "ShowGrantsForUserStatement", name: p.parseIdent() })]]],
    ["MEASUREMENT", [
      ["EXACT", (p) => parseShowMeasurementCardinality(p, true)],
      ["CARDINALITY", (p) => parseShowMeasurementCardinality(p, false)],
    ]],
    ["MEASUREMENTS", parseShowMeasurements],
    ["QUERIES", simple("ShowQueriesStatement")],
    ["RETENTION", [["POLICIES", parseShowRetentionPolicies]]],
    ["SERIES", parseShowSeries],
    ["SHARD", [["GROUPS", simple("ShowShardGroupsStatement")]]],
    ["SHARDS", simple("ShowShardsStatement")],
    ["STATS", (p) => parseShowStats(p, "ShowStatsStatement")],
    ["SUBSCRIPTIONS", simple("ShowSubscriptionsStatement")],
    ["TAG", [
      ["KEY", (p) => parseKeyCardinality(p, "tagKey")],
      ["KEYS", parseShowTagKeys],
      ["VALUES", parseShowTagValues],
    ]],
    ["USERS", simple("ShowUsersStatement")],
  ]],
  ["CREATE", [
    ["CONTINUOUS", [["QUERY", parseCreateContinuousQuery]]],
    ["DATABASE", parseCreateDatabase],
    ["USER", parseCreateUser],
    ["RETENTION", [["POLICY", parseCreateRetentionPolicy]]],
    ["SUBSCRIPTION", parseCreateSubscription],
  ]],
  ["DROP", [
    ["CONTINUOUS", [["QUERY", on("DropContinuousQueryStatement")]]],
    ["DATABASE", name("DropDatabaseStatement")],
    ["MEASUREMENT", name("DropMeasurementStatement")],
    ["RETENTION", [["POLICY", on("DropRetentionPolicyStatement")]]],
    ["SERIES", (p) => parseDeleteSeries(p, "DropSeriesStatement")],
    ["SHARD", (p) => ({ kind: "DropShardStatement", id: p.parseUInt64() })],
    ["SUBSCRIPTION", parseDropSubscription],
    ["USER", name("DropUserStatement")],
  ]],
  ["EXPLAIN", parseExplain],
  ["GRANT", (p) => parseGrantRevoke(p, true)],
  ["REVOKE", (p) => parseGrantRevoke(p, false)],
  ["ALTER", [["RETENTION", [["POLICY", parseAlterRetentionPolicy]]]]],
  ["SET", [["PASSWORD", [["FOR", parseSetPassword]]]]],
  ["KILL", [["QUERY", parseKillQuery]]],
];

const SHOW_TREE = LANGUAGE.find(([t]) => t === "SHOW")?.[1];

/** Walks the statement tree from the next token to the handler that parses the rest. */
function parseNext(p: Parser): Statement {
  let tree: Tree = LANGUAGE;
  for (;;) {
    const t = p.scanIgnoreWhitespace();
    // SHOW SERVERS is not in InfluxDB 1.6's grammar; accept it without changing its errors.
    if (tree === SHOW_TREE && t.tok === "IDENT" && /^servers$/i.test(t.lit)) {
      return { kind: "ShowServersStatement" };
    }
    const hit = tree.find(([tok]) => tok === t.tok);
    if (hit === undefined) return p.fail(t, tree.map(([tok]) => tokenText(tok)));
    const next = hit[1];
    if (typeof next === "function") return next(p);
    tree = next;
  }
}

/** Turns stack exhaustion on absurdly nested input into a ParseError instead of a crash. */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw ParseError.plain("query is nested too deeply");
    throw e;
  }
}

/** Parses `;`-separated statements; `params` fill `$name` bound parameters. */
export function parseQuery(text: string, params?: Record<string, unknown>): Statement[] {
  return guarded(() => parseAll(new Parser(text, params)));
}

function parseAll(p: Parser): Statement[] {
  const out: Statement[] = [];
  let semi = true;
  for (;;) {
    const t = p.scanIgnoreWhitespace();
    if (t.tok === "EOF") return out;
    if (t.tok === "SEMICOLON") {
      semi = true;
      continue;
    }
    if (!semi) p.fail(t, [";"]);
    p.unscan();
    out.push(parseNext(p));
    semi = false;
  }
}

/** Parses exactly one statement (trailing text is ignored, as InfluxDB's ParseStatement does). */
export function parseStatement(text: string, params?: Record<string, unknown>): Statement {
  return guarded(() => parseNext(new Parser(text, params)));
}

/** Parses one expression. */
export function parseExpr(text: string, params?: Record<string, unknown>): Expr {
  return guarded(() => parseExprWith(new Parser(text, params)));
}
