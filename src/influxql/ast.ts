/** The InfluxQL AST: immutable plain data, every node discriminated by `kind`. */
import type { Expr, ListLiteral, RegexLiteral, StringLiteral } from "./ast_expr.ts";

export type * from "./ast_expr.ts";

/** A measurement (or measurement regex) with optional database and retention policy. */
export interface Measurement {
  readonly kind: "Measurement";
  readonly database: string;
  readonly retentionPolicy: string;
  readonly name: string;
  readonly regex: RegexLiteral | null;
  readonly isTarget: boolean;
}
/** `FROM (SELECT ...)`. */
export interface SubQuery {
  readonly kind: "SubQuery";
  readonly statement: SelectStatement;
}
/** A FROM source. */
export type Source = Measurement | SubQuery;

/** One selected expression with its optional alias ("" when none). */
export interface Field {
  readonly kind: "Field";
  readonly expr: Expr;
  readonly alias: string;
}
/** One GROUP BY term. */
export interface Dimension {
  readonly kind: "Dimension";
  readonly expr: Expr;
}
/** One ORDER BY term; `name` is "" for a bare `ORDER BY DESC`. */
export interface SortField {
  readonly kind: "SortField";
  readonly name: string;
  readonly ascending: boolean;
}
/** `INTO` target; an empty measurement name means `:MEASUREMENT` (the source's name). */
export interface Target {
  readonly kind: "Target";
  readonly measurement: Measurement;
}

/** How empty GROUP BY time windows are filled. */
export type FillOption = "null" | "none" | "number" | "previous" | "linear";

/** SELECT. */
export interface SelectStatement {
  readonly kind: "SelectStatement";
  readonly fields: readonly Field[];
  readonly target: Target | null;
  readonly sources: readonly Source[];
  readonly condition: Expr | null;
  readonly dimensions: readonly Dimension[];
  readonly fill: FillOption;
  /** The fill(number) value, keeping integer vs float. */
  readonly fillValue: number | bigint | null;
  readonly sortFields: readonly SortField[];
  readonly limit: number;
  readonly offset: number;
  readonly slimit: number;
  readonly soffset: number;
  /** The tz('...') name, or null. */
  readonly location: string | null;
  /** True when no function call appears in the fields. */
  readonly isRawQuery: boolean;
}

/** Common optional clauses of SHOW statements. */
interface ShowClauses {
  readonly database: string;
  readonly sources: readonly Source[];
  readonly condition: Expr | null;
  readonly limit: number;
  readonly offset: number;
}

/** SHOW DATABASES. */
export interface ShowDatabasesStatement {
  readonly kind: "ShowDatabasesStatement";
}
/** SHOW MEASUREMENTS [ON db] [WITH MEASUREMENT =|=~ src] [WHERE] [LIMIT] [OFFSET]. */
export interface ShowMeasurementsStatement {
  readonly kind: "ShowMeasurementsStatement";
  readonly database: string;
  readonly source: Source | null;
  readonly condition: Expr | null;
  readonly sortFields: readonly SortField[];
  readonly limit: number;
  readonly offset: number;
}
/** SHOW SERIES. */
export interface ShowSeriesStatement extends ShowClauses {
  readonly kind: "ShowSeriesStatement";
  readonly sortFields: readonly SortField[];
}
/** SHOW TAG KEYS. */
export interface ShowTagKeysStatement extends ShowClauses {
  readonly kind: "ShowTagKeysStatement";
  readonly sortFields: readonly SortField[];
  readonly slimit: number;
  readonly soffset: number;
}
/** The operator of SHOW TAG VALUES ... WITH KEY. */
export type TagKeyOp = "=" | "!=" | "=~" | "!~" | "IN";
/** SHOW TAG VALUES ... WITH KEY op expr. */
export interface ShowTagValuesStatement extends ShowClauses {
  readonly kind: "ShowTagValuesStatement";
  readonly op: TagKeyOp;
  readonly tagKeyExpr: StringLiteral | RegexLiteral | ListLiteral;
  readonly sortFields: readonly SortField[];
}
/** SHOW FIELD KEYS. */
export interface ShowFieldKeysStatement {
  readonly kind: "ShowFieldKeysStatement";
  readonly database: string;
  readonly sources: readonly Source[];
  readonly sortFields: readonly SortField[];
  readonly limit: number;
  readonly offset: number;
}
/** What a SHOW ... CARDINALITY statement counts. */
export type CardinalityOf = "measurement" | "series" | "tagKey" | "tagValue" | "fieldKey";
/** SHOW MEASUREMENT/SERIES/TAG KEY/TAG VALUES/FIELD KEY [EXACT] CARDINALITY. */
export interface ShowCardinalityStatement extends ShowClauses {
  readonly kind: "ShowCardinalityStatement";
  readonly of: CardinalityOf;
  readonly exact: boolean;
  readonly dimensions: readonly Dimension[];
  /** For tag values: the WITH KEY clause. */
  readonly tagKey: { readonly op: TagKeyOp; readonly expr: Expr } | null;
}
/** SHOW RETENTION POLICIES [ON db]. */
export interface ShowRetentionPoliciesStatement {
  readonly kind: "ShowRetentionPoliciesStatement";
  readonly database: string;
}
/** SHOW GRANTS FOR user. */
export interface ShowGrantsForUserStatement {
  readonly kind: "ShowGrantsForUserStatement";
  readonly name: string;
}
/** SHOW STATS [FOR 'module'] / SHOW DIAGNOSTICS [FOR 'module']. */
export interface ShowStatsStatement {
  readonly kind: "ShowStatsStatement" | "ShowDiagnosticsStatement";
  readonly module: string;
}
/** Statements with no arguments. */
export interface SimpleShowStatement {
  readonly kind:
    | "ShowShardsStatement"
    | "ShowShardGroupsStatement"
    | "ShowServersStatement"
    | "ShowUsersStatement"
    | "ShowContinuousQueriesStatement"
    | "ShowQueriesStatement"
    | "ShowSubscriptionsStatement";
}
/** CREATE DATABASE name [WITH ...]. */
export interface CreateDatabaseStatement {
  readonly kind: "CreateDatabaseStatement";
  readonly name: string;
  readonly retentionPolicyCreate: boolean;
  readonly retentionPolicyDuration: bigint | null;
  readonly retentionPolicyReplication: number | null;
  readonly retentionPolicyShardGroupDuration: bigint;
  readonly retentionPolicyName: string;
}
/** DROP DATABASE / DROP MEASUREMENT / DROP USER name. */
export interface DropNamedStatement {
  readonly kind: "DropDatabaseStatement" | "DropMeasurementStatement" | "DropUserStatement";
  readonly name: string;
}
/** CREATE RETENTION POLICY. */
export interface CreateRetentionPolicyStatement {
  readonly kind: "CreateRetentionPolicyStatement";
  readonly name: string;
  readonly database: string;
  readonly duration: bigint;
  readonly replication: number;
  readonly shardGroupDuration: bigint;
  readonly default: boolean;
}
/** ALTER RETENTION POLICY; null means "not given". */
export interface AlterRetentionPolicyStatement {
  readonly kind: "AlterRetentionPolicyStatement";
  readonly name: string;
  readonly database: string;
  readonly duration: bigint | null;
  readonly replication: number | null;
  readonly shardGroupDuration: bigint | null;
  readonly default: boolean;
}
/** DROP RETENTION POLICY / DROP CONTINUOUS QUERY name ON db. */
export interface DropOnStatement {
  readonly kind: "DropRetentionPolicyStatement" | "DropContinuousQueryStatement";
  readonly name: string;
  readonly database: string;
}
/** DROP SERIES / DELETE [FROM sources] [WHERE cond]. */
export interface DeleteSeriesStatement {
  readonly kind: "DropSeriesStatement" | "DeleteSeriesStatement";
  readonly sources: readonly Source[];
  readonly condition: Expr | null;
}
/** DROP SHARD id. */
export interface DropShardStatement {
  readonly kind: "DropShardStatement";
  readonly id: bigint;
}
/** CREATE USER name WITH PASSWORD 'p' [WITH ALL PRIVILEGES]. */
export interface CreateUserStatement {
  readonly kind: "CreateUserStatement";
  readonly name: string;
  readonly password: string;
  readonly admin: boolean;
}
/** SET PASSWORD FOR name = 'p'. */
export interface SetPasswordUserStatement {
  readonly kind: "SetPasswordUserStatement";
  readonly name: string;
  readonly password: string;
}
/** A database privilege. */
export type Privilege = "READ" | "WRITE" | "ALL PRIVILEGES";
/** GRANT/REVOKE privilege ON db TO/FROM user. */
export interface GrantStatement {
  readonly kind: "GrantStatement" | "RevokeStatement";
  readonly privilege: Privilege;
  readonly on: string;
  readonly user: string;
}
/** GRANT ALL PRIVILEGES TO user / REVOKE ALL PRIVILEGES FROM user. */
export interface GrantAdminStatement {
  readonly kind: "GrantAdminStatement" | "RevokeAdminStatement";
  readonly user: string;
}
/** CREATE CONTINUOUS QUERY. */
export interface CreateContinuousQueryStatement {
  readonly kind: "CreateContinuousQueryStatement";
  readonly name: string;
  readonly database: string;
  readonly source: SelectStatement;
  readonly resampleEvery: bigint;
  readonly resampleFor: bigint;
}
/** KILL QUERY id [ON host]. */
export interface KillQueryStatement {
  readonly kind: "KillQueryStatement";
  readonly queryId: bigint;
  readonly host: string;
}
/** EXPLAIN [ANALYZE] select. */
export interface ExplainStatement {
  readonly kind: "ExplainStatement";
  readonly statement: SelectStatement;
  readonly analyze: boolean;
}
/** CREATE SUBSCRIPTION (parsed only). */
export interface CreateSubscriptionStatement {
  readonly kind: "CreateSubscriptionStatement";
  readonly name: string;
  readonly database: string;
  readonly retentionPolicy: string;
  readonly destinations: readonly string[];
  readonly mode: "ALL" | "ANY";
}
/** DROP SUBSCRIPTION (parsed only). */
export interface DropSubscriptionStatement {
  readonly kind: "DropSubscriptionStatement";
  readonly name: string;
  readonly database: string;
  readonly retentionPolicy: string;
}

/** Any statement. */
export type Statement =
  | SelectStatement
  | ShowDatabasesStatement
  | ShowMeasurementsStatement
  | ShowSeriesStatement
  | ShowTagKeysStatement
  | ShowTagValuesStatement
  | ShowFieldKeysStatement
  | ShowCardinalityStatement
  | ShowRetentionPoliciesStatement
  | ShowGrantsForUserStatement
  | ShowStatsStatement
  | SimpleShowStatement
  | CreateDatabaseStatement
  | DropNamedStatement
  | CreateRetentionPolicyStatement
  | AlterRetentionPolicyStatement
  | DropOnStatement
  | DeleteSeriesStatement
  | DropShardStatement
  | CreateUserStatement
  | SetPasswordUserStatement
  | GrantStatement
  | GrantAdminStatement
  | CreateContinuousQueryStatement
  | KillQueryStatement
  | ExplainStatement
  | CreateSubscriptionStatement
  | DropSubscriptionStatement;

/** Every AST node. */
export type Node = Statement | Expr | Source | Field | Dimension | SortField | Target;

/** Builds a measurement with defaults for the fields not given. */
export function measurement(m: Partial<Omit<Measurement, "kind">>): Measurement {
  return {
    kind: "Measurement",
    database: m.database ?? "",
    retentionPolicy: m.retentionPolicy ?? "",
    name: m.name ?? "",
    regex: m.regex ?? null,
    isTarget: m.isTarget ?? false,
  };
}

/** Builds a SELECT statement with InfluxDB's defaults for the fields not given. */
export function selectStatement(s: Partial<Omit<SelectStatement, "kind">>): SelectStatement {
  return {
    kind: "SelectStatement",
    fields: s.fields ?? [],
    target: s.target ?? null,
    sources: s.sources ?? [],
    condition: s.condition ?? null,
    dimensions: s.dimensions ?? [],
    fill: s.fill ?? "null",
    fillValue: s.fillValue ?? null,
    sortFields: s.sortFields ?? [],
    limit: s.limit ?? 0,
    offset: s.offset ?? 0,
    slimit: s.slimit ?? 0,
    soffset: s.soffset ?? 0,
    location: s.location ?? null,
    isRawQuery: s.isRawQuery ?? false,
  };
}
