/** Renders AST back to canonical InfluxQL text, as influxql's String() methods do. */
import type {
  Dimension,
  Expr,
  Field,
  SelectStatement,
  SortField,
  Source,
  Statement,
  Target,
} from "./ast.ts";
import { formatDuration, goDurationString } from "./duration.ts";
import { quoteIdent, quoteString } from "./quote.ts";
import { formatRFC3339Nano } from "./time_literal.ts";
import { type ExprVisitor, type StatementVisitor, visitExpr, visitStatement } from "./walk.ts";

/** Go's strconv.FormatFloat(v, 'f', 3, 64). */
function fixed3(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (Math.abs(v) >= 1e21) return `${BigInt(v)}.000`;
  const scaled = Math.abs(v) * 1000;
  let s = v.toFixed(3);
  // v * 1000 ends in exactly .5 only when v is an odd multiple of 1/16 (multiplying by 16 is
  // exact). On such ties Go rounds half to even where toFixed rounds away from zero.
  const sixteenths = Math.abs(v) * 16;
  if (Number.isSafeInteger(sixteenths) && sixteenths % 2 === 1) {
    const even = Math.floor(scaled) % 2 === 0 ? Math.floor(scaled) : Math.floor(scaled) + 1;
    const digits = String(even).padStart(4, "0");
    s = (v < 0 ? "-" : "") + `${digits.slice(0, -3)}.${digits.slice(-3)}`;
  }
  return Object.is(v, -0) ? "-" + s : s;
}

/** Go's %v for a float64 (shortest representation, exponent from 1e21). */
function goFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  return String(v).replace(/e([+-])(\d)$/, "e$10$2");
}

const EXPR: ExprVisitor<string> = {
  BinaryExpr: (e) => `${formatExpr(e.lhs)} ${e.op} ${formatExpr(e.rhs)}`,
  ParenExpr: (e) => `(${formatExpr(e.expr)})`,
  Call: (e) => `${e.name}(${e.args.map(formatExpr).join(", ")})`,
  VarRef: (e) => quoteIdent(e.name) + (e.type === "" ? "" : `::${e.type}`),
  Wildcard: (e) => (e.type === "" ? "*" : `*::${e.type}`),
  Distinct: (e) => `DISTINCT ${e.name}`,
  NumberLiteral: (e) => fixed3(e.value),
  IntegerLiteral: (e) => e.value.toString(),
  UnsignedLiteral: (e) => e.value.toString(),
  StringLiteral: (e) => quoteString(e.value),
  BooleanLiteral: (e) => String(e.value),
  DurationLiteral: (e) => formatDuration(e.value),
  TimeLiteral: (e) => `'${formatRFC3339Nano(e.value)}'`,
  RegexLiteral: (e) => `/${e.pattern.replaceAll("/", "\\/")}/`,
  NilLiteral: () => "null",
  ListLiteral: (e) => `(${e.values.map((v) => quoteIdent(v)).join(", ")})`,
};

/** Formats an expression. */
export function formatExpr(e: Expr): string {
  return visitExpr(e, EXPR);
}

/** Formats a FROM source (measurement, regex or subquery). */
export function formatSource(s: Source): string {
  if (s.kind === "SubQuery") return `(${formatSelect(s.statement)})`;
  let out = "";
  if (s.database !== "") out += quoteIdent(s.database) + ".";
  if (s.retentionPolicy !== "") out += quoteIdent(s.retentionPolicy);
  if (s.database !== "" || s.retentionPolicy !== "") out += ".";
  if (s.name !== "") out += quoteIdent(s.name);
  else if (s.regex !== null) out += formatExpr(s.regex);
  return out;
}

function formatField(f: Field): string {
  const s = formatExpr(f.expr);
  return f.alias === "" ? s : `${s} AS ${quoteIdent(f.alias)}`;
}

function formatTarget(t: Target): string {
  return "INTO " + formatSource(t.measurement) + (t.measurement.name === "" ? ":MEASUREMENT" : "");
}

function formatSort(f: SortField): string {
  return (f.name !== "" ? quoteIdent(f.name) + " " : "") + (f.ascending ? "ASC" : "DESC");
}

const list = <T>(xs: readonly T[], f: (x: T) => string) => xs.map(f).join(", ");
const dims = (ds: readonly Dimension[]) => list(ds, (d) => formatExpr(d.expr));

interface Clauses {
  on?: string;
  sources?: readonly Source[];
  where?: Expr | null;
  groupBy?: readonly Dimension[];
  orderBy?: readonly SortField[];
  limit?: number;
  offset?: number;
  slimit?: number;
  soffset?: number;
}

/** The trailing clauses shared by SELECT and SHOW statements, in InfluxDB's order. */
function clauses(c: Clauses, middle = ""): string {
  let out = "";
  if (c.on) out += ` ON ${quoteIdent(c.on)}`;
  if (c.sources && c.sources.length > 0) out += ` FROM ${list(c.sources, formatSource)}`;
  out += middle;
  if (c.where) out += ` WHERE ${formatExpr(c.where)}`;
  if (c.groupBy && c.groupBy.length > 0) out += ` GROUP BY ${dims(c.groupBy)}`;
  if (c.orderBy && c.orderBy.length > 0) out += ` ORDER BY ${list(c.orderBy, formatSort)}`;
  if (c.limit && c.limit > 0) out += ` LIMIT ${c.limit}`;
  if (c.offset && c.offset > 0) out += ` OFFSET ${c.offset}`;
  if (c.slimit && c.slimit > 0) out += ` SLIMIT ${c.slimit}`;
  if (c.soffset && c.soffset > 0) out += ` SOFFSET ${c.soffset}`;
  return out;
}

/** Formats a SELECT statement. */
export function formatSelect(s: SelectStatement): string {
  let out = "SELECT " + list(s.fields, formatField);
  if (s.target) out += " " + formatTarget(s.target);
  if (s.sources.length > 0) out += ` FROM ${list(s.sources, formatSource)}`;
  if (s.condition) out += ` WHERE ${formatExpr(s.condition)}`;
  if (s.dimensions.length > 0) out += ` GROUP BY ${dims(s.dimensions)}`;
  if (s.fill === "none") out += " fill(none)";
  else if (s.fill === "number") {
    const v = s.fillValue;
    out += ` fill(${typeof v === "number" ? goFloat(v) : String(v)})`;
  } else if (s.fill === "linear") out += " fill(linear)";
  else if (s.fill === "previous") out += " fill(previous)";
  out += clauses({
    orderBy: s.sortFields,
    limit: s.limit,
    offset: s.offset,
    slimit: s.slimit,
    soffset: s.soffset,
  });
  if (s.location !== null) out += ` TZ('${s.location}')`;
  return out;
}

const CARDINALITY_NAME = {
  measurement: "MEASUREMENT",
  series: "SERIES",
  tagKey: "TAG KEY",
  tagValue: "TAG VALUES",
  fieldKey: "FIELD KEY",
} as const;

const STATEMENT: StatementVisitor<string> = {
  SelectStatement: formatSelect,
  ShowDatabasesStatement: () => "SHOW DATABASES",
  ShowMeasurementsStatement: (s) => {
    let w = "";
    if (s.source !== null) {
      const re = s.source.kind === "Measurement" && s.source.regex !== null;
      w = ` WITH MEASUREMENT ${re ? "=~" : "="} ${formatSource(s.source)}`;
    }
    return "SHOW MEASUREMENTS" + clauses({ on: s.database }) + w +
      clauses({ where: s.condition, orderBy: s.sortFields, limit: s.limit, offset: s.offset });
  },
  ShowSeriesStatement: (s) =>
    "SHOW SERIES" +
    clauses({
      on: s.database,
      sources: s.sources,
      where: s.condition,
      orderBy: s.sortFields,
      limit: s.limit,
      offset: s.offset,
    }),
  ShowTagKeysStatement: (s) =>
    "SHOW TAG KEYS" + clauses({ ...s, on: s.database, where: s.condition, orderBy: s.sortFields }),
  ShowTagValuesStatement: (s) => {
    const k = s.tagKeyExpr;
    const key = k.kind === "StringLiteral" ? quoteIdent(k.value) : formatExpr(k);
    return "SHOW TAG VALUES" +
      clauses(
        {
          on: s.database,
          sources: s.sources,
          where: s.condition,
          orderBy: s.sortFields,
          limit: s.limit,
          offset: s.offset,
        },
        ` WITH KEY ${s.op} ${key}`,
      );
  },
  ShowFieldKeysStatement: (s) =>
    "SHOW FIELD KEYS" +
    clauses({
      on: s.database,
      sources: s.sources,
      orderBy: s.sortFields,
      limit: s.limit,
      offset: s.offset,
    }),
  ShowCardinalityStatement: (s) => {
    let key = "";
    if (s.tagKey !== null) {
      const k = s.tagKey.expr;
      key = ` WITH KEY ${s.tagKey.op} ${
        k.kind === "StringLiteral" ? quoteIdent(k.value) : formatExpr(k)
      }`;
    }
    return `SHOW ${CARDINALITY_NAME[s.of]}${s.exact ? " EXACT" : ""} CARDINALITY` +
      clauses(
        {
          on: s.database,
          sources: s.sources,
          where: s.condition,
          groupBy: s.dimensions,
          limit: s.limit,
          offset: s.offset,
        },
        key,
      );
  },
  ShowRetentionPoliciesStatement: (s) => "SHOW RETENTION POLICIES" + clauses({ on: s.database }),
  ShowGrantsForUserStatement: (s) => `SHOW GRANTS FOR ${quoteIdent(s.name)}`,
  ShowStatsStatement: (s) => "SHOW STATS" + (s.module ? ` FOR ${quoteString(s.module)}` : ""),
  ShowDiagnosticsStatement: (s) =>
    "SHOW DIAGNOSTICS" + (s.module ? ` FOR ${quoteString(s.module)}` : ""),
  ShowShardsStatement: () => "SHOW SHARDS",
  ShowShardGroupsStatement: () => "SHOW SHARD GROUPS",
  ShowServersStatement: () => "SHOW SERVERS",
  ShowUsersStatement: () => "SHOW USERS",
  ShowContinuousQueriesStatement: () => "SHOW CONTINUOUS QUERIES",
  ShowQueriesStatement: () => "SHOW QUERIES",
  ShowSubscriptionsStatement: () => "SHOW SUBSCRIPTIONS",
  CreateDatabaseStatement: (s) => {
    let out = `CREATE DATABASE ${quoteIdent(s.name)}`;
    if (!s.retentionPolicyCreate) return out;
    out += " WITH";
    if (s.retentionPolicyDuration !== null) {
      out += ` DURATION ${goDurationString(s.retentionPolicyDuration)}`;
    }
    if (s.retentionPolicyReplication !== null) {
      out += ` REPLICATION ${s.retentionPolicyReplication}`;
    }
    if (s.retentionPolicyShardGroupDuration > 0n) {
      out += ` SHARD DURATION ${goDurationString(s.retentionPolicyShardGroupDuration)}`;
    }
    if (s.retentionPolicyName !== "") out += ` NAME ${quoteIdent(s.retentionPolicyName)}`;
    return out;
  },
  DropDatabaseStatement: (s) => `DROP DATABASE ${quoteIdent(s.name)}`,
  DropMeasurementStatement: (s) => `DROP MEASUREMENT ${quoteIdent(s.name)}`,
  DropUserStatement: (s) => `DROP USER ${quoteIdent(s.name)}`,
  CreateRetentionPolicyStatement: (s) =>
    `CREATE RETENTION POLICY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)} DURATION ${
      formatDuration(s.duration)
    } REPLICATION ${s.replication}` +
    (s.shardGroupDuration > 0n ? ` SHARD DURATION ${formatDuration(s.shardGroupDuration)}` : "") +
    (s.default ? " DEFAULT" : ""),
  AlterRetentionPolicyStatement: (s) =>
    `ALTER RETENTION POLICY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}` +
    (s.duration !== null ? ` DURATION ${formatDuration(s.duration)}` : "") +
    (s.replication !== null ? ` REPLICATION ${s.replication}` : "") +
    (s.shardGroupDuration !== null
      ? ` SHARD DURATION ${formatDuration(s.shardGroupDuration)}`
      : "") +
    (s.default ? " DEFAULT" : ""),
  DropRetentionPolicyStatement: (s) =>
    `DROP RETENTION POLICY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}`,
  DropContinuousQueryStatement: (s) =>
    `DROP CONTINUOUS QUERY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}`,
  DropSeriesStatement: (s) => "DROP SERIES" + clauses({ sources: s.sources, where: s.condition }),
  DeleteSeriesStatement: (s) => "DELETE" + clauses({ sources: s.sources, where: s.condition }),
  DropShardStatement: (s) => `DROP SHARD ${s.id}`,
  CreateUserStatement: (s) =>
    `CREATE USER ${quoteIdent(s.name)} WITH PASSWORD [REDACTED]` +
    (s.admin ? " WITH ALL PRIVILEGES" : ""),
  SetPasswordUserStatement: (s) => `SET PASSWORD FOR ${quoteIdent(s.name)} = [REDACTED]`,
  GrantStatement: (s) => `GRANT ${s.privilege} ON ${quoteIdent(s.on)} TO ${quoteIdent(s.user)}`,
  RevokeStatement: (s) => `REVOKE ${s.privilege} ON ${quoteIdent(s.on)} FROM ${quoteIdent(s.user)}`,
  GrantAdminStatement: (s) => `GRANT ALL PRIVILEGES TO ${quoteIdent(s.user)}`,
  RevokeAdminStatement: (s) => `REVOKE ALL PRIVILEGES FROM ${quoteIdent(s.user)}`,
  CreateContinuousQueryStatement: (s) => {
    let out = `CREATE CONTINUOUS QUERY ${quoteIdent(s.name)} ON ${quoteIdent(s.database)} `;
    if (s.resampleEvery > 0n || s.resampleFor > 0n) {
      out += "RESAMPLE ";
      if (s.resampleEvery > 0n) out += `EVERY ${formatDuration(s.resampleEvery)} `;
      if (s.resampleFor > 0n) out += `FOR ${formatDuration(s.resampleFor)} `;
    }
    return out + `BEGIN ${formatSelect(s.source)} END`;
  },
  KillQueryStatement: (s) =>
    `KILL QUERY ${s.queryId}` + (s.host ? ` ON ${quoteIdent(s.host)}` : ""),
  ExplainStatement: (s) => `EXPLAIN ${s.analyze ? "ANALYZE " : ""}${formatSelect(s.statement)}`,
  CreateSubscriptionStatement: (s) =>
    `CREATE SUBSCRIPTION ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}.${
      quoteIdent(s.retentionPolicy)
    } DESTINATIONS ${s.mode} ${list(s.destinations, quoteString)}`,
  DropSubscriptionStatement: (s) =>
    `DROP SUBSCRIPTION ${quoteIdent(s.name)} ON ${quoteIdent(s.database)}.${
      quoteIdent(s.retentionPolicy)
    }`,
};

/** Formats any statement as InfluxDB's String() does (passwords shown as [REDACTED]). */
export function formatStatement(s: Statement): string {
  return visitStatement(s, STATEMENT);
}

/** Formats several statements as InfluxDB's Query.String() does (joined by ";\n"). */
export function formatQuery(statements: readonly Statement[]): string {
  return statements.map(formatStatement).join(";\n");
}
