/**
 * Everything InfluxDB 1.6 checks about a SELECT before it returns rows, in its order:
 * the sources' database and retention policy (statement normalisation), the compile-time
 * rules (validateSelect), then the field types the functions read. Also rewrites what
 * InfluxDB treats as absent (a GROUP BY time(0s)) so the engine never sees it.
 */
import type { DeleteSeriesStatement, SelectStatement, Source } from "../influxql/mod.ts";
import { exprTimeRange, MAX_TIME, MIN_TIME, TimeRangeError } from "../influxql/mod.ts";
import type { QueryMeta } from "./deps.ts";
import { QueryError } from "./errors.ts";
import { resolveSource } from "./sources.ts";
import { validateSelect } from "./validate.ts";
import { selectTypeError, type TypeCheckEnv } from "./validate_types.ts";

/** Throws InfluxDB's database errors for every source, subqueries included. */
function normalizeSources(
  sources: readonly Source[],
  meta: QueryMeta,
  database: string,
  retentionPolicy: string,
): void {
  for (const src of sources) {
    if (src.kind === "SubQuery") {
      normalizeSources(src.statement.sources, meta, database, retentionPolicy);
      continue;
    }
    resolveSource(
      meta,
      src.database || database,
      src.retentionPolicy || (src.database ? "" : retentionPolicy),
    );
  }
}

/**
 * Drops GROUP BY time() when the first one has a zero interval: InfluxDB then groups by
 * no time at all (one bucket starting at the lower time bound), as if it were not there.
 */
export function withoutZeroInterval(stmt: SelectStatement): SelectStatement {
  const first = stmt.dimensions.find((d) => d.expr.kind === "Call" && d.expr.name === "time");
  const arg = first?.expr.kind === "Call" ? first.expr.args[0] : undefined;
  const zero = arg?.kind === "DurationLiteral" && arg.value === 0n;
  const nested = stmt.sources.some((s) => s.kind === "SubQuery");
  if (!zero && !nested) return stmt;
  return {
    ...stmt,
    dimensions: zero
      ? stmt.dimensions.filter((d) => !(d.expr.kind === "Call" && d.expr.name === "time"))
      : stmt.dimensions,
    sources: stmt.sources.map((s) =>
      s.kind === "SubQuery" ? { ...s, statement: withoutZeroInterval(s.statement) } : s
    ),
  };
}

/**
 * Validates a SELECT as InfluxDB does before running it and returns the statement to run;
 * throws QueryError with InfluxDB's text.
 */
export async function prepareSelect(
  stmt: SelectStatement,
  env: TypeCheckEnv,
): Promise<SelectStatement> {
  normalizeSources(stmt.sources, env.meta, env.database, env.retentionPolicy);
  const invalid = validateSelect(stmt, env.now);
  if (invalid !== null) throw new QueryError(invalid);
  const typeError = await selectTypeError(stmt, env);
  if (typeError !== null) throw new QueryError(typeError);
  return withoutZeroInterval(stmt);
}

/**
 * True when a DELETE has nothing to do because its database has no shard: InfluxDB checks
 * the WHERE clause's tags and fields inside each shard, so it then accepts any condition.
 * Time range errors still apply (throws QueryError); false when the database is missing.
 */
export function deleteFindsNoShard(
  meta: QueryMeta,
  database: string,
  stmt: DeleteSeriesStatement,
  now: bigint,
): boolean {
  const db = meta.database(database);
  if (db === undefined) return false;
  const sharded = db.retentionPolicies.some((rp) =>
    meta.shardGroupsByTimeRange(database, rp.name, MIN_TIME, MAX_TIME).some((g) =>
      g.shards.length > 0
    )
  );
  if (sharded) return false;
  try {
    exprTimeRange(stmt.condition, now);
  } catch (e) {
    if (e instanceof TimeRangeError) throw new QueryError(e.message);
    throw e;
  }
  return true;
}
