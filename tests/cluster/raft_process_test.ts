/**
 * Three real processes (tests/cluster/fixtures/raft_node.ts) run the raft driver over TCP with
 * a KV log each. Proposals stream in; the leader is killed with SIGKILL mid-stream; proposing
 * continues on the new leader; the killed node restarts. Every acknowledged proposal must end
 * up applied, once and in the same order, on all three.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("./fixtures/raft_node.ts", import.meta.url));
const IDS = [1, 2, 3];

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Node {
  readonly id: number;
  readonly http: number;
  readonly dir: string;
  proc: Deno.ChildProcess | null;
}

async function spawn(node: Node, peers: string): Promise<void> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      FIXTURE,
      "--id",
      String(node.id),
      "--dir",
      node.dir,
      "--http",
      String(node.http),
      "--peers",
      peers,
    ],
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  });
  const proc = cmd.spawn();
  node.proc = proc;
  // Wait for the "ready" line, then keep draining stdout so the child never blocks on it.
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`node ${node.id} exited before it was ready`);
    seen += value;
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
}

async function call(
  node: Node,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${node.http}${path}`, {
      ...init,
      signal: AbortSignal.timeout(3000),
    });
    return { status: res.status, body: await res.json() };
  } catch {
    return null; // down, killed mid-request or timed out: the outcome is unknown
  }
}

async function leaderOf(nodes: Node[]): Promise<Node | null> {
  for (const n of nodes) {
    if (n.proc === null) continue;
    const r = await call(n, "/status");
    const lead = r?.body.leader;
    if (typeof lead === "number") {
      const l = nodes.find((x) => x.id === lead);
      if (l !== undefined && l.proc !== null) return l;
    }
  }
  return null;
}

Deno.test({
  name: "raft processes: every acknowledged proposal survives kill -9 of the leader",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "raft-proc-" });
    const raftPorts = IDS.map(() => freePort());
    const peers = IDS.map((id, i) => `${id}=127.0.0.1:${raftPorts[i]}`).join(",");
    const nodes: Node[] = IDS.map((id) => ({
      id,
      http: freePort(),
      dir: join(root, `node-${id}`),
      proc: null,
    }));
    try {
      for (const n of nodes) await Deno.mkdir(n.dir);
      await Promise.all(nodes.map((n) => spawn(n, peers)));

      const acked: string[] = [];
      let seq = 0;
      let leader: Node | null = null;
      let stop = false;
      const proposer = async () => {
        while (!stop) {
          if (leader === null || leader.proc === null) {
            leader = await leaderOf(nodes);
            if (leader === null) await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          const value = `v${seq++}`;
          const r = await call(leader, "/propose", { method: "POST", body: value });
          if (r?.status === 200) acked.push(value);
          else leader = null; // not leader, down, or unknown outcome: look again
        }
      };
      const waitAcks = async (n: number) => {
        const until = Date.now() + 30_000;
        while (acked.length < n) {
          if (Date.now() > until) throw new Error(`only ${acked.length} of ${n} acks`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const workers = Array.from({ length: 8 }, proposer);

      await waitAcks(300);
      const victim = (await leaderOf(nodes))!;
      victim.proc!.kill("SIGKILL");
      await victim.proc!.status;
      victim.proc = null;
      const killedAt = acked.length;

      await waitAcks(killedAt + 300);
      await spawn(victim, peers);
      await waitAcks(acked.length + 100);
      stop = true;
      await Promise.all(workers);

      const states: string[][] = [];
      for (const n of nodes) {
        let items: string[] | null = null;
        const until = Date.now() + 30_000;
        while (items === null) {
          const r = await call(n, "/state?read=1");
          if (r?.status === 200) items = r.body.items as string[];
          else if (Date.now() > until) throw new Error(`node ${n.id} never served a read`);
          else await new Promise((r) => setTimeout(r, 50));
        }
        states.push(items);
      }
      // Reads are served at different moments but no proposal is in flight any more.
      for (const s of states) {
        assert.equal(new Set(s).size, s.length, "no proposal applied twice");
        const have = new Set(s);
        const missing = acked.filter((v) => !have.has(v));
        assert.deepEqual(missing, [], "every acknowledged proposal is applied");
      }
      assert.deepEqual(states[1], states[0]);
      assert.deepEqual(states[2], states[0]);
    } finally {
      for (const n of nodes) {
        if (n.proc === null) continue;
        try {
          n.proc.kill("SIGKILL");
        } catch {
          // already gone
        }
        await n.proc.status;
      }
      await Deno.remove(root, { recursive: true });
    }
  },
});
