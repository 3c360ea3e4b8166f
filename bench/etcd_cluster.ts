/** A 3-member etcd 3.4 cluster of real processes on loopback, driven over its JSON gateway. */

const b64 = (s: string) => btoa(s);

interface Member {
  readonly name: string;
  readonly client: number;
  readonly peer: number;
  proc: Deno.ChildProcess | null;
}

/** Starts, kills and restarts etcd members; writes through `/v3/kv/put`. */
export class EtcdCluster {
  private constructor(private readonly dir: string, private readonly members: Member[]) {}

  /** Starts a cluster whose members listen on the given [client, peer] ports. */
  static async start(dir: string, ports: [number, number][]): Promise<EtcdCluster> {
    const members = ports.map(([client, peer], i) => ({
      name: `etcd-${i + 1}`,
      client,
      peer,
      proc: null,
    }));
    const c = new EtcdCluster(dir, members);
    for (let i = 0; i < members.length; i++) c.spawn(i);
    await c.waitHealthy();
    return c;
  }

  private spawn(i: number): void {
    const m = this.members[i];
    const initial = this.members.map((x) => `${x.name}=http://127.0.0.1:${x.peer}`).join(",");
    m.proc = new Deno.Command("etcd", {
      args: [
        "--name",
        m.name,
        "--data-dir",
        `${this.dir}/${m.name}`,
        "--listen-client-urls",
        `http://127.0.0.1:${m.client}`,
        "--advertise-client-urls",
        `http://127.0.0.1:${m.client}`,
        "--listen-peer-urls",
        `http://127.0.0.1:${m.peer}`,
        "--initial-advertise-peer-urls",
        `http://127.0.0.1:${m.peer}`,
        "--initial-cluster",
        initial,
        "--initial-cluster-state",
        "new",
        "--initial-cluster-token",
        "bench",
        "--log-level",
        "error",
        "--logger",
        "zap",
      ],
      stdout: "null",
      stderr: "null",
      env: { ETCD_UNSUPPORTED_ARCH: "", ETCDCTL_API: "3" },
    }).spawn();
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await this.put(0, "ready", "1")) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("etcd cluster did not become healthy");
  }

  private async post(i: number, path: string, body: unknown): Promise<Response | null> {
    const m = this.members[i % this.members.length];
    if (!m.proc) return null;
    return await fetch(`http://127.0.0.1:${m.client}${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    }).catch(() => null);
  }

  /** One PUT through member `i`; true when acknowledged. */
  async put(i: number, key: string, value: string): Promise<boolean> {
    const res = await this.post(i, "/v3/kv/put", { key: b64(key), value: b64(value) });
    await res?.body?.cancel();
    return res?.status === 200;
  }

  /** Index of the member that leads. */
  async leader(): Promise<number> {
    for (let i = 0; i < this.members.length; i++) {
      const res = await this.post(i, "/v3/maintenance/status", {});
      if (!res?.ok) continue;
      const s = await res.json();
      const idx = this.members.findIndex((_, j) => j === i);
      if (s.leader === s.header.member_id) return idx;
    }
    throw new Error("no etcd leader");
  }

  /** The store revision member `i` has applied (a serializable read answers locally). */
  async revision(i: number): Promise<number> {
    const res = await this.post(i, "/v3/kv/range", { key: b64("ready"), serializable: true });
    if (!res?.ok) return -1;
    return Number((await res.json()).header.revision);
  }

  /** SIGKILLs member `i`. */
  async kill(i: number): Promise<void> {
    const m = this.members[i];
    m.proc?.kill("SIGKILL");
    await m.proc?.status;
    m.proc = null;
  }

  /** Stops member `i` gracefully. */
  async stop(i: number): Promise<void> {
    const m = this.members[i];
    m.proc?.kill("SIGTERM");
    await m.proc?.status;
    m.proc = null;
  }

  /** Restarts member `i` from its data dir. */
  async restart(i: number): Promise<void> {
    this.spawn(i);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && await this.revision(i) < 0) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops every member. */
  async close(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.stop(i);
  }
}
