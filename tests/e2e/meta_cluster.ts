/** A local meta cluster of real processes from configs/meta-*.toml, on free ports. */
import {
  eventually,
  type NodeProcess,
  postJson,
  startNode,
  waitFor,
  withFreePorts,
} from "./node_process.ts";

const CONFIGS = new URL("../../configs/", import.meta.url);

/** One meta node of the cluster: its config, process and admin address. */
export interface MetaMember {
  readonly name: string;
  readonly id: number;
  readonly admin: string;
  proc: NodeProcess | null;
}

/** Starts and drives a 3-node meta cluster in a temporary directory. */
export class MetaCluster {
  readonly members: MetaMember[] = [];
  readonly ports = new Map<number, number>();

  private constructor(readonly dir: string) {}

  /** Writes the configs (ports made free, `extra` appended to [raft_config]) and starts them. */
  static async start(dir: string, extra = ""): Promise<MetaCluster> {
    const c = new MetaCluster(dir);
    for (const i of [1, 2, 3]) {
      const src = await Deno.readTextFile(new URL(`meta-${i}.toml`, CONFIGS));
      const { toml } = withFreePorts(src, c.ports);
      const withExtra = toml.replace("[meta]", `${extra}\n[meta]`);
      await Deno.writeTextFile(`${dir}/meta-${i}.toml`, withExtra);
      const admin = /admin_api_address = "([^"]+)"/.exec(withExtra)![1];
      c.members.push({ name: `meta-${i}`, id: i, admin, proc: null });
    }
    for (const m of c.members) {
      await c.startMember(m);
    }
    await c.waitVoters(3);
    return c;
  }

  /** Starts (or restarts) one member and waits for its health check. */
  async startMember(m: MetaMember): Promise<void> {
    const proc = startNode(["serve", "-c", `${m.name}.toml`], this.dir);
    m.proc = proc;
    try {
      await waitFor(`http://${m.admin}/v1/health`, 200, 30_000);
    } catch (e) {
      const health = await fetch(`http://${m.admin}/v1/health`).then((r) => r.text()).catch(
        () => "unreachable",
      );
      throw new Error(`${m.name}: ${e}\nhealth: ${health}\nlog:\n${proc.stderr().slice(-3000)}`);
    }
  }

  /** Waits until the leader reports `n` voters and no learner. */
  async waitVoters(n: number, via?: MetaMember): Promise<void> {
    await eventually(`${n} voters`, async () => {
      const s = await this.status(via ?? this.running()[0]);
      const voters = s.members.filter((m) => m.state === "voter" || m.state === "leader");
      return voters.length === n && s.members.every((m) => m.state !== "learner");
    }, 30_000);
  }

  /** Members whose process is running. */
  running(): MetaMember[] {
    return this.members.filter((m) => m.proc !== null);
  }

  /** `GET /v1/cluster/status` of one member. */
  async status(
    m: MetaMember,
  ): Promise<{ leader: number | null; members: { id: number; state: string }[] }> {
    const res = await fetch(`http://${m.admin}/v1/cluster/status`);
    return await res.json();
  }

  /** The current leader, as the running members agree. */
  async leader(): Promise<MetaMember> {
    return await eventually("a leader", async () => {
      for (const m of this.running()) {
        const s = await this.status(m).catch(() => null);
        const l = this.members.find((x) => x.id === s?.leader);
        if (l?.proc) return l;
      }
      return null;
    }, 30_000);
  }

  /** Proposes CREATE DATABASE through member `m`; true when acknowledged. */
  async createDatabase(m: MetaMember, name: string): Promise<boolean> {
    try {
      const r = await postJson(`http://${m.admin}/v1/meta/command`, {
        kind: "createDatabase",
        name,
      });
      return r.status === 200;
    } catch {
      return false;
    }
  }

  /** Database names in member `m`'s applied meta state. */
  async databases(m: MetaMember): Promise<Set<string>> {
    const res = await fetch(`http://${m.admin}/v1/meta?index=0`);
    const data = await res.json() as { databases: { name: string }[] };
    return new Set(data.databases.map((d) => d.name));
  }

  /** Stops every running member with SIGTERM; returns their exit codes. */
  async stop(): Promise<number[]> {
    const codes: number[] = [];
    for (const m of this.running()) {
      codes.push((await m.proc!.stop("SIGTERM")).code);
      m.proc = null;
    }
    return codes;
  }
}
