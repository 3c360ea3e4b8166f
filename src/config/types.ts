import type { HostPort, LogLevel } from "../util/mod.ts";

/** A meta node's raft settings (`[raft_config]`). */
export interface RaftConfig {
  readonly id: number;
  readonly raftDir: string;
  readonly listen: HostPort;
  readonly advertise: HostPort;
  readonly single: boolean;
  readonly join: readonly HostPort[];
  readonly heartbeatIntervalMs: number;
  readonly electionTimeoutMs: number;
  readonly snapshotLogsSinceLast: number;
}

/** A meta node's admin API settings (`[meta]`). */
export interface MetaConfig {
  readonly adminApiAddress: HostPort;
}

/** A data node's settings (`[data]`). */
export interface DataConfig {
  readonly dir: string;
  readonly httpBindAddress: HostPort;
  readonly rpcBindAddress: HostPort;
  readonly metaAddresses: readonly HostPort[];
  readonly maxBodySize: number;
  readonly shardIdleTimeoutMs: number;
  readonly maxOpenShards: number;
  /** Bytes of recently read blocks kept across queries (0: none). */
  readonly readCacheSize: number;
}

/** A validated node configuration: `raft`+`meta` present ⇔ meta role, `data` ⇔ data role. */
export interface Config {
  /** Where it came from: a file path, or "embedded default". */
  readonly source: string;
  readonly logLevel: LogLevel;
  readonly clusterSecret: string;
  readonly raft: RaftConfig | null;
  readonly meta: MetaConfig | null;
  readonly data: DataConfig | null;
}

/** The roles a node plays, derived from its config. */
export type Role = "meta" | "data";

/** The roles of a config, meta first. */
export function rolesOf(c: Config): Role[] {
  const roles: Role[] = [];
  if (c.raft) roles.push("meta");
  if (c.data) roles.push("data");
  return roles;
}
