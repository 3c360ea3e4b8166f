/**
 * Every configuration key in one table: its section, type, default and meaning. Validation,
 * `chronoraft config` and the README reference table are all generated from it.
 */

/** The TOML sections a config file may have ("" is the top level). */
export type Section = "" | "raft_config" | "meta" | "data";

/** How a key's value is written and checked. */
export type KeyType =
  | "string"
  | "path"
  | "integer"
  | "boolean"
  | "address"
  | "address[]"
  | "duration"
  | "size"
  | "log_level";

/** A default value as it appears in TOML. */
export type DefaultValue = string | number | boolean | string[];

/** One documented key. */
export interface KeySpec {
  readonly section: Section;
  readonly key: string;
  readonly type: KeyType;
  readonly default: DefaultValue;
  readonly doc: string;
  /** Smallest allowed integer value, for `integer` keys. */
  readonly min?: number;
  /** Left out of the printed default config (shown commented instead). */
  readonly commented?: boolean;
}

/** All keys, in the order `chronoraft config` prints them. */
export const KEY_SPECS: readonly KeySpec[] = [
  {
    section: "",
    key: "log_level",
    type: "log_level",
    default: "info",
    doc: "Least severe level logged to stderr: error, warn, info or debug.",
  },
  {
    section: "",
    key: "cluster_secret",
    type: "string",
    default: "",
    doc: "Shared secret that authenticates node-to-node traffic (raft, data RPC). Empty: no check.",
  },
  {
    section: "raft_config",
    key: "id",
    type: "integer",
    default: 1,
    min: 1,
    doc: "This meta node's raft id: unique in the cluster, never reused.",
  },
  {
    section: "raft_config",
    key: "raft_dir",
    type: "path",
    default: "chronoraft-data/meta",
    doc: "Raft log (WAL segments in wal/), hard state and snapshots (snap/).",
  },
  {
    section: "raft_config",
    key: "raft_listen_host",
    type: "string",
    default: "127.0.0.1",
    doc: "Host the raft TCP listener binds.",
  },
  {
    section: "raft_config",
    key: "raft_advertise_host",
    type: "string",
    default: "localhost",
    doc: "Host other meta nodes dial to reach this one.",
  },
  {
    section: "raft_config",
    key: "raft_api_port",
    type: "integer",
    default: 8089,
    min: 0,
    doc: "Port of the raft TCP listener.",
  },
  {
    section: "raft_config",
    key: "single",
    type: "boolean",
    default: false,
    doc: "Bootstrap a one-node cluster when raft_dir holds no state; ignored afterwards.",
  },
  {
    section: "raft_config",
    key: "join",
    type: "address[]",
    default: [],
    doc: "Instead of single: admin API addresses of existing members, tried in order.",
  },
  {
    section: "raft_config",
    key: "heartbeat_interval",
    type: "duration",
    default: "100ms",
    doc: "How often the leader sends heartbeats.",
  },
  {
    section: "raft_config",
    key: "election_timeout",
    type: "duration",
    default: "1s",
    doc: "Base election timeout (randomised up to twice this); at least 3 heartbeats.",
  },
  {
    section: "raft_config",
    key: "snapshot_logs_since_last",
    type: "integer",
    default: 10000,
    min: 1,
    doc: "Applied entries after which the log is snapshotted and compacted.",
  },
  {
    section: "meta",
    key: "admin_api_address",
    type: "address",
    default: "127.0.0.1:8091",
    doc: "Admin HTTP API: /v1/health, /v1/cluster/*, what `chronoraft ctl` talks to.",
  },
  {
    section: "data",
    key: "enabled",
    type: "boolean",
    default: false,
    doc: "Make this node a data node (store shards, serve /write and /query).",
  },
  {
    section: "data",
    key: "dir",
    type: "path",
    default: "chronoraft-data/data",
    doc: "Shards and hinted-handoff queues live under this directory.",
  },
  {
    section: "data",
    key: "http_bind_address",
    type: "address",
    default: "127.0.0.1:8086",
    doc: "InfluxDB 1.x HTTP API: /ping, /write, /query.",
  },
  {
    section: "data",
    key: "rpc_bind_address",
    type: "address",
    default: "127.0.0.1:8088",
    doc: "Data RPC between data nodes (replicated writes, remote queries).",
  },
  {
    section: "data",
    key: "meta_addresses",
    type: "address[]",
    default: [],
    doc: "Admin API addresses of meta nodes; required on a data node without [raft_config].",
  },
  {
    section: "data",
    key: "max_body_size",
    type: "size",
    default: "25MB",
    doc: "Largest accepted /write body after decompression; larger gets 413.",
  },
  {
    section: "data",
    key: "shard_idle_timeout",
    type: "duration",
    default: "5m",
    doc: "A shard's KV file is closed after this long without use.",
  },
  {
    section: "data",
    key: "max_open_shards",
    type: "integer",
    default: 64,
    min: 1,
    doc: "At most this many shard KV files open at once (each costs a thread).",
  },
  {
    section: "data",
    key: "read_cache_size",
    type: "size",
    default: "32MB",
    doc: "Blocks that narrow queries read, kept for the next query; 0 turns the cache off.",
  },
];

/** The spec of one key, or undefined when the key is unknown. */
export function findSpec(section: Section, key: string): KeySpec | undefined {
  return KEY_SPECS.find((s) => s.section === section && s.key === key);
}

/** The sections, in print order. */
export const SECTIONS: readonly Section[] = ["", "raft_config", "meta", "data"];
