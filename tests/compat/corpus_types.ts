/** The shape of one compat corpus entry and a small builder for groups of them. */

/** The database the read-only corpus runs against (the data of data.ts). */
export const COMPAT_DB = "compat";
/** A second copy of the data that the mutating part of the corpus (DDL, DELETE, INTO) may change. */
export const SCRATCH_DB = "compat_scratch";

/** One query of the corpus and how to send and judge it. */
export interface CompatQuery {
  /** The feature it covers (agreement is reported per feature). */
  readonly feature: string;
  /** The InfluxQL text, sent as `q`. */
  readonly q: string;
  /** The `db` parameter; `null` sends none. Defaults to COMPAT_DB. */
  readonly db?: string | null;
  /** Further HTTP parameters: epoch, chunked, chunk_size, rp, params, pretty. */
  readonly params?: Readonly<Record<string, string>>;
  /** GET with URL parameters (default for reads) or POST as a form (default for mutations). */
  readonly method?: "GET" | "POST";
  /** An `Accept` header (e.g. `application/csv`). */
  readonly accept?: string;
  /** InfluxDB answers this one with an error (parse, type, unknown database …). */
  readonly expectError?: boolean;
  /**
   * `exact` (default) compares the whole reply; `shape` only status, series names, tags and
   * columns — for answers that depend on the deployment (shard owners, server addresses).
   */
  readonly compare?: "exact" | "shape";
  /** `mutate` entries run after every read, in corpus order, on SCRATCH_DB. */
  readonly phase?: "read" | "mutate";
}

/** Options shared by a group of queries. */
export type GroupOptions = Omit<CompatQuery, "feature" | "q">;

/** Builds entries for one feature: `group("fill", {…})("q1", "q2")`. */
export function group(
  feature: string,
  options: GroupOptions = {},
): (...qs: (string | [string, GroupOptions])[]) => CompatQuery[] {
  return (...qs) =>
    qs.map((q) =>
      typeof q === "string" ? { feature, q, ...options } : { feature, q: q[0], ...options, ...q[1] }
    );
}

/** Start of the data (inclusive), RFC3339. */
export const T0 = "2023-12-30T00:00:00Z";
/** End of the data (exclusive), RFC3339. */
export const T1 = "2024-01-02T00:00:00Z";
/** `time >= T0 AND time < T1`, the bound every GROUP BY time query uses (never now()). */
export const SPAN = `time >= '${T0}' AND time < '${T1}'`;
/** One day in the middle of the data, crossing the shard group boundary at 2024-01-01. */
export const DAY = `time >= '2023-12-31T12:00:00Z' AND time < '2024-01-01T12:00:00Z'`;
