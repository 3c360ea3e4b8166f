import assert from "node:assert/strict";
import {
  ConfigError,
  embeddedDefault,
  parseConfig,
  renderDefaultConfig,
} from "../../src/config/mod.ts";

/** Asserts the config is refused with one line naming the file and the key. */
function refused(toml: string, key: string, fragment: string): void {
  assert.throws(() => parseConfig("node.toml", toml), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    assert.equal(e.key, key);
    assert.ok(e.message.startsWith(`node.toml: ${key}: `), e.message);
    assert.ok(e.message.includes(fragment), `${e.message} should mention ${fragment}`);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

const META = `[raft_config]\nid = 1\nsingle = true\n`;

Deno.test("embedded default is one meta+data node on 127.0.0.1 under ./chronoraft-data", () => {
  const c = embeddedDefault();
  assert.equal(c.raft?.id, 1);
  assert.equal(c.raft?.single, true);
  assert.equal(c.raft?.raftDir, "chronoraft-data/meta");
  assert.deepEqual(c.meta?.adminApiAddress, { host: "127.0.0.1", port: 8091 });
  assert.equal(c.data?.dir, "chronoraft-data/data");
  assert.deepEqual(c.data?.httpBindAddress, { host: "127.0.0.1", port: 8086 });
  assert.equal(c.data?.maxBodySize, 25 * 1024 * 1024);
  assert.equal(c.data?.readCacheSize, 32 * 1024 * 1024);
});

Deno.test("read_cache_size takes sizes, 0 turning the cache off", () => {
  const at = (v: string) =>
    parseConfig(
      "n.toml",
      `${META}[data]
enabled = true
read_cache_size = ${v}
`,
    ).data
      ?.readCacheSize;
  assert.equal(at('"0"'), 0);
  assert.equal(at('"64KB"'), 64 * 1024);
  refused(
    `${META}[data]\nenabled = true\nread_cache_size = "lots"\n`,
    "[data].read_cache_size",
    "size",
  );
});

Deno.test("the printed default config loads back to the embedded default", () => {
  const c = parseConfig("printed", renderDefaultConfig());
  assert.deepEqual({ ...c, source: "" }, { ...embeddedDefault(), source: "" });
});

Deno.test("a meta-only node from a databend-style file", () => {
  const c = parseConfig(
    "m.toml",
    `${META}raft_api_port = 9089\n[meta]\nadmin_api_address = "127.0.0.1:9091"\n`,
  );
  assert.equal(c.data, null);
  assert.equal(c.raft?.listen.port, 9089);
  assert.deepEqual(c.meta?.adminApiAddress, { host: "127.0.0.1", port: 9091 });
});

Deno.test("unknown top-level key is refused", () =>
  refused(`lgo_level = "info"\n${META}`, "lgo_level", "unknown key"));

Deno.test("unknown key inside a section is refused and valid keys are listed", () =>
  refused(`${META}raft_dri = "x"\n`, "[raft_config].raft_dri", "valid keys in [raft_config]"));

Deno.test("unknown section is refused", () =>
  refused(`${META}[storage]\nx = 1\n`, "storage", "unknown key"));

Deno.test("wrong type is refused naming what was expected", () =>
  refused(`[raft_config]\nid = "one"\nsingle = true\n`, "[raft_config].id", "expected an integer"));

Deno.test("wrong type for a boolean", () =>
  refused(`[raft_config]\nsingle = "yes"\n`, "[raft_config].single", "expected true or false"));

Deno.test("single together with join is refused", () =>
  refused(
    `[raft_config]\nsingle = true\njoin = ["127.0.0.1:8091"]\n`,
    "[raft_config].join",
    "single",
  ));

Deno.test("an address that does not parse is refused", () =>
  refused(
    `${META}[meta]\nadmin_api_address = "localhost"\n`,
    "[meta].admin_api_address",
    "host:port",
  ));

Deno.test("an address with a port over 65535 is refused", () =>
  refused(
    `${META}[meta]\nadmin_api_address = "127.0.0.1:70000"\n`,
    "[meta].admin_api_address",
    "cannot parse",
  ));

Deno.test("two listeners on one port are refused", () =>
  refused(
    `${META}raft_api_port = 8091\n`,
    "[meta].admin_api_address",
    "port 8091 is also used by [raft_config].raft_api_port",
  ));

Deno.test("a data node with no way to reach a meta node is refused", () =>
  refused(`[data]\nenabled = true\n`, "[data].meta_addresses", "no way to reach a meta node"));

Deno.test("a node with no role is refused", () =>
  refused(`log_level = "info"\n`, "raft_config", "no role"));

Deno.test("a bad duration is refused", () =>
  refused(`${META}heartbeat_interval = "fast"\n`, "[raft_config].heartbeat_interval", "duration"));

Deno.test("an election timeout under three heartbeats is refused", () =>
  refused(`${META}election_timeout = "200ms"\n`, "[raft_config].election_timeout", "3 heartbeat"));

Deno.test("a bad size is refused", () =>
  refused(
    `${META}[data]\nenabled = true\nmax_body_size = "lots"\n`,
    "[data].max_body_size",
    "size",
  ));

Deno.test("a bad log level is refused", () =>
  refused(`log_level = "loud"\n${META}`, "log_level", "unknown level"));

Deno.test("an id below 1 is refused", () =>
  refused(`[raft_config]\nid = 0\nsingle = true\n`, "[raft_config].id", "at least 1"));

Deno.test("[meta] without [raft_config] is refused", () =>
  refused(
    `[meta]\nadmin_api_address = "127.0.0.1:8091"\n[data]\nenabled = true\nmeta_addresses = ["a:1"]\n`,
    "meta",
    "only to meta nodes",
  ));

Deno.test("invalid TOML names the line and column", () => {
  assert.throws(() => parseConfig("bad.toml", `${META}id = = 3\n`), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^bad\.toml: line 4, column \d+: invalid TOML/);
    return true;
  });
});

Deno.test("sizes and durations are read as InfluxDB writes them", () => {
  const c = parseConfig(
    "s.toml",
    `${META}heartbeat_interval = "50ms"\nelection_timeout = "1m30s"\n[data]\nenabled = true\nmax_body_size = "1g"\nshard_idle_timeout = "2h"\n`,
  );
  assert.equal(c.raft?.heartbeatIntervalMs, 50);
  assert.equal(c.raft?.electionTimeoutMs, 90_000);
  assert.equal(c.data?.maxBodySize, 1024 ** 3);
  assert.equal(c.data?.shardIdleTimeoutMs, 7_200_000);
});
