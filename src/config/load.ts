import { parse, TomlError } from "smol-toml";
import {
  formatDuration,
  type HostPort,
  type LogLevel,
  parseDuration,
  parseHostPort,
  parseSize,
  sameListenPort,
} from "../util/mod.ts";
import { ConfigError } from "./errors.ts";
import { type DefaultValue, findSpec, KEY_SPECS, type KeySpec, type Section } from "./spec.ts";
import type { Config, DataConfig, RaftConfig } from "./types.ts";

type TomlTable = Record<string, unknown>;

const LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

/** The name of a key as a person writes it: `[data].dir`, or `log_level` at top level. */
export function keyName(section: Section, key: string): string {
  return section === "" ? key : `[${section}].${key}`;
}

function isTable(v: unknown): v is TomlTable {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (isTable(v)) return "a table";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v === "bigint" ? "integer" : typeof v} ${String(v)}`;
}

/** Reads one key with its type checked, falling back to the documented default. */
class Reader {
  constructor(readonly file: string, readonly root: TomlTable) {}

  private raw(spec: KeySpec): unknown {
    const table = spec.section === "" ? this.root : this.root[spec.section];
    const v = isTable(table) ? table[spec.key] : undefined;
    return v === undefined ? spec.default : v;
  }

  fail(section: Section, key: string, problem: string, fix: string): never {
    throw new ConfigError(this.file, keyName(section, key), problem, fix);
  }

  private spec(section: Section, key: string): KeySpec {
    const s = findSpec(section, key);
    if (!s) throw new Error(`no spec for ${keyName(section, key)}`);
    return s;
  }

  private wrong(spec: KeySpec, v: unknown, expected: string): never {
    return this.fail(
      spec.section,
      spec.key,
      `expected ${expected}, found ${describe(v)}`,
      `write it like ${JSON.stringify(spec.default)}`,
    );
  }

  string(section: Section, key: string): string {
    const spec = this.spec(section, key);
    const v = this.raw(spec);
    return typeof v === "string" ? v : this.wrong(spec, v, "a string");
  }

  boolean(section: Section, key: string): boolean {
    const spec = this.spec(section, key);
    const v = this.raw(spec);
    return typeof v === "boolean" ? v : this.wrong(spec, v, "true or false");
  }

  integer(section: Section, key: string): number {
    const spec = this.spec(section, key);
    const v = this.raw(spec);
    const n = typeof v === "bigint" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isSafeInteger(n)) {
      return this.wrong(spec, v, "an integer");
    }
    if (spec.min !== undefined && n < spec.min) {
      this.fail(section, key, `must be at least ${spec.min}, found ${n}`, "use a larger value");
    }
    return n;
  }

  address(section: Section, key: string): HostPort {
    const spec = this.spec(section, key);
    return this.parseAddress(spec, this.string(section, key));
  }

  addresses(section: Section, key: string): HostPort[] {
    const spec = this.spec(section, key);
    const v = this.raw(spec);
    if (!Array.isArray(v)) return this.wrong(spec, v, 'an array of "host:port" strings');
    return v.map((item) =>
      typeof item === "string"
        ? this.parseAddress(spec, item)
        : this.wrong(spec, item, 'a "host:port" string')
    );
  }

  private parseAddress(spec: KeySpec, text: string): HostPort {
    const a = parseHostPort(text);
    if (a === null) {
      this.fail(
        spec.section,
        spec.key,
        `cannot parse address ${JSON.stringify(text)}`,
        'write it as "host:port", for example "127.0.0.1:8091"',
      );
    }
    return a;
  }

  durationMs(section: Section, key: string): number {
    const text = this.string(section, key);
    const ns = parseDuration(text);
    if (ns === null) {
      this.fail(
        section,
        key,
        `cannot parse duration ${JSON.stringify(text)}`,
        'write it like "500ms", "10s" or "1h30m"',
      );
    }
    return Number(ns / 1_000_000n);
  }

  size(section: Section, key: string): number {
    const spec = this.spec(section, key);
    const v = this.raw(spec);
    const n = typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : parseSize(String(v));
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "bigint") {
      return this.wrong(spec, v, 'a size like "25MB"');
    }
    if (n === null || !Number.isSafeInteger(n) || n < 0) {
      this.fail(section, key, `cannot parse size ${JSON.stringify(v)}`, 'write it like "25MB"');
    }
    return n;
  }

  logLevel(): LogLevel {
    const v = this.string("", "log_level");
    if (!(LEVELS as readonly string[]).includes(v)) {
      this.fail("", "log_level", `unknown level ${JSON.stringify(v)}`, `use one of ${LEVELS}`);
    }
    return v as LogLevel;
  }
}

/** Refuses keys and sections that no spec describes (a typo must not be silently ignored). */
function rejectUnknown(r: Reader, root: TomlTable): void {
  for (const [k, v] of Object.entries(root)) {
    if (findSpec("", k)) continue;
    const section = k as Section;
    if (!KEY_SPECS.some((s) => s.section === section && section !== "")) {
      r.fail("", k, "unknown key", `valid top-level keys and sections: ${validNames("")}`);
    }
    if (!isTable(v)) r.fail("", k, `expected a [${k}] table, found ${describe(v)}`, `write [${k}]`);
    for (const key of Object.keys(v)) {
      if (!findSpec(section, key)) {
        r.fail(section, key, "unknown key", `valid keys in [${k}]: ${validNames(section)}`);
      }
    }
  }
}

function validNames(section: Section): string {
  const keys = KEY_SPECS.filter((s) => s.section === section).map((s) => s.key);
  if (section === "") keys.push("[raft_config]", "[meta]", "[data]");
  return keys.join(", ");
}

function readRaft(r: Reader): RaftConfig {
  const single = r.boolean("raft_config", "single");
  const join = r.addresses("raft_config", "join");
  if (single && join.length > 0) {
    r.fail(
      "raft_config",
      "join",
      "cannot be set together with single = true",
      "keep single = true on the first node only, join = [...] on the others",
    );
  }
  const port = r.integer("raft_config", "raft_api_port");
  if (port > 65535) r.fail("raft_config", "raft_api_port", `port ${port} > 65535`, "use 1-65535");
  const heartbeat = r.durationMs("raft_config", "heartbeat_interval");
  const election = r.durationMs("raft_config", "election_timeout");
  if (heartbeat <= 0) {
    r.fail("raft_config", "heartbeat_interval", "must be positive", 'use e.g. "100ms"');
  }
  if (election < 3 * heartbeat) {
    r.fail(
      "raft_config",
      "election_timeout",
      `${formatDuration(BigInt(election) * 1_000_000n)} is less than 3 heartbeat intervals`,
      "raise election_timeout or lower heartbeat_interval",
    );
  }
  return {
    id: r.integer("raft_config", "id"),
    raftDir: r.string("raft_config", "raft_dir"),
    listen: { host: r.string("raft_config", "raft_listen_host"), port },
    advertise: { host: r.string("raft_config", "raft_advertise_host"), port },
    single,
    join,
    heartbeatIntervalMs: heartbeat,
    electionTimeoutMs: election,
    snapshotLogsSinceLast: r.integer("raft_config", "snapshot_logs_since_last"),
  };
}

function readData(r: Reader, isMeta: boolean): DataConfig {
  const metaAddresses = r.addresses("data", "meta_addresses");
  if (!isMeta && metaAddresses.length === 0) {
    r.fail(
      "data",
      "meta_addresses",
      "a data node without [raft_config] has no way to reach a meta node",
      'list the meta nodes\' admin addresses, e.g. meta_addresses = ["127.0.0.1:8091"]',
    );
  }
  return {
    dir: r.string("data", "dir"),
    httpBindAddress: r.address("data", "http_bind_address"),
    rpcBindAddress: r.address("data", "rpc_bind_address"),
    metaAddresses,
    maxBodySize: r.size("data", "max_body_size"),
    shardIdleTimeoutMs: r.durationMs("data", "shard_idle_timeout"),
    maxOpenShards: r.integer("data", "max_open_shards"),
    readCacheSize: r.size("data", "read_cache_size"),
  };
}

/** Refuses two listeners on one port: the second would fail to bind at start. */
function rejectPortClashes(r: Reader, c: Omit<Config, "source">): void {
  const listeners: [Section, string, HostPort][] = [];
  if (c.raft) listeners.push(["raft_config", "raft_api_port", c.raft.listen]);
  if (c.meta) listeners.push(["meta", "admin_api_address", c.meta.adminApiAddress]);
  if (c.data) {
    listeners.push(["data", "http_bind_address", c.data.httpBindAddress]);
    listeners.push(["data", "rpc_bind_address", c.data.rpcBindAddress]);
  }
  for (let i = 0; i < listeners.length; i++) {
    for (let j = 0; j < i; j++) {
      const [s1, k1, a1] = listeners[i];
      const [s2, k2, a2] = listeners[j];
      if (sameListenPort(a1, a2)) {
        r.fail(
          s1,
          k1,
          `port ${a1.port} is also used by ${keyName(s2, k2)}`,
          "give every listener its own port",
        );
      }
    }
  }
}

/** Validates a parsed TOML document into a typed config; throws ConfigError. */
export function configFromToml(file: string, root: TomlTable): Config {
  const r = new Reader(file, root);
  rejectUnknown(r, root);
  const isMeta = root.raft_config !== undefined;
  if (!isMeta && root.meta !== undefined) {
    r.fail("", "meta", "[meta] applies only to meta nodes", "add [raft_config] or remove [meta]");
  }
  const dataEnabled = r.boolean("data", "enabled");
  if (!isMeta && !dataEnabled) {
    r.fail(
      "",
      "raft_config",
      "this node has no role",
      "add [raft_config] for a meta node and/or set [data] enabled = true for a data node",
    );
  }
  const base = {
    logLevel: r.logLevel(),
    clusterSecret: r.string("", "cluster_secret"),
    raft: isMeta ? readRaft(r) : null,
    meta: isMeta ? { adminApiAddress: r.address("meta", "admin_api_address") } : null,
    data: dataEnabled ? readData(r, isMeta) : null,
  };
  rejectPortClashes(r, base);
  return { source: file, ...base };
}

/** Parses TOML text and validates it; a syntax error names the line and column. */
export function parseConfig(file: string, text: string): Config {
  let root: TomlTable;
  try {
    root = parse(text);
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split("\n")[0];
      throw new ConfigError(
        file,
        `line ${e.line}, column ${e.column}`,
        `invalid TOML: ${first}`,
        "fix the syntax",
      );
    }
    throw e;
  }
  return configFromToml(file, root);
}

/** The zero-setup node: meta+data on 127.0.0.1, default ports, files in ./chronoraft-data. */
export function embeddedDefault(): Config {
  return configFromToml("embedded default", {
    raft_config: { single: true },
    data: { enabled: true },
  });
}

/** Renders a default value as TOML. */
export function tomlValue(v: DefaultValue): string {
  if (Array.isArray(v)) return `[${v.map((s) => JSON.stringify(s)).join(", ")}]`;
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
