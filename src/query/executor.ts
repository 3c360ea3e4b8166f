/**
 * The statement executor: runs parsed statements in order against the declared meta and
 * shard interfaces and yields one plain-data result per statement, as InfluxDB 1.6 does
 * (after a failed statement the rest report "not executed").
 */
import type { Point, Tag } from "../models/point.ts";
import { seriesKey } from "../models/mod.ts";
import type { SelectStatement, Statement } from "../influxql/mod.ts";
import { formatStatement } from "../influxql/mod.ts";
import type { QueryMeta, QueryShards, Value, WritePointsFn } from "./deps.ts";
import {
  alterRetentionPolicy,
  createDatabase,
  createRetentionPolicy,
  deleteSeries,
  dropMeasurement,
} from "./ddl.ts";
import { QueryError, queryErrors } from "./errors.ts";
import type { ResultSeries, StatementResult } from "./result.ts";
import { executeSelect, OpenShards, resolveSource } from "./select_exec.ts";
import {
  showCardinality,
  showContinuousQueries,
  showDatabases,
  showFieldKeys,
  showGrants,
  showMeasurements,
  showRetentionPolicies,
  showSeries,
  showShardGroups,
  showShards,
  showTagKeys,
  showTagValues,
  showUsers,
} from "./show.ts";

/** What the executor runs against. */
export interface ExecutorDeps {
  readonly meta: QueryMeta;
  readonly shards: QueryShards;
  /** SELECT ... INTO writes through this; without it INTO fails. */
  readonly writePoints?: WritePointsFn;
  /** Randomness for sample(); defaults to Math.random. */
  readonly random?: () => number;
  /** Most GROUP BY time windows per series (default 1,000,000). */
  readonly maxBuckets?: number;
}

/** Per-request options. */
export interface ExecuteOptions {
  readonly database: string;
  readonly retentionPolicy: string;
  /** now() in ns since the epoch (the caller's clock). */
  readonly now: bigint;
  /** True for GET requests: write statements run but carry InfluxDB's deprecation warning. */
  readonly readOnly?: boolean;
}

const WRITE_KINDS = new Set<Statement["kind"]>([
  "CreateDatabaseStatement",
  "DropDatabaseStatement",
  "DropMeasurementStatement",
  "DropUserStatement",
  "CreateRetentionPolicyStatement",
  "AlterRetentionPolicyStatement",
  "DropRetentionPolicyStatement",
  "DropContinuousQueryStatement",
  "DropSeriesStatement",
  "DeleteSeriesStatement",
  "DropShardStatement",
  "CreateUserStatement",
  "SetPasswordUserStatement",
  "GrantStatement",
  "RevokeStatement",
  "GrantAdminStatement",
  "RevokeAdminStatement",
  "CreateContinuousQueryStatement",
  "KillQueryStatement",
  "CreateSubscriptionStatement",
  "DropSubscriptionStatement",
]);

function isWrite(s: Statement): boolean {
  return WRITE_KINDS.has(s.kind) || (s.kind === "SelectStatement" && s.target !== null);
}

/** Runs InfluxQL statements. */
export class StatementExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  /** Yields one result per statement, in order. */
  async *execute(
    statements: readonly Statement[],
    opts: ExecuteOptions,
  ): AsyncGenerator<StatementResult> {
    let failed = false;
    for (let i = 0; i < statements.length; i++) {
      if (failed) {
        yield { statementId: i, error: "not executed" };
        continue;
      }
      const r = await this.executeStatement(statements[i], i, opts);
      if (r.error !== undefined) failed = true;
      yield r;
    }
  }

  /** Runs one statement; errors become the result's `error`. */
  async executeStatement(
    stmt: Statement,
    statementId: number,
    opts: ExecuteOptions,
  ): Promise<StatementResult> {
    const messages = opts.readOnly && isWrite(stmt)
      ? [{
        level: "warning",
        text: `deprecated use of '${
          formatStatement(stmt)
        }' in a read only context, please use a POST request instead`,
      }]
      : undefined;
    try {
      const series = await this.run(stmt, opts);
      const r: StatementResult = { statementId };
      if (messages) r.messages = messages;
      if (series.length > 0) r.series = series;
      return r;
    } catch (e) {
      return { statementId, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async run(stmt: Statement, opts: ExecuteOptions): Promise<ResultSeries[]> {
    const meta = this.deps.meta;
    const open = new OpenShards(this.deps.shards);
    const env = { meta, open, database: opts.database };
    try {
      switch (stmt.kind) {
        case "SelectStatement":
          return await this.select(stmt, opts);
        case "ShowDatabasesStatement":
          return showDatabases(meta);
        case "ShowMeasurementsStatement":
          return await showMeasurements(stmt, env);
        case "ShowSeriesStatement":
          return await showSeries(stmt, env);
        case "ShowTagKeysStatement":
          return await showTagKeys(stmt, env);
        case "ShowTagValuesStatement":
          return await showTagValues(stmt, env);
        case "ShowFieldKeysStatement":
          return await showFieldKeys(stmt, env);
        case "ShowRetentionPoliciesStatement":
          return showRetentionPolicies(meta, stmt.database || opts.database);
        case "ShowShardsStatement":
          return showShards(meta);
        case "ShowShardGroupsStatement":
          return showShardGroups(meta);
        case "ShowUsersStatement":
          return showUsers(meta);
        case "ShowGrantsForUserStatement":
          return showGrants(meta, stmt.name);
        case "ShowContinuousQueriesStatement":
          return showContinuousQueries(meta);
        case "CreateDatabaseStatement":
          await createDatabase(meta, stmt);
          return [];
        case "DropDatabaseStatement":
          await meta.dropDatabase(stmt.name);
          return [];
        case "CreateRetentionPolicyStatement":
          await createRetentionPolicy(meta, stmt);
          return [];
        case "AlterRetentionPolicyStatement":
          await alterRetentionPolicy(meta, stmt);
          return [];
        case "DropRetentionPolicyStatement":
          if (meta.database(stmt.database) === undefined) {
            throw queryErrors.databaseNotFound(stmt.database);
          }
          await meta.dropRetentionPolicy(stmt.database, stmt.name);
          return [];
        case "CreateContinuousQueryStatement":
          if (meta.database(stmt.database) === undefined) {
            throw queryErrors.databaseNotFound(stmt.database);
          }
          await meta.createContinuousQuery(stmt.database, stmt.name, formatStatement(stmt));
          return [];
        case "DropContinuousQueryStatement":
          if (meta.database(stmt.database) === undefined) {
            throw queryErrors.databaseNotFound(stmt.database);
          }
          await meta.dropContinuousQuery(stmt.database, stmt.name);
          return [];
        case "ShowCardinalityStatement":
          return await showCardinality(stmt, env);
        case "DropMeasurementStatement":
          await dropMeasurement(meta, open, opts.database, stmt.name);
          return [];
        case "DropSeriesStatement":
        case "DeleteSeriesStatement":
          await deleteSeries(meta, open, opts.database, stmt, opts.now);
          return [];
        default:
          throw new QueryError(
            `${
              formatStatement(stmt).split(" ").slice(0, 2).join(" ")
            } is not supported by this node`,
          );
      }
    } finally {
      await open.release();
    }
  }

  private async select(stmt: SelectStatement, opts: ExecuteOptions): Promise<ResultSeries[]> {
    const series = await executeSelect(stmt, {
      meta: this.deps.meta,
      shards: this.deps.shards,
      now: opts.now,
      database: opts.database,
      retentionPolicy: opts.retentionPolicy,
      random: this.deps.random ?? Math.random,
      maxBuckets: this.deps.maxBuckets ?? 1_000_000,
    });
    if (stmt.target === null) return series;
    return [await this.writeInto(stmt, series, opts)];
  }

  private async writeInto(
    stmt: SelectStatement,
    series: readonly ResultSeries[],
    opts: ExecuteOptions,
  ): Promise<ResultSeries> {
    const write = this.deps.writePoints;
    if (write === undefined) throw queryErrors.unsupported("SELECT ... INTO");
    const t = stmt.target!.measurement;
    const { database, retentionPolicy } = resolveSource(
      this.deps.meta,
      t.database || opts.database,
      t.retentionPolicy || (t.database ? "" : opts.retentionPolicy),
    );
    const points: Point[] = [];
    for (const s of series) {
      const measurement = t.name || s.name || "";
      const tags: Tag[] = Object.entries(s.tags ?? {}).filter(([, v]) => v !== "")
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const key = seriesKey(measurement, tags);
      for (const row of s.values) {
        const fields = [];
        for (let i = 1; i < s.columns.length; i++) {
          const v = row[i] as Value;
          if (v === null) continue;
          fields.push({ key: s.columns[i], type: typeOf(v), value: v });
        }
        if (fields.length === 0) continue;
        points.push({ measurement, tags, key, fields, time: row[0] as bigint });
      }
    }
    if (points.length > 0) await write(database, retentionPolicy, points);
    return { name: "result", columns: ["time", "written"], values: [[0n, BigInt(points.length)]] };
  }
}

function typeOf(v: number | bigint | string | boolean): "float" | "integer" | "string" | "boolean" {
  return typeof v === "number"
    ? "float"
    : typeof v === "bigint"
    ? "integer"
    : typeof v === "string"
    ? "string"
    : "boolean";
}
