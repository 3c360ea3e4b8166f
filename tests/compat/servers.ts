/**
 * The two servers of a compat run: Debian's influxd 1.6.7 (installed here when missing) and one
 * embedded Chronoraft node as a real process, each on free loopback ports in a temp directory.
 */
import { startInfluxd } from "../../bench/influxdb_server.ts";
import { startNode, waitFor, withFreePorts } from "../e2e/node_process.ts";
import type { WriteBatch } from "./data.ts";

const SINGLE = new URL("../../configs/single.toml", import.meta.url);

/** A server under test: where its data API is, and how to stop it. */
export interface Target {
  readonly name: "influxdb" | "chronoraft";
  /** Base URL of the InfluxDB-compatible API (`/write`, `/query`). */
  readonly url: string;
  /** The admin API base URL (Chronoraft only). */
  readonly admin?: string;
  stop(): Promise<void>;
}

/** Whether influxd can be used: present, or installed now from Debian, or why not. */
export type InfluxdAvailability =
  | { readonly kind: "present" }
  | { readonly kind: "installed" }
  | { readonly kind: "unavailable"; readonly reason: string };

async function hasCommand(cmd: string): Promise<boolean> {
  const out = await new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`] }).output();
  return out.success;
}

/** Makes sure `influxd` exists: `apt-get update` then `apt-get install -y influxdb` as root. */
export async function ensureInfluxd(log: (line: string) => void): Promise<InfluxdAvailability> {
  if (await hasCommand("influxd")) return { kind: "present" };
  if (Deno.uid() !== 0) {
    return { kind: "unavailable", reason: "influxd is not installed and we are not root" };
  }
  if (!(await hasCommand("apt-get"))) {
    return { kind: "unavailable", reason: "influxd is not installed and apt-get is missing" };
  }
  log("compat: influxd missing; running apt-get update && apt-get install -y influxdb");
  const run = (args: string[]) =>
    new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "null",
      stderr: "piped",
    }).output();
  const update = await run(["update", "-qq"]);
  const install = await run(["install", "-y", "-qq", "influxdb"]);
  if (!install.success || !(await hasCommand("influxd"))) {
    const tail = new TextDecoder().decode(update.success ? install.stderr : update.stderr)
      .trim().split("\n").slice(-2).join(" ");
    return { kind: "unavailable", reason: `apt-get install -y influxdb failed: ${tail}` };
  }
  return { kind: "installed" };
}

/** Starts influxd on loopback with its files under `dir`. */
export async function startInfluxdb(dir: string): Promise<Target> {
  await Deno.mkdir(dir, { recursive: true });
  const s = await startInfluxd(dir);
  return { name: "influxdb", url: s.url, stop: () => s.stop() };
}

/** Starts one embedded meta+data Chronoraft node (configs/single.toml on free ports) in `dir`. */
export async function startChronoraft(dir: string): Promise<Target> {
  await Deno.mkdir(dir, { recursive: true });
  const { toml, ports } = withFreePorts(await Deno.readTextFile(SINGLE));
  await Deno.writeTextFile(
    `${dir}/single.toml`,
    toml.replace('log_level = "info"', 'log_level = "warn"'),
  );
  const node = startNode(["serve", "-c", "single.toml"], dir);
  const url = `http://127.0.0.1:${ports.get(8086)}`;
  const admin = `http://127.0.0.1:${ports.get(8091)}`;
  try {
    await waitFor(`${admin}/v1/health`, 200, 60_000);
    await waitFor(`${url}/ping`, 204, 60_000);
  } catch (e) {
    await node.stop("SIGKILL");
    throw new Error(`chronoraft did not start: ${e}\n${node.stderr().slice(-2000)}`);
  }
  return {
    name: "chronoraft",
    url,
    admin,
    stop: async () => {
      await node.stop("SIGTERM");
    },
  };
}

/** POSTs `q` as a form to `/query` and returns the status and body text. */
export async function postQuery(
  url: string,
  q: string,
  params: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}/query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...params, q }),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: await res.text() };
}

/**
 * Creates a database through `/query` (`CREATE DATABASE` as a form POST); on Chronoraft, when
 * `/query` does not work yet, through the admin API's meta command instead. Returns how.
 */
export async function createDatabase(t: Target, name: string): Promise<"query" | "admin"> {
  const r = await postQuery(t.url, `CREATE DATABASE "${name}"`).catch(() => null);
  if (r !== null && r.status === 200 && !r.body.includes('"error"')) return "query";
  if (t.admin === undefined) {
    throw new Error(`CREATE DATABASE ${name} failed on ${t.name}: ${r?.status} ${r?.body}`);
  }
  const res = await fetch(`${t.admin}/v1/meta/command`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "createDatabase", name }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`createDatabase ${name} failed on ${t.name}: ${res.status} ${body}`);
  return "admin";
}

/** Writes every batch to `db`, one `/write` per batch; throws on any non-204 answer. */
export async function writeBatches(
  t: Target,
  db: string,
  batches: readonly WriteBatch[],
): Promise<void> {
  for (const b of batches) {
    const u = `${t.url}/write?db=${encodeURIComponent(db)}&precision=${b.precision}`;
    let res: Response | null = null;
    // A fresh Chronoraft node may still be registering its data node id: retry a little.
    for (let attempt = 0; attempt < 50; attempt++) {
      res = await fetch(u, {
        method: "POST",
        body: b.lines.join("\n") + "\n",
        signal: AbortSignal.timeout(60_000),
      });
      if (res.status !== 503) break;
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, 200));
    }
    if (res === null || res.status !== 204) {
      throw new Error(`write to ${t.name} failed: ${res?.status} ${await res?.text()}`);
    }
  }
}
