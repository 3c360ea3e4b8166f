/** A statement that cannot run; `message` is InfluxDB's text where it has one. */
export class QueryError extends Error {
  override readonly name = "QueryError";
}

/** Builders for the InfluxDB messages the executor produces itself. */
export const queryErrors = {
  databaseRequired: () => new QueryError("database name required"),
  databaseNotFound: (db: string) => new QueryError(`database not found: ${db}`),
  retentionPolicyNotFound: (rp: string) => new QueryError(`retention policy not found: ${rp}`),
  mixedAggregate: () =>
    new QueryError("mixing aggregate and non-aggregate queries is not supported"),
  groupByRequiresAggregate: () =>
    new QueryError("GROUP BY requires at least one aggregate function"),
  unsupported: (what: string) => new QueryError(`${what} is not supported`),
} as const;
