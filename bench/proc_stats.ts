/** Linux process figures for benches. */

/** Peak resident set size (VmHWM) of a process, in bytes; 0 when unknown. */
export async function peakRss(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Total size of the files under `dir`, in bytes. */
export async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) total += await dirSize(p);
    else if (e.isFile) total += (await Deno.stat(p)).size;
  }
  return total;
}

/** CPU time (user + system) a process has used, in clock ticks; 0 when unknown. */
export async function cpuTicks(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * Waits until a server has absorbed a load: its CPU use stays under 5% of one core for two
 * consecutive half-second samples (at most `maxMs`). Benches wait for this before timing
 * queries, so background compaction of a just-finished load is not what they measure.
 */
export async function waitIdle(pid: number, maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  let last = await cpuTicks(pid);
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await cpuTicks(pid);
    quiet = now - last <= 2 ? quiet + 1 : 0; // 2 ticks of 10 ms = 4% of 500 ms
    last = now;
  }
}
