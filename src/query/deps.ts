/**
 * What the query engine needs from metadata and storage, declared here so `query` stays on
 * its layer: the real `MetaClient` and shard readers fit these shapes structurally, and
 * tests pass plain objects. Times are ns since the Unix epoch, ranges inclusive.
 */
import type { FieldType, FieldValue, Point } from "../models/point.ts";

/** A tag predicate the series index answers (same shape as storage's `TagPredicate`). */
export type TagPredicate =
  | { readonly kind: "all" }
  | { readonly kind: "none" }
  | { readonly kind: "eq"; readonly key: string; readonly value: string }
  | { readonly kind: "neq"; readonly key: string; readonly value: string }
  | { readonly kind: "match"; readonly key: string; readonly pattern: RegExp }
  | { readonly kind: "nmatch"; readonly key: string; readonly pattern: RegExp }
  | { readonly kind: "and"; readonly left: TagPredicate; readonly right: TagPredicate }
  | { readonly kind: "or"; readonly left: TagPredicate; readonly right: TagPredicate };

/** One series of a shard. */
export interface SeriesLike {
  readonly id: number;
  readonly key: string;
  readonly measurement: string;
  readonly tags: readonly (readonly [string, string])[];
}

/** Decoded values of one (series, field): ascending unique times, one value each. */
export interface ColumnLike {
  readonly type: FieldType;
  readonly times: BigInt64Array;
  readonly values: ArrayLike<FieldValue>;
}

/**
 * A time-ordered piece of one (series, field). When `exact` is true, `count` is the exact
 * number of values in `[min, max]` and can be used without calling `column()`.
 */
export interface SegmentLike {
  readonly min: bigint;
  readonly max: bigint;
  readonly count: number;
  readonly exact: boolean;
  column(): ColumnLike;
}

/** Read access to one shard (the methods of storage's `ShardReader` the engine calls). */
export interface ShardReaderLike {
  measurements(): string[];
  series(measurement: string, predicate?: TagPredicate): readonly SeriesLike[];
  tagKeys(measurement: string, predicate?: TagPredicate): string[];
  tagValues(measurement: string, key: string, predicate?: TagPredicate): readonly string[];
  fieldKeys(measurement: string): { key: string; type: FieldType }[];
  segments(series: SeriesLike, field: string, min: bigint, max: bigint): AsyncIterable<SegmentLike>;
  /**
   * Optional: the same segments newest first. When a reader offers it, last() without
   * GROUP BY time reads only the newest block instead of listing every block.
   */
  segmentsDescending?(
    series: SeriesLike,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncIterable<SegmentLike>;
}

/** A shard held open for a statement; `release()` once done (idempotent). */
export interface ShardHandle {
  readonly reader: ShardReaderLike;
  /** DELETE (with range) and DROP SERIES (without); resolves when durable. */
  deleteSeries(
    measurement: string,
    predicate: TagPredicate,
    range?: { readonly min: bigint; readonly max: bigint },
  ): Promise<number>;
  /** DROP MEASUREMENT. */
  dropMeasurement(name: string): Promise<void>;
  release(): void;
}

/** Opens shards by id; undefined when this node cannot serve the shard. */
export interface QueryShards {
  open(database: string, retentionPolicy: string, id: number): Promise<ShardHandle | undefined>;
}

/** A shard of a shard group. */
export interface QueryShardInfo {
  readonly id: number;
  readonly owners: readonly number[];
}

/** A shard group: `[start, end)`. */
export interface QueryShardGroup {
  readonly id: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly deletedAt?: bigint;
  readonly truncatedAt?: bigint;
  readonly shards: readonly QueryShardInfo[];
}

/** A retention policy; `duration` 0 is infinite. */
export interface QueryRetentionPolicy {
  readonly name: string;
  readonly duration: bigint;
  readonly shardGroupDuration: bigint;
  readonly replicaN: number;
  readonly shardGroups: readonly QueryShardGroup[];
}

/** A database. */
export interface QueryDatabase {
  readonly name: string;
  readonly defaultRetentionPolicy: string;
  readonly retentionPolicies: readonly QueryRetentionPolicy[];
  readonly continuousQueries: readonly { readonly name: string; readonly query: string }[];
}

/** A user. */
export interface QueryUser {
  readonly name: string;
  readonly admin: boolean;
  readonly privileges: Readonly<Record<string, string>>;
}

/** A retention policy to create; absent fields take InfluxDB's defaults. */
export interface QueryRetentionPolicySpec {
  readonly name?: string;
  readonly duration?: bigint;
  readonly replicaN?: number;
  readonly shardGroupDuration?: bigint;
}

/**
 * The slice of the meta client the executor uses. Writes reject with errors whose message
 * is InfluxDB's text; that text becomes the statement's error.
 */
export interface QueryMeta {
  databases(): readonly QueryDatabase[];
  database(name: string): QueryDatabase | undefined;
  createDatabase(name: string): Promise<unknown>;
  createDatabaseWithRetentionPolicy(name: string, spec: QueryRetentionPolicySpec): Promise<unknown>;
  dropDatabase(name: string): Promise<void>;
  createRetentionPolicy(
    database: string,
    spec: QueryRetentionPolicySpec,
    makeDefault: boolean,
  ): Promise<unknown>;
  updateRetentionPolicy(
    database: string,
    name: string,
    update: QueryRetentionPolicySpec,
    makeDefault: boolean,
  ): Promise<void>;
  dropRetentionPolicy(database: string, name: string): Promise<void>;
  shardGroupsByTimeRange(
    database: string,
    policy: string,
    min: bigint,
    max: bigint,
  ): readonly QueryShardGroup[];
  users(): readonly QueryUser[];
  user(name: string): QueryUser | undefined;
  createContinuousQuery(database: string, name: string, query: string): Promise<void>;
  dropContinuousQuery(database: string, name: string): Promise<void>;
}

/**
 * User administration (CREATE/DROP USER, SET PASSWORD, GRANT, REVOKE): the meta client's
 * user methods plus the password hashing the HTTP layer owns.
 */
export interface QueryUserAdmin {
  hashPassword(password: string): Promise<string>;
  createUser(name: string, hash: string, admin: boolean): Promise<unknown>;
  updateUser(name: string, hash: string): Promise<void>;
  dropUser(name: string): Promise<void>;
  setPrivilege(name: string, database: string, privilege: "READ" | "WRITE" | "ALL"): Promise<void>;
  revokePrivilege(
    name: string,
    database: string,
    privilege: "READ" | "WRITE" | "ALL",
  ): Promise<void>;
  setAdminPrivilege(name: string, admin: boolean): Promise<void>;
}

/** Writes points for SELECT ... INTO; resolves once they are stored. */
export type WritePointsFn = (
  database: string,
  retentionPolicy: string,
  points: readonly Point[],
) => Promise<void>;

/** A field value or SQL-style null. */
export type Value = FieldValue | null;
