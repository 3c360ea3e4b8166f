/** In-memory fakes of the executor's declared interfaces (QueryMeta, QueryShards). */
import type { FieldType, FieldValue } from "../../src/models/point.ts";
import type {
  ColumnLike,
  QueryDatabase,
  QueryMeta,
  QueryRetentionPolicySpec,
  QueryShardGroup,
  QueryShards,
  QueryUser,
  SegmentLike,
  SeriesLike,
  ShardHandle,
  ShardReaderLike,
  TagPredicate,
} from "../../src/query/mod.ts";
import { matchesTags } from "../../src/query/memory_reader.ts";

interface FakeSeries extends SeriesLike {
  readonly fields: Map<string, { type: FieldType; times: bigint[]; values: FieldValue[] }>;
}

function typeOf(v: FieldValue): FieldType {
  return typeof v === "number"
    ? "float"
    : typeof v === "bigint"
    ? "integer"
    : typeof v === "boolean"
    ? "boolean"
    : "string";
}

/** A shard in memory: `add()` points, read through the ShardReaderLike methods. */
export class FakeShard implements ShardReaderLike {
  private readonly all = new Map<string, FakeSeries>();
  /** Values per segment, so tests exercise multi-segment paths. */
  constructor(private readonly segmentSize = 3) {}

  /** Adds one point: `tags` and `fields` as plain objects, time in ns. */
  add(
    m: string,
    tags: Record<string, string>,
    fields: Record<string, FieldValue>,
    t: bigint,
  ): this {
    const sorted = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = m + sorted.map(([k, v]) => `,${k}=${v}`).join("");
    let s = this.all.get(key);
    if (s === undefined) {
      s = { id: this.all.size + 1, key, measurement: m, tags: sorted, fields: new Map() };
      this.all.set(key, s);
    }
    for (const [f, v] of Object.entries(fields)) {
      let col = s.fields.get(f);
      if (col === undefined) s.fields.set(f, col = { type: typeOf(v), times: [], values: [] });
      let i = col.times.findIndex((x) => x >= t);
      if (i < 0) i = col.times.length;
      if (col.times[i] === t) col.values[i] = v;
      else {
        col.times.splice(i, 0, t);
        col.values.splice(i, 0, v);
      }
    }
    return this;
  }

  measurements(): string[] {
    return [...new Set([...this.all.values()].map((s) => s.measurement))].sort();
  }
  series(m: string, p: TagPredicate = { kind: "all" }): SeriesLike[] {
    return [...this.all.values()].filter((s) => s.measurement === m && matchesTags(p, s.tags))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }
  tagKeys(m: string, p?: TagPredicate): string[] {
    const keys = new Set<string>();
    for (const s of this.series(m, p)) for (const [k] of s.tags) keys.add(k);
    return [...keys].sort();
  }
  tagValues(m: string, key: string, p?: TagPredicate): string[] {
    const vals = new Set<string>();
    for (const s of this.series(m, p)) for (const [k, v] of s.tags) if (k === key) vals.add(v);
    return [...vals].sort();
  }
  fieldKeys(m: string): { key: string; type: FieldType }[] {
    const out = new Map<string, FieldType>();
    for (const s of this.series(m)) {
      for (const [k, c] of (s as FakeSeries).fields) out.set(k, c.type);
    }
    return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, type]) => ({
      key,
      type,
    }));
  }
  async *segments(
    series: SeriesLike,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<SegmentLike> {
    const col = this.all.get(series.key)?.fields.get(field);
    if (col === undefined) return;
    const idx = col.times.map((t, i) => [t, i] as const).filter(([t]) => t >= min && t <= max);
    for (let i = 0; i < idx.length; i += this.segmentSize) {
      const part = idx.slice(i, i + this.segmentSize);
      const c: ColumnLike = {
        type: col.type,
        times: BigInt64Array.from(part.map(([t]) => t)),
        values: part.map(([, j]) => col.values[j]),
      };
      await Promise.resolve();
      yield {
        min: part[0][0],
        max: part[part.length - 1][0],
        count: part.length,
        exact: true,
        column: () => c,
      };
    }
  }
  /** Newest segments first (the optional capability last() uses). */
  async *segmentsDescending(
    series: SeriesLike,
    field: string,
    min: bigint,
    max: bigint,
  ): AsyncGenerator<SegmentLike> {
    const all: SegmentLike[] = [];
    for await (const seg of this.segments(series, field, min, max)) all.push(seg);
    yield* all.reverse();
  }
  /** Deletes matching series' values in range (or the series when no range). */
  deleteSeries(m: string, p: TagPredicate, r?: { min: bigint; max: bigint }): Promise<number> {
    const hit = this.series(m, p) as FakeSeries[];
    for (const s of hit) {
      if (r === undefined) {
        this.all.delete(s.key);
        continue;
      }
      for (const col of s.fields.values()) {
        for (let i = col.times.length - 1; i >= 0; i--) {
          if (col.times[i] >= r.min && col.times[i] <= r.max) {
            col.times.splice(i, 1);
            col.values.splice(i, 1);
          }
        }
      }
    }
    return Promise.resolve(hit.length);
  }
}

/** A meta client in memory; shard groups are given by the test. */
export class FakeMeta implements QueryMeta {
  readonly calls: string[] = [];
  dbs: QueryDatabase[] = [];
  userList: QueryUser[] = [];

  /** A database with policy `autogen` whose shard groups are `groups`. */
  addDatabase(name: string, groups: QueryShardGroup[] = []): this {
    this.dbs.push({
      name,
      defaultRetentionPolicy: "autogen",
      retentionPolicies: [{
        name: "autogen",
        duration: 0n,
        shardGroupDuration: 604_800_000_000_000n,
        replicaN: 1,
        shardGroups: groups,
      }],
      continuousQueries: [],
    });
    return this;
  }
  databases(): readonly QueryDatabase[] {
    return this.dbs;
  }
  database(name: string): QueryDatabase | undefined {
    return this.dbs.find((d) => d.name === name);
  }
  createDatabase(name: string): Promise<unknown> {
    this.calls.push(`createDatabase ${name}`);
    if (!this.database(name)) this.addDatabase(name);
    return Promise.resolve();
  }
  createDatabaseWithRetentionPolicy(
    name: string,
    spec: QueryRetentionPolicySpec,
  ): Promise<unknown> {
    this.calls.push(`createDatabaseWithRetentionPolicy ${name} ${JSON.stringify(spec, big)}`);
    return Promise.resolve();
  }
  dropDatabase(name: string): Promise<void> {
    this.calls.push(`dropDatabase ${name}`);
    this.dbs = this.dbs.filter((d) => d.name !== name);
    return Promise.resolve();
  }
  createRetentionPolicy(
    db: string,
    spec: QueryRetentionPolicySpec,
    def: boolean,
  ): Promise<unknown> {
    this.calls.push(`createRetentionPolicy ${db} ${JSON.stringify(spec, big)} ${def}`);
    return Promise.resolve();
  }
  updateRetentionPolicy(
    db: string,
    name: string,
    u: QueryRetentionPolicySpec,
    def: boolean,
  ): Promise<void> {
    this.calls.push(`updateRetentionPolicy ${db} ${name} ${JSON.stringify(u, big)} ${def}`);
    return Promise.resolve();
  }
  dropRetentionPolicy(db: string, name: string): Promise<void> {
    this.calls.push(`dropRetentionPolicy ${db} ${name}`);
    return Promise.resolve();
  }
  shardGroupsByTimeRange(
    db: string,
    rp: string,
    min: bigint,
    max: bigint,
  ): readonly QueryShardGroup[] {
    const p = this.database(db)?.retentionPolicies.find((x) => x.name === rp);
    return (p?.shardGroups ?? []).filter((g) => g.start <= max && g.end > min);
  }
  createContinuousQuery(db: string, name: string, query: string): Promise<void> {
    this.calls.push(`createContinuousQuery ${db} ${name} ${query}`);
    return Promise.resolve();
  }
  dropContinuousQuery(db: string, name: string): Promise<void> {
    this.calls.push(`dropContinuousQuery ${db} ${name}`);
    return Promise.resolve();
  }
  users(): readonly QueryUser[] {
    return this.userList;
  }
  user(name: string): QueryUser | undefined {
    return this.userList.find((u) => u.name === name);
  }
}

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v;
}

/** Serves FakeShards by id and counts opens and releases. */
export class FakeShards implements QueryShards {
  opened = 0;
  released = 0;
  constructor(readonly byId: Map<number, FakeShard>) {}
  open(_db: string, _rp: string, id: number): Promise<ShardHandle | undefined> {
    const s = this.byId.get(id);
    if (s === undefined) return Promise.resolve(undefined);
    this.opened++;
    return Promise.resolve({
      reader: s,
      deleteSeries: (m, p, r) => s.deleteSeries(m, p, r),
      dropMeasurement: (m) => s.deleteSeries(m, { kind: "all" }).then(() => {}),
      release: () => void this.released++,
    });
  }
}
