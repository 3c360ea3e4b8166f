import assert from "node:assert/strict";
import { runCli } from "../../src/cli/mod.ts";
import { parseConfig } from "../../src/config/mod.ts";

/** Runs the CLI in-process and captures what it wrote. */
async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

Deno.test("an unknown command: one line on stderr naming what was expected, exit 2", async () => {
  const r = await run("srve");
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(r.stderr, /unknown command "srve"; expected one of serve, config, ctl, version/);
});

Deno.test("an unknown flag: one line on stderr naming the flags, exit 2", async () => {
  for (const cmd of ["serve", "config", "version", "ctl"]) {
    const r = await run(cmd, "--nope");
    assert.equal(r.code, 2, cmd);
    assert.equal(r.stderr.trim().split("\n").length, 1, cmd);
    assert.match(r.stderr, new RegExp(`${cmd}: unknown flag --nope; expected `), cmd);
  }
});

Deno.test("a flag missing its value is a usage error", async () => {
  const r = await run("serve", "-c");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^chronoraft: serve: /);
});

Deno.test("--help on every command prints usage and exits 0", async () => {
  for (
    const args of [["--help"], ["serve", "--help"], ["config", "-h"], ["ctl", "--help"], [
      "version",
      "--help",
    ]]
  ) {
    const r = await run(...args);
    assert.equal(r.code, 0, args.join(" "));
    assert.match(r.stdout, /Usage/, args.join(" "));
  }
});

Deno.test("version prints the version", async () => {
  const r = await run("version");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^chronoraft \d+\.\d+\.\d+\n$/);
});

Deno.test("config prints TOML that serve accepts", async () => {
  const r = await run("config");
  assert.equal(r.code, 0);
  const c = parseConfig("printed", r.stdout);
  assert.equal(c.raft?.single, true);
  assert.match(r.stdout, /# Admin HTTP API/);
});

Deno.test("serve with a missing config file fails with one line, exit 1", async () => {
  const r = await run("serve", "-c", "/nonexistent/node.toml");
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(
    r.stderr,
    /\/nonexistent\/node\.toml: -c: cannot read the config file: no such file/,
  );
});

Deno.test("serve with a bad config fails with one line naming the key, exit 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/bad.toml`;
    await Deno.writeTextFile(file, `[raft_config]\nsingle = true\njoin = ["a:1"]\n`);
    const r = await run("serve", "-c", file);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.ok(r.stderr.includes(`${file}: [raft_config].join:`), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ctl with an unknown subcommand is a usage error", async () => {
  const r = await run("ctl", "frobnicate");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /ctl: unknown command "frobnicate"/);
});
