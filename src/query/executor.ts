/**
 * The statement executor: runs parsed statements in order against the declared meta and
 * shard interfaces and yields one plain-data result per statement, as InfluxDB 1.6 does.
 * After a failed statement each remaining one yields "not executed" under the failed
 * statement's id, as InfluxDB 1.6.7 does; a non-chunked reply merges those into one result.
 */
import type { SelectStatement, Statement } from "../influxql/mod.ts";
import { formatStatement } from "../influxql/mod.ts";
import type { QueryMeta, QueryShards, QueryUserAdmin, WritePointsFn } from "./deps.ts";
import { runUserStatement } from "./users.ts";
import { writeInto } from "./select_into.ts";
import {
  alterRetentionPolicy,
  createDatabase,
  createRetentionPolicy,
  deleteSeries,
  dropMeasurement,
} from "./ddl.ts";
import { QueryError, queryErrors } from "./errors.ts";
import type { ResultSeries, StatementResult } from "./result.ts";
import { executeSelect, OpenShards, type SelectEnv, selectSeries } from "./select_exec.ts";
import { Chunker, chunkResult } from "./chunk.ts";
import { deleteFindsNoShard, prepareSelect } from "./validate_select.ts";
import { showFieldKeys, showMeasurements, showSeries, showTagKeys, showTagValues } from "./show.ts";
import { showCardinality } from "./show_cardinality.ts";
import {
  showContinuousQueries,
  showDatabases,
  showGrants,
  showRetentionPolicies,
  showShardGroups,
  showShards,
  showUsers,
} from "./show_meta.ts";

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
  /** CREATE/DROP USER, SET PASSWORD, GRANT, REVOKE go here; without it they fail. */
  readonly users?: QueryUserAdmin;
}

/** Per-request options. */
export interface ExecuteOptions {
  readonly database: string;
  readonly retentionPolicy: string;
  /** now() in ns since the epoch (the caller's clock). */
  readonly now: bigint;
  /** True for GET requests: write statements run but carry InfluxDB's deprecation warning. */
  readonly readOnly?: boolean;
  /**
   * When > 0, results come in chunks of at most this many rows (InfluxDB's `chunked`):
   * several results per statement, all but the last marked partial; raw SELECTs stream.
   */
  readonly chunkSize?: number;
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
    let failed = -1;
    for (let i = 0; i < statements.length; i++) {
      if (failed >= 0) {
        // InfluxDB 1.6.7 labels these with the failed statement's id, not their own.
        yield { statementId: failed, error: "not executed" };
        continue;
      }
      const size = opts.chunkSize ?? 0;
      const stmt = statements[i];
      if (size > 0 && stmt.kind === "SelectStatement" && stmt.target === null) {
        for await (const r of this.selectChunked(stmt, i, opts, size)) {
          if (r.error !== undefined) failed = i;
          yield r;
        }
        continue;
      }
      const r = await this.executeStatement(stmt, i, opts);
      if (r.error !== undefined) failed = i;
      if (size > 0) yield* chunkResult(r, size);
      else yield r;
    }
  }

  /** A SELECT in chunks; an error after some chunks ends the statement with an error result. */
  private async *selectChunked(
    stmt: SelectStatement,
    statementId: number,
    opts: ExecuteOptions,
    size: number,
  ): AsyncGenerator<StatementResult> {
    const chunker = new Chunker(size);
    let pending: ResultSeries[][] = [];
    try {
      const run = await prepareSelect(stmt, this.selectEnv(opts));
      for await (const piece of selectSeries(run, this.selectEnv(opts), size)) {
        // Hold completed chunks back one step so the last one can go out without `partial`.
        for (const chunk of chunker.push(piece)) {
          for (const p of pending) yield { statementId, series: p, partial: true };
          pending = [chunk];
        }
      }
    } catch (e) {
      for (const p of pending) yield { statementId, series: p, partial: true };
      yield { statementId, error: e instanceof Error ? e.message : String(e) };
      return;
    }
    const rest = chunker.finish();
    if (rest.length > 0) pending.push(rest);
    if (pending.length === 0) {
      yield { statementId };
      return;
    }
    for (let k = 0; k < pending.length; k++) {
      yield k < pending.length - 1
        ? { statementId, series: pending[k], partial: true }
        : { statementId, series: pending[k] };
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
        case "CreateUserStatement":
        case "SetPasswordUserStatement":
        case "GrantStatement":
        case "RevokeStatement":
        case "GrantAdminStatement":
        case "RevokeAdminStatement":
          await runUserStatement(this.deps.users, stmt);
          return [];
        case "DropUserStatement":
          await runUserStatement(this.deps.users, { kind: "DropUserStatement", name: stmt.name });
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
          await deleteSeries(meta, open, opts.database, stmt, opts.now);
          return [];
        case "DeleteSeriesStatement":
          if (deleteFindsNoShard(meta, opts.database, stmt, opts.now)) return [];
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

  private selectEnv(opts: ExecuteOptions): SelectEnv {
    return {
      meta: this.deps.meta,
      shards: this.deps.shards,
      now: opts.now,
      database: opts.database,
      retentionPolicy: opts.retentionPolicy,
      random: this.deps.random ?? Math.random,
      maxBuckets: this.deps.maxBuckets ?? 1_000_000,
    };
  }

  private async select(stmt: SelectStatement, opts: ExecuteOptions): Promise<ResultSeries[]> {
    const series = await executeSelect(
      await prepareSelect(stmt, this.selectEnv(opts)),
      this.selectEnv(opts),
    );
    if (stmt.target === null) return series;
    if (this.deps.writePoints === undefined) throw queryErrors.unsupported("SELECT ... INTO");
    return [await writeInto(this.deps.meta, this.deps.writePoints, stmt, series, opts)];
  }
}
