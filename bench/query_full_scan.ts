/**
 * Full-scan memory for bench:query (`--full-scan`): a server's peak RSS while it answers a
 * full-scan aggregate and a chunked raw `SELECT *` over everything loaded. The peak is reset
 * (Linux `clear_refs`) before each query, so the figure is the query's, not the load's.
 */

/** One full-scan query's figures. */
export interface FullScanFigure {
  readonly query: string;
  readonly rows: number;
  readonly ms: number;
  /** RSS just before the query, in bytes. */
  readonly rssBefore: number;
  /** Peak RSS while the query ran, in bytes (0 when /proc is missing). */
  readonly peak: number;
}

/** The full-scan queries measured. */
export const FULL_SCAN_QUERIES: readonly string[] = [
  "SELECT count(*) FROM cpu",
  "SELECT * FROM cpu",
];

async function status(pid: number, key: string): Promise<number> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/status`);
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Counts the rows of a chunked JSON answer as it streams, keeping one chunk at a time. */
async function streamRows(res: Response): Promise<number> {
  let rows = 0;
  let pending = "";
  const count = (line: string) => {
    if (line.trim() === "") return;
    const body = JSON.parse(line) as {
      error?: string;
      results?: { error?: string; series?: { values?: unknown[] }[] }[];
    };
    const err = body.error ?? body.results?.find((r) => r.error)?.error;
    if (err) throw new Error(`full scan failed: ${err}`);
    for (const r of body.results ?? []) {
      for (const s of r.series ?? []) rows += s.values?.length ?? 0;
    }
  };
  const dec = new TextDecoder();
  for await (const part of res.body!) {
    pending += dec.decode(part, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      count(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  }
  count(pending);
  return rows;
}

/** Runs each full-scan query once against `url` (database `db`) and reads `pid`'s peak RSS. */
export async function fullScanRss(pid: number, url: string, db: string): Promise<FullScanFigure[]> {
  const out: FullScanFigure[] = [];
  for (const query of FULL_SCAN_QUERIES) {
    // Writing 5 resets VmHWM to the current RSS (Linux ≥ 4.0); without it the load's peak shows.
    await Deno.writeTextFile(`/proc/${pid}/clear_refs`, "5").catch(() => {});
    const rssBefore = await status(pid, "VmRSS");
    const t0 = performance.now();
    const q = encodeURIComponent(query);
    const res = await fetch(`${url}/query?db=${db}&epoch=ns&chunked=true&chunk_size=10000&q=${q}`);
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${await res.text()}`);
    const rows = await streamRows(res);
    out.push({
      query,
      rows,
      ms: performance.now() - t0,
      rssBefore,
      peak: await status(pid, "VmHWM"),
    });
  }
  return out;
}

/** The figures as a Markdown table. */
export function fullScanTable(points: number, figures: readonly FullScanFigure[]): string {
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  const lines = [
    `\nfull scan over ${points} points (chunked, chunk_size 10000):\n`,
    "| query | rows | seconds | RSS before MiB | peak RSS MiB |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const f of figures) {
    lines.push(
      `| ${f.query} | ${f.rows} | ${(f.ms / 1000).toFixed(1)} | ${mib(f.rssBefore)} | ${
        mib(f.peak)
      } |`,
    );
  }
  return lines.join("\n");
}
