/** DDL and administration statements. Each runs after the words naming the statement. */
import type {
  AlterRetentionPolicyStatement,
  CreateDatabaseStatement,
  CreateRetentionPolicyStatement,
  CreateSubscriptionStatement,
  CreateUserStatement,
  DeleteSeriesStatement,
  DropSubscriptionStatement,
  ExplainStatement,
  KillQueryStatement,
  Privilege,
  Statement,
} from "./ast.ts";
import { ParseError } from "./parse_error.ts";
import type { Parser } from "./parser_base.ts";
import { parseCondition, parseSelectStatement, parseSources } from "./parse_select.ts";
import { walk } from "./walk.ts";
import type { Token } from "./tokens.ts";

const MAX_I32 = 2147483647;

/** CREATE DATABASE name [WITH [DURATION d] [REPLICATION n] [SHARD DURATION d] [NAME rp]]. */
export function parseCreateDatabase(p: Parser): CreateDatabaseStatement {
  const name = p.parseIdent();
  const s = {
    kind: "CreateDatabaseStatement" as const,
    name,
    retentionPolicyCreate: false,
    retentionPolicyDuration: null as bigint | null,
    retentionPolicyReplication: null as number | null,
    retentionPolicyShardGroupDuration: 0n,
    retentionPolicyName: "",
  };
  if (!p.accept("WITH")) return s;
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== "DURATION" && t.tok !== "NAME" && t.tok !== "REPLICATION" && t.tok !== "SHARD") {
    p.fail(t, ["DURATION", "NAME", "REPLICATION", "SHARD"]);
  }
  p.unscan();
  s.retentionPolicyCreate = true;
  if (p.accept("DURATION")) s.retentionPolicyDuration = p.parseDuration();
  if (p.accept("REPLICATION")) s.retentionPolicyReplication = p.parseInt(1, MAX_I32);
  if (p.accept("SHARD")) {
    const d = p.scanIgnoreWhitespace();
    if (d.tok !== "DURATION") p.fail(d, ["DURATION"]);
    s.retentionPolicyShardGroupDuration = p.parseDuration();
  }
  if (p.accept("NAME")) s.retentionPolicyName = p.parseIdent();
  return s;
}

function shardDuration(p: Parser): bigint {
  const t = p.scanIgnoreWhitespace();
  if (t.tok === "INF") throw ParseError.at("invalid duration INF for shard duration", t.pos);
  p.unscan();
  return p.parseDuration();
}

/** CREATE RETENTION POLICY name ON db DURATION d REPLICATION n [SHARD DURATION d] [DEFAULT]. */
export function parseCreateRetentionPolicy(p: Parser): CreateRetentionPolicyStatement {
  const name = p.parseIdent();
  p.expectTokens("ON");
  const database = p.parseIdent();
  p.expectTokens("DURATION");
  const duration = p.parseDuration();
  p.expectTokens("REPLICATION");
  const replication = p.parseInt(1, MAX_I32);
  let shardGroupDuration = 0n;
  if (p.accept("SHARD")) {
    p.expectTokens("DURATION");
    shardGroupDuration = shardDuration(p);
  }
  const isDefault = p.accept("DEFAULT");
  return {
    kind: "CreateRetentionPolicyStatement",
    name,
    database,
    duration,
    replication,
    shardGroupDuration,
    default: isDefault,
  };
}

/** ALTER RETENTION POLICY name ON db (DURATION d | REPLICATION n | SHARD DURATION d | DEFAULT)+. */
export function parseAlterRetentionPolicy(p: Parser): AlterRetentionPolicyStatement {
  const t = p.scanIgnoreWhitespace();
  let name: string;
  if (t.tok === "DEFAULT") name = "default";
  else if (t.tok === "IDENT") name = t.lit;
  else return p.fail(t, ["identifier"]);
  p.expectTokens("ON");
  const database = p.parseIdent();
  const s = {
    kind: "AlterRetentionPolicyStatement" as const,
    name,
    database,
    duration: null as bigint | null,
    replication: null as number | null,
    shardGroupDuration: null as bigint | null,
    default: false,
  };
  const found = new Set<Token>();
  for (;;) {
    const o = p.scanIgnoreWhitespace();
    if (found.has(o.tok)) throw ParseError.at(`found duplicate ${o.tok} option`, o.pos);
    if (o.tok === "DURATION") s.duration = p.parseDuration();
    else if (o.tok === "REPLICATION") s.replication = p.parseInt(1, MAX_I32);
    else if (o.tok === "SHARD") {
      const d = p.scanIgnoreWhitespace();
      if (d.tok !== "DURATION") p.fail(d, ["DURATION"]);
      s.shardGroupDuration = shardDuration(p);
    } else if (o.tok === "DEFAULT") s.default = true;
    else {
      if (found.size === 0) p.fail(o, ["DURATION", "REPLICATION", "SHARD", "DEFAULT"]);
      p.unscan();
      return s;
    }
    found.add(o.tok);
  }
}

/** DROP SERIES / DELETE: [FROM sources] [WHERE cond], at least one of them. */
export function parseDeleteSeries(
  p: Parser,
  kind: "DropSeriesStatement" | "DeleteSeriesStatement",
): DeleteSeriesStatement {
  const t = p.scanIgnoreWhitespace();
  let sources: DeleteSeriesStatement["sources"] = [];
  if (t.tok === "FROM") {
    sources = parseSources(p, false);
    let err: string | null = null;
    for (const src of sources) {
      walk(src, (n) => {
        if (n.kind !== "Measurement") return;
        if (n.database !== "") err = "database not supported";
        if (kind === "DropSeriesStatement" && n.retentionPolicy !== "") {
          err = "retention policy not supported";
        }
      });
    }
    if (err !== null) throw ParseError.at(err, { line: 0, char: 0 });
  } else {
    p.unscan();
  }
  const condition = parseCondition(p);
  if (condition === null && sources.length === 0) p.fail(t, ["FROM", "WHERE"]);
  return { kind, sources, condition };
}

/** CREATE USER name WITH PASSWORD 'p' [WITH ALL PRIVILEGES]. */
export function parseCreateUser(p: Parser): CreateUserStatement {
  const name = p.parseIdent();
  p.expectTokens("WITH", "PASSWORD");
  const password = p.parseString();
  if (!p.accept("WITH")) return { kind: "CreateUserStatement", name, password, admin: false };
  p.expectTokens("ALL", "PRIVILEGES");
  return { kind: "CreateUserStatement", name, password, admin: true };
}

/** SET PASSWORD FOR name = 'p' (after SET PASSWORD FOR). */
export function parseSetPassword(p: Parser): Statement {
  const name = p.parseIdent();
  const eq = p.scanIgnoreWhitespace();
  if (eq.tok !== "EQ") p.fail(eq, ["="]);
  return { kind: "SetPasswordUserStatement", name, password: p.parseString() };
}

function parsePrivilege(p: Parser): Privilege {
  const t = p.scanIgnoreWhitespace();
  if (t.tok === "READ") return "READ";
  if (t.tok === "WRITE") return "WRITE";
  if (t.tok === "ALL") {
    if (p.scanIgnoreWhitespace().tok !== "PRIVILEGES") p.unscan();
    return "ALL PRIVILEGES";
  }
  return p.fail(t, ["READ", "WRITE", "ALL [PRIVILEGES]"]);
}

/** GRANT priv ON db TO user | GRANT ALL [PRIVILEGES] TO user; REVOKE likewise with FROM. */
export function parseGrantRevoke(p: Parser, grant: boolean): Statement {
  const privilege = parsePrivilege(p);
  const to = grant ? "TO" : "FROM";
  const t = p.scanIgnoreWhitespace();
  if (t.tok === "ON") {
    const on = p.parseIdent();
    const k = p.scanIgnoreWhitespace();
    if (k.tok !== to) p.fail(k, [to]);
    const user = p.parseIdent();
    return { kind: grant ? "GrantStatement" : "RevokeStatement", privilege, on, user };
  }
  if (t.tok === to) {
    if (privilege !== "ALL PRIVILEGES") p.fail(t, ["ON"]);
    return { kind: grant ? "GrantAdminStatement" : "RevokeAdminStatement", user: p.parseIdent() };
  }
  return p.fail(t, privilege === "ALL PRIVILEGES" ? ["ON", to] : ["ON"]);
}

/** KILL QUERY id [ON host] (after KILL QUERY). */
export function parseKillQuery(p: Parser): KillQueryStatement {
  const queryId = p.parseUInt64();
  const host = p.accept("ON") ? p.parseIdent() : "";
  return { kind: "KillQueryStatement", queryId, host };
}

/** EXPLAIN [ANALYZE] SELECT ... (after EXPLAIN). */
export function parseExplain(p: Parser): ExplainStatement {
  const analyze = p.accept("ANALYZE");
  const t = p.scanIgnoreWhitespace();
  if (t.tok !== "SELECT") p.fail(t, ["SELECT"]);
  return { kind: "ExplainStatement", statement: parseSelectStatement(p, "optional"), analyze };
}

function dbDotRp(p: Parser): [string, string] {
  const database = p.parseIdent();
  const dot = p.scan();
  if (dot.tok !== "DOT") p.fail(dot, ["."]);
  return [database, p.parseIdent()];
}

/** CREATE SUBSCRIPTION name ON db.rp DESTINATIONS (ALL|ANY) 'url', ... */
export function parseCreateSubscription(p: Parser): CreateSubscriptionStatement {
  const name = p.parseIdent();
  p.expectTokens("ON");
  const [database, retentionPolicy] = dbDotRp(p);
  p.expectTokens("DESTINATIONS");
  const m = p.scanIgnoreWhitespace();
  if (m.tok !== "ALL" && m.tok !== "ANY") p.fail(m, ["ALL", "ANY"]);
  const destinations = p.parseStringList();
  return {
    kind: "CreateSubscriptionStatement",
    name,
    database,
    retentionPolicy,
    destinations,
    mode: m.tok,
  };
}

/** DROP SUBSCRIPTION name ON db.rp. */
export function parseDropSubscription(p: Parser): DropSubscriptionStatement {
  const name = p.parseIdent();
  p.expectTokens("ON");
  const [database, retentionPolicy] = dbDotRp(p);
  return { kind: "DropSubscriptionStatement", name, database, retentionPolicy };
}
