/** InfluxDB 1.6.7 (Debian's influxd) on loopback with a temporary directory, for comparisons. */
import { freePort } from "../tests/e2e/node_process.ts";
import { ensureDebianPackage } from "./debian.ts";

/** A running influxd process. */
export interface Influxd {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts influxd with its files under `dir`, full compaction soon after writes stop. */
export async function startInfluxd(dir: string): Promise<Influxd> {
  await ensureDebianPackage("influxd", "influxdb");
  const http = freePort();
  const rpc = freePort();
  const config = `
reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
  compact-full-write-cold-duration = "2s"
[http]
  bind-address = "127.0.0.1:${http}"
  log-enabled = false
  max-body-size = 0
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[logging]
  level = "error"
`;
  await Deno.writeTextFile(`${dir}/influxdb.conf`, config);
  const child = new Deno.Command("influxd", {
    args: ["run", "-config", `${dir}/influxdb.conf`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${http}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/ping`).then((r) => r.status === 204).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("influxd did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    dataDir: `${dir}/data`,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
    },
  };
}
