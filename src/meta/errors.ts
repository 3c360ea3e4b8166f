// The meta service's errors. Messages are InfluxDB 1.x's exact text (services/meta/
// errors.go and influxdb's errors.go): clients match on these strings.

/** What went wrong, for code that branches on it (the HTTP layer maps it to a status). */
export type MetaErrorCode =
  | "databaseNameRequired"
  | "invalidName"
  | "nameTooLong"
  | "databaseNotFound"
  | "retentionPolicyNameRequired"
  | "retentionPolicyExists"
  | "retentionPolicyNotFound"
  | "retentionPolicyNameExists"
  | "retentionPolicyDurationTooLow"
  | "retentionPolicyConflict"
  | "incompatibleDurations"
  | "replicationFactorTooLow"
  | "shardGroupNotFound"
  | "shardNotFound"
  | "nodesRequired"
  | "nodeExists"
  | "nodeNotFound"
  | "nodeIdRequired"
  | "continuousQueryExists"
  | "continuousQueryNotFound"
  | "usernameRequired"
  | "userExists"
  | "userNotFound"
  | "authenticationFailed"
  | "clusterIdConflict"
  | "badCommand";

/** A meta error as plain data, so it can travel in a Raft apply result or over HTTP. */
export interface MetaErrorData {
  readonly code: MetaErrorCode;
  readonly message: string;
}

/** A rejected meta operation; `message` is InfluxDB's text where InfluxDB has one. */
export class MetaError extends Error {
  override readonly name = "MetaError";
  /** Builds the error from its code and message. */
  constructor(readonly code: MetaErrorCode, message: string) {
    super(message);
  }

  /** The error as plain data. */
  toData(): MetaErrorData {
    return { code: this.code, message: this.message };
  }

  /** Rebuilds an error from plain data (e.g. a result forwarded by the leader). */
  static fromData(d: MetaErrorData): MetaError {
    return new MetaError(d.code, d.message);
  }
}

const e = (code: MetaErrorCode, message: string): MetaError => new MetaError(code, message);

/** Constructors for every meta error, named after InfluxDB's `Err...` values. */
export const metaErrors = {
  databaseNameRequired: () => e("databaseNameRequired", "database name required"),
  invalidName: () => e("invalidName", "invalid name"),
  nameTooLong: () => e("nameTooLong", "name too long"),
  databaseNotFound: (name: string) => e("databaseNotFound", `database not found: ${name}`),
  retentionPolicyNameRequired: () =>
    e("retentionPolicyNameRequired", "retention policy name required"),
  retentionPolicyExists: () => e("retentionPolicyExists", "retention policy already exists"),
  retentionPolicyNotFound: (name: string) =>
    e("retentionPolicyNotFound", `retention policy not found: ${name}`),
  retentionPolicyNameExists: () =>
    e("retentionPolicyNameExists", "retention policy name already exists"),
  retentionPolicyDurationTooLow: () =>
    e("retentionPolicyDurationTooLow", "retention policy duration must be at least 1h0m0s"),
  retentionPolicyConflict: () =>
    e("retentionPolicyConflict", "retention policy conflicts with an existing policy"),
  incompatibleDurations: () =>
    e(
      "incompatibleDurations",
      "retention policy duration must be greater than the shard duration",
    ),
  replicationFactorTooLow: () =>
    e("replicationFactorTooLow", "replication factor must be greater than 0"),
  shardGroupNotFound: () => e("shardGroupNotFound", "shard group not found"),
  shardNotFound: (id: number) => e("shardNotFound", `shard not found: ${id}`),
  nodesRequired: () => e("nodesRequired", "at least one node required"),
  nodeExists: () => e("nodeExists", "node already exists"),
  nodeNotFound: () => e("nodeNotFound", "node not found"),
  nodeIdRequired: () => e("nodeIdRequired", "node id must be greater than 0"),
  continuousQueryExists: () => e("continuousQueryExists", "continuous query already exists"),
  continuousQueryNotFound: () => e("continuousQueryNotFound", "continuous query not found"),
  usernameRequired: () => e("usernameRequired", "username required"),
  userExists: () => e("userExists", "user already exists"),
  userNotFound: () => e("userNotFound", "user not found"),
  authenticationFailed: () => e("authenticationFailed", "authentication failed"),
  clusterIdConflict: (have: string, got: string) =>
    e(
      "clusterIdConflict",
      `cluster id is already ${have}, refusing ${got}: this node's data belongs to another cluster`,
    ),
  badCommand: (why: string) => e("badCommand", `bad meta command: ${why}`),
} as const;
