/**
 * The differential runner: starts InfluxDB 1.6.7 and Chronoraft, loads the same data into both,
 * sends every corpus query to both with the same HTTP parameters, and diffs the replies.
 */
import { COMPAT_DB, type CompatQuery, CORPUS, SCRATCH_DB } from "./corpus.ts";
import { compatBatches, DEFAULT_SEED, pointCount } from "./data.ts";
import { type Difference, diffReplies, errorsIn, type Reply, shapeOnly } from "./diff.ts";
import {
  createDatabase,
  ensureInfluxd,
  startChronoraft,
  startInfluxdb,
  type Target,
  writeBatches,
} from "./servers.ts";

/** What happened to one corpus query. */
export interface Outcome {
  readonly index: number;
  readonly query: CompatQuery;
  readonly influxdb: Reply;
  /** Null when the run compares nothing (InfluxDB only). */
  readonly chronoraft: Reply | null;
  readonly differences: readonly Difference[];
  /** Set when InfluxDB's answer contradicts the corpus (an error where none was expected …). */
  readonly corpusProblem: string | null;
}

/** Agreement for one feature. */
export interface FeatureTally {
  readonly feature: string;
  readonly agree: number;
  readonly total: number;
}

/** The result of running the corpus. */
export interface CompatReport {
  readonly outcomes: readonly Outcome[];
  readonly features: readonly FeatureTally[];
  readonly agree: number;
  readonly total: number;
  /** agree / total, or null when nothing was compared. */
  readonly agreement: number | null;
  readonly corpusProblems: readonly string[];
}

/** Sends one corpus query to a server as the corpus entry says (GET or POST form). */
export async function sendQuery(url: string, q: CompatQuery): Promise<Reply> {
  const params = new URLSearchParams();
  const db = q.db === undefined ? (q.phase === "mutate" ? SCRATCH_DB : COMPAT_DB) : q.db;
  if (db !== null) params.set("db", db);
  for (const [k, v] of Object.entries(q.params ?? {})) params.set(k, v);
  params.set("q", q.q);
  const method = q.method ?? (q.phase === "mutate" ? "POST" : "GET");
  const headers: Record<string, string> = q.accept ? { accept: q.accept } : {};
  const init: RequestInit = method === "GET" ? { method, headers } : {
    method,
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body: params,
  };
  const target = method === "GET" ? `${url}/query?${params}` : `${url}/query`;
  try {
    const res = await fetch(target, { ...init, signal: AbortSignal.timeout(60_000) });
    return {
      status: res.status,
      contentType: res.headers.get("content-type") ?? "",
      body: await res.text(),
    };
  } catch (e) {
    return { status: 0, contentType: "", body: `request failed: ${e}` };
  }
}

function corpusProblem(q: CompatQuery, reply: Reply): string | null {
  if (reply.status === 0) return `no answer: ${reply.body}`;
  const errors = errorsIn(reply);
  if (q.expectError && errors.length === 0 && reply.status < 400) {
    return "expected an error, InfluxDB answered without one";
  }
  if (!q.expectError && (errors.length > 0 || reply.status >= 400)) {
    return `InfluxDB answered ${reply.status} ${errors.join("; ") || reply.body.slice(0, 200)}`;
  }
  return null;
}

/** Runs `corpus` against InfluxDB (and Chronoraft unless null): reads first, then mutations. */
export async function runCorpus(
  influxdbUrl: string,
  chronoraftUrl: string | null,
  corpus: readonly CompatQuery[] = CORPUS,
): Promise<CompatReport> {
  const ordered = corpus.map((query, index) => ({ query, index }));
  ordered.sort((a, b) =>
    Number(a.query.phase === "mutate") - Number(b.query.phase === "mutate") || a.index - b.index
  );
  const outcomes: Outcome[] = [];
  for (const { query, index } of ordered) {
    const influxdb = await sendQuery(influxdbUrl, query);
    const chronoraft = chronoraftUrl === null ? null : await sendQuery(chronoraftUrl, query);
    let differences: Difference[] = [];
    if (chronoraft !== null) {
      differences = query.compare === "shape"
        ? diffReplies(shapeOnly(influxdb), shapeOnly(chronoraft))
        : diffReplies(influxdb, chronoraft);
    }
    outcomes.push({
      index,
      query,
      influxdb,
      chronoraft,
      differences,
      corpusProblem: corpusProblem(query, influxdb),
    });
  }
  outcomes.sort((a, b) => a.index - b.index);
  return summarize(outcomes);
}

/** Tallies outcomes per feature (in corpus order) and overall. */
export function summarize(outcomes: readonly Outcome[]): CompatReport {
  const byFeature = new Map<string, { agree: number; total: number }>();
  let agree = 0;
  let total = 0;
  for (const o of outcomes) {
    if (o.chronoraft === null) continue;
    const t = byFeature.get(o.query.feature) ?? { agree: 0, total: 0 };
    byFeature.set(o.query.feature, t);
    t.total++;
    total++;
    if (o.differences.length === 0) {
      t.agree++;
      agree++;
    }
  }
  return {
    outcomes,
    features: [...byFeature].map(([feature, t]) => ({ feature, ...t })),
    agree,
    total,
    agreement: total === 0 ? null : agree / total,
    corpusProblems: outcomes.filter((o) => o.corpusProblem !== null).map((o) =>
      `#${o.index} [${o.query.feature}] ${o.query.q}: ${o.corpusProblem}`
    ),
  };
}

/** How a harness run went: a report, or skipped with the reason. */
export type CompatRun =
  | { readonly kind: "ran"; readonly report: CompatReport; readonly points: number }
  | { readonly kind: "skipped"; readonly reason: string };

/** Options of a harness run. */
export interface RunOptions {
  readonly seed?: number;
  /** Only InfluxDB: validates the corpus without starting Chronoraft. */
  readonly influxdbOnly?: boolean;
  readonly corpus?: readonly CompatQuery[];
  readonly log?: (line: string) => void;
}

async function load(t: Target, seed: number): Promise<number> {
  const batches = compatBatches(seed);
  for (const db of [COMPAT_DB, SCRATCH_DB]) {
    await createDatabase(t, db);
    await writeBatches(t, db, batches);
  }
  return pointCount(batches);
}

/** Installs influxd if needed, starts both servers in a temp dir, loads, runs, stops. */
export async function runCompat(opts: RunOptions = {}): Promise<CompatRun> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const availability = await ensureInfluxd(log);
  if (availability.kind === "unavailable") return { kind: "skipped", reason: availability.reason };
  const seed = opts.seed ?? DEFAULT_SEED;
  const dir = await Deno.makeTempDir({ prefix: "chronoraft-compat-" });
  const started: Target[] = [];
  try {
    const influxdb = await startInfluxdb(`${dir}/influxdb`);
    started.push(influxdb);
    const chronoraft = opts.influxdbOnly ? null : await startChronoraft(`${dir}/chronoraft`);
    if (chronoraft !== null) started.push(chronoraft);
    let points = 0;
    for (const t of started) points = await load(t, seed);
    log(`compat: ${points} points loaded into ${started.map((t) => t.name).join(" and ")}`);
    const report = await runCorpus(influxdb.url, chronoraft?.url ?? null, opts.corpus ?? CORPUS);
    return { kind: "ran", report, points };
  } finally {
    for (const t of started) await t.stop().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
