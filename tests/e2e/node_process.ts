/** Helpers that run real `chronoraft` processes (`deno run` of main.ts) for end-to-end tests. */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A port that was free a moment ago (bind port 0, read it, release it). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Ports this process already handed to a config: the kernel may offer one of them again. */
const handedOut = new Set<number>();

/**
 * A free port not handed out before by this process. Two keys of one cluster once got the
 * same port (two meta nodes with one raft address), and the join was refused.
 */
function unusedPort(): number {
  for (;;) {
    const p = freePort();
    if (!handedOut.has(p)) {
      handedOut.add(p);
      return p;
    }
  }
}

/** A running node process and what it has written to stderr. */
export interface NodeProcess {
  readonly child: Deno.ChildProcess;
  /** All stderr so far. */
  stderr(): string;
  /** Sends a signal and resolves with the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Starts `chronoraft <args>` in `cwd` with piped output. */
export function startNode(args: string[], cwd: string, runFlags: string[] = []): NodeProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", ...runFlags, MAIN, ...args],
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drained = (async () => {
    for await (const chunk of child.stderr) text += decoder.decode(chunk, { stream: true });
  })();
  let exited: Promise<Deno.CommandStatus> | null = null;
  return {
    child,
    stderr: () => text,
    stop: async (signal: Deno.Signal = "SIGTERM") => {
      try {
        child.kill(signal);
      } catch { /* already exited */ }
      exited ??= child.status;
      const status = await exited;
      await drained;
      return status;
    },
  };
}

/** Polls `url` until it answers `status` (default 200) or the deadline passes. */
export async function waitFor(url: string, status = 200, timeoutMs = 20_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status === status) return res;
      last = `status ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/** Runs `fn` in a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "chronoraft-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Rewrites every 127.0.0.1 port in a config text (and raft_api_port) to a free one. Pass the
 * same `ports` map for several files of one cluster so they agree on each other's ports.
 */
export function withFreePorts(
  toml: string,
  ports = new Map<number, number>(),
): { toml: string; ports: Map<number, number> } {
  const map = (p: number) => {
    if (!ports.has(p)) ports.set(p, unusedPort());
    return ports.get(p)!;
  };
  const out = toml
    .replace(/127\.0\.0\.1:(\d+)/g, (_, p) => `127.0.0.1:${map(Number(p))}`)
    .replace(/raft_api_port = (\d+)/, (_, p) => `raft_api_port = ${map(Number(p))}`)
    .replace(/(raft_dir|dir) = "run\//g, '$1 = "');
  return { toml: out, ports };
}

/** Kills a process with SIGKILL and waits for it to be gone. */
export async function kill9(node: NodeProcess): Promise<void> {
  await node.stop("SIGKILL");
}

/** POSTs JSON and returns the status and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, body: parsed };
}

/** Waits until `check` returns a truthy value, polling every 100 ms. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${what}: not true within ${timeoutMs} ms${last ? ` (last error: ${last})` : ""}`,
  );
}
