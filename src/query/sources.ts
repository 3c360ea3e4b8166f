/** Where a SELECT reads: statement-scoped shard handles, resolved sources and schemas. */
import type { FieldType } from "../models/point.ts";
import type { QueryMeta, QueryShards, ShardHandle, ShardReaderLike } from "./deps.ts";
import { queryErrors } from "./errors.ts";
import type { Schema } from "./select_plan.ts";

/** Shards opened for one statement, released together. */
export class OpenShards {
  private readonly open = new Map<string, Promise<ShardHandle | undefined>>();
  constructor(private readonly shards: QueryShards) {}

  /** Opens (once) and returns a shard's handle. */
  get(db: string, rp: string, id: number): Promise<ShardHandle | undefined> {
    const key = `${db}\0${rp}\0${id}`;
    let p = this.open.get(key);
    if (p === undefined) {
      p = this.shards.open(db, rp, id);
      this.open.set(key, p);
    }
    return p;
  }

  /** Releases every handle. */
  async release(): Promise<void> {
    for (const p of this.open.values()) {
      try {
        (await p)?.release();
      } catch {
        // A shard that failed to open holds nothing.
      }
    }
    this.open.clear();
  }
}

/** Resolves a source's database and retention policy, with InfluxDB's errors. */
export function resolveSource(
  meta: QueryMeta,
  database: string,
  rp: string,
): { database: string; retentionPolicy: string } {
  if (database === "") throw queryErrors.databaseRequired();
  const db = meta.database(database);
  if (db === undefined) throw queryErrors.databaseNotFound(database);
  const name = rp || db.defaultRetentionPolicy;
  if (!db.retentionPolicies.some((p) => p.name === name)) {
    throw queryErrors.retentionPolicyNotFound(name);
  }
  return { database, retentionPolicy: name };
}

/** Readers of the shards of `db.rp` overlapping `[min, max]`, in time order. */
export async function readersFor(
  env: { readonly meta: QueryMeta },
  open: OpenShards,
  db: string,
  rp: string,
  min: bigint,
  max: bigint,
): Promise<ShardReaderLike[]> {
  const groups = [...env.meta.shardGroupsByTimeRange(db, rp, min, max)]
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: ShardReaderLike[] = [];
  for (const g of groups) {
    for (const s of g.shards) {
      const h = await open.get(db, rp, s.id);
      if (h !== undefined) out.push(h.reader);
    }
  }
  return out;
}

/** The fields and tags of measurement `m` over several shards. */
export function schemaOf(readers: readonly ShardReaderLike[], m: string): Schema {
  const fields = new Map<string, FieldType>();
  const tags = new Set<string>();
  for (const r of readers) {
    for (const f of r.fieldKeys(m)) if (!fields.has(f.key)) fields.set(f.key, f.type);
    for (const t of r.tagKeys(m)) tags.add(t);
  }
  return { fields, tags: [...tags].sort() };
}

/** The union of schemas (the first type seen wins for a field). */
export function unionSchema(schemas: readonly Schema[]): Schema {
  const fields = new Map<string, FieldType>();
  const tags = new Set<string>();
  for (const s of schemas) {
    for (const [k, t] of s.fields) if (!fields.has(k)) fields.set(k, t);
    for (const t of s.tags) tags.add(t);
  }
  return { fields, tags: [...tags].sort() };
}
