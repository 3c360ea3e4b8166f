// Databases, retention policies and continuous queries: InfluxDB 1.x's rules from
// services/meta/data.go and client.go (CREATE DATABASE is idempotent; an existing policy
// must match exactly; durations are checked against the shard group duration).

import { type Applied, OK, replaceWhere } from "./apply_result.ts";
import { metaErrors } from "./errors.ts";
import { getNamed, putNamed } from "./name_index.ts";
import {
  DEFAULT_RETENTION_POLICY_NAME,
  MIN_RETENTION_POLICY_DURATION,
  normalisedShardDuration,
} from "./shard_groups.ts";
import type {
  DatabaseInfo,
  MetaData,
  RetentionPolicyInfo,
  RetentionPolicySpec,
  RetentionPolicyUpdate,
} from "./types.ts";

/** InfluxDB uses names as directory names on disk, hence the limit. */
const MAX_NAME_LEN = 255;

/** InfluxDB's ValidName: printable, not "." or "..", no path separators. */
export function isValidName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !/[/\\]/.test(name) &&
    !/[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u.test(name);
}

function checkName(name: string): void {
  if (!isValidName(name)) throw metaErrors.invalidName();
  if (new TextEncoder().encode(name).length > MAX_NAME_LEN) throw metaErrors.nameTooLong();
}

/** The database named `name`, or undefined. */
export function findDatabase(data: MetaData, name: string): DatabaseInfo | undefined {
  return getNamed(data.databases, name);
}

/** The database named `name`; throws `database not found: <name>`. */
export function requireDatabase(data: MetaData, name: string): DatabaseInfo {
  const db = findDatabase(data, name);
  if (!db) throw metaErrors.databaseNotFound(name);
  return db;
}

/** `data` with `db` replacing the database of the same name (or appended). */
export function putDatabase(data: MetaData, db: DatabaseInfo): MetaData {
  return { ...data, databases: putNamed(data.databases, db) };
}

/** The policy named `name` in `db`, or undefined. */
export function findRetentionPolicy(
  db: DatabaseInfo,
  name: string,
): RetentionPolicyInfo | undefined {
  return db.retentionPolicies.find((rp) => rp.name === name);
}

/** InfluxDB's RetentionPolicySpec.NewRetentionPolicyInfo: defaults filled in. */
export function retentionPolicyFromSpec(spec: RetentionPolicySpec): RetentionPolicyInfo {
  const duration = spec.duration ?? 0n;
  return {
    name: spec.name || DEFAULT_RETENTION_POLICY_NAME,
    duration,
    shardGroupDuration: normalisedShardDuration(spec.shardGroupDuration ?? 0n, duration),
    replicaN: spec.replicaN ?? 1,
    shardGroups: [],
  };
}

/** InfluxDB's RetentionPolicySpec.Matches: does `rp` already satisfy `spec`? */
function specMatches(spec: RetentionPolicySpec, rp: RetentionPolicyInfo | undefined): boolean {
  if (!rp) return false;
  if (spec.name && spec.name !== rp.name) return false;
  if (spec.duration !== undefined && spec.duration !== rp.duration) return false;
  if (spec.replicaN !== undefined && spec.replicaN !== rp.replicaN) return false;
  return normalisedShardDuration(spec.shardGroupDuration ?? 0n, rp.duration) ===
    rp.shardGroupDuration;
}

function checkDuration(duration: bigint | undefined): void {
  if (duration !== undefined && duration !== 0n && duration < MIN_RETENTION_POLICY_DURATION) {
    throw metaErrors.retentionPolicyDurationTooLow();
  }
}

/** CREATE DATABASE [WITH ...]: idempotent; an RP clause must match any existing policy. */
export function createDatabase(
  data: MetaData,
  name: string,
  spec: RetentionPolicySpec | undefined,
): Applied {
  if (name === "") throw metaErrors.databaseNameRequired();
  checkName(name);
  const existing = findDatabase(data, name);
  if (!spec) {
    if (existing) return { data, result: { kind: "database", database: existing } };
    const db: DatabaseInfo = {
      name,
      defaultRetentionPolicy: DEFAULT_RETENTION_POLICY_NAME,
      retentionPolicies: [retentionPolicyFromSpec({})],
      continuousQueries: [],
    };
    return { data: putDatabase(data, db), result: { kind: "database", database: db } };
  }
  checkDuration(spec.duration);
  const rp = retentionPolicyFromSpec(spec);
  if (existing && existing.retentionPolicies.length > 0) {
    // Only idempotent when the same policy exists and already is the default.
    if (
      !specMatches(spec, findRetentionPolicy(existing, rp.name)) ||
      existing.defaultRetentionPolicy !== rp.name
    ) {
      throw metaErrors.retentionPolicyConflict();
    }
    return { data, result: { kind: "database", database: existing } };
  }
  const base = existing ??
    { name, defaultRetentionPolicy: "", retentionPolicies: [], continuousQueries: [] };
  const next = createRetentionPolicy(putDatabase(data, base), name, rp, true).data;
  const db = requireDatabase(next, name);
  return { data: next, result: { kind: "database", database: db } };
}

/** DROP DATABASE: idempotent; also removes every user's privilege on it. */
export function dropDatabase(data: MetaData, name: string): Applied {
  if (!findDatabase(data, name)) return { data, result: OK };
  const users = data.users.map((u) => {
    if (!Object.hasOwn(u.privileges, name)) return u;
    const privileges = { ...u.privileges };
    delete privileges[name];
    return { ...u, privileges };
  });
  return {
    data: { ...data, databases: data.databases.filter((d) => d.name !== name), users },
    result: OK,
  };
}

/** CREATE RETENTION POLICY: an identical existing policy is fine, a different one is not. */
export function createRetentionPolicy(
  data: MetaData,
  database: string,
  spec: RetentionPolicySpec,
  makeDefault: boolean,
): Applied {
  if (!spec.name) throw metaErrors.retentionPolicyNameRequired();
  checkName(spec.name);
  checkDuration(spec.duration);
  if (spec.replicaN !== undefined && spec.replicaN < 1) {
    throw metaErrors.replicationFactorTooLow();
  }
  const rp = retentionPolicyFromSpec(spec);
  if (rp.duration > 0n && rp.duration < rp.shardGroupDuration) {
    throw metaErrors.incompatibleDurations();
  }
  const db = requireDatabase(data, database);
  const existing = findRetentionPolicy(db, rp.name);
  if (existing) {
    if (
      existing.replicaN !== rp.replicaN || existing.duration !== rp.duration ||
      existing.shardGroupDuration !== rp.shardGroupDuration
    ) {
      throw metaErrors.retentionPolicyExists();
    }
    if (makeDefault && db.defaultRetentionPolicy !== rp.name) {
      throw metaErrors.retentionPolicyConflict();
    }
    return { data, result: { kind: "retentionPolicy", retentionPolicy: existing } };
  }
  const next: DatabaseInfo = {
    ...db,
    retentionPolicies: [...db.retentionPolicies, rp],
    defaultRetentionPolicy: makeDefault ? rp.name : db.defaultRetentionPolicy,
  };
  return {
    data: putDatabase(data, next),
    result: { kind: "retentionPolicy", retentionPolicy: rp },
  };
}

/** ALTER RETENTION POLICY: InfluxDB's UpdateRetentionPolicy checks, in its order. */
export function updateRetentionPolicy(
  data: MetaData,
  database: string,
  name: string,
  upd: RetentionPolicyUpdate,
  makeDefault: boolean,
): Applied {
  const db = requireDatabase(data, database);
  const rp = findRetentionPolicy(db, name);
  if (!rp) throw metaErrors.retentionPolicyNotFound(name);
  if (upd.name !== undefined && upd.name !== name) {
    if (findRetentionPolicy(db, upd.name)) throw metaErrors.retentionPolicyNameExists();
    checkName(upd.name);
  }
  checkDuration(upd.duration);
  const d = upd.duration;
  const sgd = upd.shardGroupDuration;
  if (
    (d !== undefined && d > 0n && d < (sgd ?? rp.shardGroupDuration)) ||
    (d === undefined && rp.duration > 0n && sgd !== undefined && rp.duration < sgd)
  ) {
    throw metaErrors.incompatibleDurations();
  }
  if (upd.replicaN !== undefined && upd.replicaN < 1) throw metaErrors.replicationFactorTooLow();
  const duration = d ?? rp.duration;
  const updated: RetentionPolicyInfo = {
    ...rp,
    name: upd.name ?? rp.name,
    duration,
    replicaN: upd.replicaN ?? rp.replicaN,
    shardGroupDuration: sgd !== undefined
      ? normalisedShardDuration(sgd, duration)
      : rp.shardGroupDuration,
  };
  // A renamed default stays the default (InfluxDB would leave a dangling name).
  const wasDefault = db.defaultRetentionPolicy === name;
  const next: DatabaseInfo = {
    ...db,
    retentionPolicies: replaceWhere(db.retentionPolicies, (r) => r.name === name, () => updated),
    defaultRetentionPolicy: makeDefault || wasDefault ? updated.name : db.defaultRetentionPolicy,
  };
  return {
    data: putDatabase(data, next),
    result: { kind: "retentionPolicy", retentionPolicy: updated },
  };
}

/** DROP RETENTION POLICY: idempotent, like InfluxDB. */
export function dropRetentionPolicy(data: MetaData, database: string, name: string): Applied {
  const db = findDatabase(data, database);
  if (!db || !findRetentionPolicy(db, name)) return { data, result: OK };
  const next = { ...db, retentionPolicies: db.retentionPolicies.filter((r) => r.name !== name) };
  return { data: putDatabase(data, next), result: OK };
}

/** Makes `name` the database's default retention policy. */
export function setDefaultRetentionPolicy(
  data: MetaData,
  database: string,
  name: string,
): Applied {
  const db = requireDatabase(data, database);
  if (!findRetentionPolicy(db, name)) throw metaErrors.retentionPolicyNotFound(name);
  if (db.defaultRetentionPolicy === name) return { data, result: OK };
  return { data: putDatabase(data, { ...db, defaultRetentionPolicy: name }), result: OK };
}

/** CREATE CONTINUOUS QUERY: the same name with the same text (any case) is a no-op. */
export function createContinuousQuery(
  data: MetaData,
  database: string,
  name: string,
  query: string,
): Applied {
  const db = requireDatabase(data, database);
  const existing = db.continuousQueries.find((cq) => cq.name === name);
  if (existing) {
    if (existing.query.toLowerCase() === query.toLowerCase()) return { data, result: OK };
    throw metaErrors.continuousQueryExists();
  }
  const next = { ...db, continuousQueries: [...db.continuousQueries, { name, query }] };
  return { data: putDatabase(data, next), result: OK };
}

/** DROP CONTINUOUS QUERY. */
export function dropContinuousQuery(data: MetaData, database: string, name: string): Applied {
  const db = requireDatabase(data, database);
  if (!db.continuousQueries.some((cq) => cq.name === name)) {
    throw metaErrors.continuousQueryNotFound();
  }
  const next = { ...db, continuousQueries: db.continuousQueries.filter((cq) => cq.name !== name) };
  return { data: putDatabase(data, next), result: OK };
}
