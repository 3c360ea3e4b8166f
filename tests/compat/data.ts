/**
 * The compat data set: deterministic line protocol (a seeded PRNG, no clock) for several
 * measurements, written in batches with varying `precision`, the same bytes to both servers.
 *
 * Shape, so queries can be written against it:
 * - `cpu`      tags host (host_0..host_3), cpu (cpu0, cpu1), region (us-east, us-west; missing on
 *              host_3); fields usage_user, usage_system, usage_idle (float), irregular times in ns.
 * - `mem`      tags host, region (missing on some points); fields used, free (int), used_percent
 *              (float), available (int near 2^53), written with precision=ms.
 * - `disk`     tags host, path ("/", "/var"), fstype (missing on path "/var"); fields total (large
 *              int), used (int, negative and zero edge values), ro (bool), written with precision=s.
 * - `events`   tags type (login, logout, error), host (missing on some); fields message (string with
 *              quotes, commas, spaces, unicode, empty), code (int), ok (bool), duration (float,
 *              negative and zero values); sparse: not every point has every field; precision=u.
 * - `h2o_feet` and `h2o_temperature`: tag location; fields water_level / degrees (float) and
 *              `level description` (string); whole minutes and hours (precision=m and h).
 * - `weird meas` (escaped name, tag key and value with spaces/commas/equals): a few points.
 * All times lie in [DATA_START_NS, DATA_END_NS) — 2023-12-30T00:00:00Z plus three days, which
 * crosses one 7-day shard group boundary (Monday 2024-01-01T00:00:00Z).
 */

/** One `/write` request: the body and its `precision`. */
export interface WriteBatch {
  readonly precision: "ns" | "u" | "ms" | "s" | "m" | "h";
  readonly lines: readonly string[];
}

/** 2023-12-30T00:00:00Z in ns. */
export const DATA_START_NS = 1_703_894_400_000_000_000n;
/** Three days after DATA_START_NS. */
export const DATA_END_NS = DATA_START_NS + 3n * 86_400_000_000_000n;

/** The default seed of the data set every corpus result was judged on. */
export const DEFAULT_SEED = 20231230;

/** A small seeded PRNG (mulberry32): the same seed gives the same stream on every machine. */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

const SEC = 1_000_000_000n;
const MIN = 60n * SEC;
const HOUR = 60n * MIN;
const SPAN = DATA_END_NS - DATA_START_NS;

/** Float text with up to 3 decimals, always parsed as float by line protocol. */
function float(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** Times for one series: irregular steps of `minStep..maxStep` (in `unit`) over the span. */
function times(rng: Prng, unit: bigint, minStep: number, maxStep: number): bigint[] {
  const out: bigint[] = [];
  let t = DATA_START_NS / unit + BigInt(rng.int(0, maxStep));
  const end = DATA_END_NS / unit;
  while (t < end) {
    out.push(t);
    t += BigInt(rng.int(minStep, maxStep));
  }
  return out;
}

function chunk(precision: WriteBatch["precision"], lines: string[], size: number): WriteBatch[] {
  const out: WriteBatch[] = [];
  for (let i = 0; i < lines.length; i += size) {
    out.push({ precision, lines: lines.slice(i, i + size) });
  }
  return out;
}

function cpuLines(rng: Prng): string[] {
  const lines: string[] = [];
  for (let h = 0; h < 4; h++) {
    for (const cpu of ["cpu0", "cpu1"]) {
      const region = h === 3 ? "" : `,region=${h % 2 === 0 ? "us-east" : "us-west"}`;
      // Irregular times with sub-second jitter (ns precision).
      for (const t of times(rng, SEC, 600, 3600)) {
        const ns = t * SEC + BigInt(rng.int(0, 999_999_999));
        const user = rng.next() * 80;
        const system = rng.next() * 20;
        lines.push(
          `cpu,cpu=${cpu},host=host_${h}${region} usage_user=${float(user)},usage_system=${
            float(system)
          },usage_idle=${float(100 - user - system)} ${ns}`,
        );
      }
    }
  }
  return lines;
}

function memLines(rng: Prng): string[] {
  const lines: string[] = [];
  for (let h = 0; h < 3; h++) {
    for (const t of times(rng, 1_000_000n, 900_000, 5_400_000)) {
      const total = 16_000_000_000;
      const used = rng.int(1_000_000_000, 15_000_000_000);
      const region = rng.next() < 0.3 ? "" : `,region=${h === 0 ? "us-east" : "us-west"}`;
      const available = 9_007_199_254_740_000n + BigInt(rng.int(0, 999));
      lines.push(
        `mem,host=host_${h}${region} used=${used}i,free=${total - used}i,used_percent=${
          float((used / total) * 100)
        },available=${available}i ${t}`,
      );
    }
  }
  return lines;
}

function diskLines(rng: Prng): string[] {
  const lines: string[] = [];
  for (let h = 0; h < 2; h++) {
    for (const path of ["/", "/var"]) {
      const fstype = path === "/" ? ",fstype=ext4" : "";
      const total = 1_000_000_000_000 * (h + 1);
      for (const t of times(rng, SEC, 1800, 7200)) {
        const r = rng.next();
        // Edge values: zero and negative (a quota overshoot) now and then.
        const used = r < 0.05 ? 0 : r < 0.1 ? -rng.int(1, 1000) : rng.int(1, total);
        const ro = rng.pick(["t", "f", "true", "false", "TRUE", "False"]);
        lines.push(
          `disk,fstype=ext4,host=host_${h},path=${path}`.replace(",fstype=ext4", fstype) +
            ` total=${total}i,used=${used}i,ro=${ro} ${t}`,
        );
      }
    }
  }
  return lines;
}

const MESSAGES = [
  "ok",
  "user logged in",
  'said \\"hi\\"',
  "a, b, c",
  "key=value",
  "héllo wörld ✓",
  "",
  "back\\\\slash",
  "multi word message with spaces",
];

function eventLines(rng: Prng): string[] {
  const lines: string[] = [];
  const ts = times(rng, 1000n, 300_000_000, 2_400_000_000);
  for (const t of ts) {
    const type = rng.pick(["login", "logout", "error"]);
    const host = rng.next() < 0.25 ? "" : `,host=host_${rng.int(0, 2)}`;
    const fields: string[] = [];
    if (rng.next() < 0.9) fields.push(`message="${rng.pick(MESSAGES)}"`);
    if (rng.next() < 0.8) fields.push(`code=${rng.pick([0, 200, 404, 500, -1, 301])}i`);
    if (rng.next() < 0.7) fields.push(`ok=${rng.next() < 0.6 ? "true" : "false"}`);
    if (rng.next() < 0.8) {
      const d = rng.next();
      fields.push(`duration=${d < 0.05 ? "0" : d < 0.1 ? float(-d * 10) : float(d * 1000)}`);
    }
    if (fields.length === 0) fields.push("code=1i");
    lines.push(`events,type=${type}${host} ${fields.join(",")} ${t}`);
  }
  return lines;
}

function h2oLines(rng: Prng): { minutes: string[]; hours: string[] } {
  const minutes: string[] = [];
  for (const location of ["coyote_creek", "santa_monica"]) {
    for (const t of times(rng, MIN, 6, 90)) {
      const level = rng.next() * 9 - 1;
      const desc = level < 2 ? "below 3 feet" : level < 5 ? "between 3 and 6 feet" : "above 6 feet";
      minutes.push(
        `h2o_feet,location=${location} water_level=${
          float(level)
        },level\\ description="${desc}" ${t}`,
      );
    }
  }
  const hours: string[] = [];
  for (const location of ["coyote_creek", "santa_monica"]) {
    for (let t = DATA_START_NS / HOUR; t < DATA_END_NS / HOUR; t += BigInt(rng.int(1, 3))) {
      hours.push(`h2o_temperature,location=${location} degrees=${rng.int(60, 80)} ${t}`);
    }
  }
  return { minutes, hours };
}

function weirdLines(): string[] {
  const t = DATA_START_NS / SEC;
  return [
    `weird\\ meas,tag\\ key=va\\,l\\ ue,eq\\=k=x\\=y value=1.5,str="a\\"b" ${t + 10n}`,
    `weird\\ meas,tag\\ key=other value=-2.25,str="" ${t + 20n}`,
    `weird\\ meas value=0 ${t + 30n}`,
  ];
}

/** The whole data set as `/write` batches, identical for the same seed. */
export function compatBatches(seed: number = DEFAULT_SEED): WriteBatch[] {
  const rng = new Prng(seed);
  const h2o = h2oLines(rng);
  return [
    ...chunk("ns", cpuLines(rng), 500),
    ...chunk("ms", memLines(rng), 400),
    ...chunk("s", diskLines(rng), 400),
    ...chunk("u", eventLines(rng), 300),
    ...chunk("m", h2o.minutes, 500),
    ...chunk("h", h2o.hours, 500),
    ...chunk("s", weirdLines(), 10),
  ];
}

/** How many points the data set holds (for reports). */
export function pointCount(batches: readonly WriteBatch[]): number {
  return batches.reduce((n, b) => n + b.lines.length, 0);
}

/** The span covered, for sanity checks: every time is inside it. */
export const DATA_SPAN_NS: bigint = SPAN;
