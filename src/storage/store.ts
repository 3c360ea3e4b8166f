/**
 * The shards of a data node under `<dir>/<db>/<rp>/<shard id>/`, opened on first use and
 * closed when idle (each open KV handle costs a thread and ~7 ms to open, so the number open
 * at once is capped and the least recently used idle one makes room).
 */

import { join } from "node:path";
import { BlockReadCache } from "./block_read_cache.ts";
import { silentLogger, type StorageLogger } from "./logger.ts";
import { Shard, type ShardOptions } from "./shard.ts";

/** How a store finds and manages its shards. */
export interface StoreOptions {
  /** The node's data directory. */
  readonly dir: string;
  readonly logger?: StorageLogger;
  /** Milliseconds clock for idle tracking (and the shards' cache age). */
  readonly now?: () => number;
  /** Close a shard nobody holds after this long unused (default 5 minutes). */
  readonly idleTimeoutMs?: number;
  /** Most shards open at once; more are allowed only while all are in use (default 64). */
  readonly maxOpenShards?: number;
  /** Options passed to every shard. */
  readonly shard?: Omit<ShardOptions, "dir" | "logger" | "now">;
  /**
   * Run `tick()` this often (ms) from the first `acquire` until `close()` (default 10 s; 0
   * turns the timer off and leaves `tick()` to the caller).
   */
  readonly housekeepingIntervalMs?: number;
  /** Bytes of recently read blocks kept across queries, for all shards (default 32 MiB). */
  readonly readCacheBytes?: number;
}

const DEFAULT_READ_CACHE_BYTES = 32 * 1024 * 1024;

/** A shard held open for use; call `release()` when done so it may be closed when idle. */
export interface ShardLease {
  readonly shard: Shard;
  release(): void;
}

interface Entry {
  readonly key: string;
  readonly shard: Shard;
  readonly opened: Promise<void>;
  refs: number;
  lastUsed: number;
}

/** A path segment for a database or retention policy name that cannot escape its folder. */
export function pathSegment(name: string): string {
  if (/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) return name;
  return "~" +
    Array.from(new TextEncoder().encode(name), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The name a `pathSegment` was made from. */
export function nameFromSegment(segment: string): string {
  if (!segment.startsWith("~")) return segment;
  const hex = segment.slice(1);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return new TextDecoder().decode(bytes);
}

/** A shard found on disk. */
export interface ShardLocation {
  readonly db: string;
  readonly rp: string;
  readonly id: number;
}

/** The shards of one node. */
export class Store {
  private readonly entries = new Map<string, Entry>();
  private readonly closingShards = new Map<string, Promise<void>>();
  private readonly logger: StorageLogger;
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly maxOpen: number;
  /** Blocks narrow reads found, shared by every shard of this store. */
  private readonly readCache: BlockReadCache;
  private closed = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking = false;

  private readonly dirs = new Map<string, string>();

  constructor(private readonly options: StoreOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.idleMs = options.idleTimeoutMs ?? 5 * 60 * 1000;
    this.maxOpen = options.maxOpenShards ?? 64;
    this.readCache = new BlockReadCache(options.readCacheBytes ?? DEFAULT_READ_CACHE_BYTES);
  }

  /** The directory of a shard (remembered: every read and write asks for it). */
  shardDir(db: string, rp: string, id: number): string {
    const key = `${db}\u0000${rp}\u0000${id}`;
    let dir = this.dirs.get(key);
    if (dir === undefined) {
      if (this.dirs.size >= 4096) this.dirs.clear();
      dir = join(this.options.dir, pathSegment(db), pathSegment(rp), String(id));
      this.dirs.set(key, dir);
    }
    return dir;
  }

  /** Every shard directory under the data directory (open or not), sorted by db, rp, id. */
  async listShards(): Promise<ShardLocation[]> {
    const out: ShardLocation[] = [];
    const dirs = async (path: string): Promise<string[]> => {
      const names: string[] = [];
      try {
        for await (const e of Deno.readDir(path)) if (e.isDirectory) names.push(e.name);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      return names;
    };
    for (const db of await dirs(this.options.dir)) {
      for (const rp of await dirs(join(this.options.dir, db))) {
        for (const id of await dirs(join(this.options.dir, db, rp))) {
          if (/^\d+$/.test(id)) {
            out.push({ db: nameFromSegment(db), rp: nameFromSegment(rp), id: Number(id) });
          }
        }
      }
    }
    return out.sort((a, b) =>
      a.db < b.db ? -1 : a.db > b.db ? 1 : a.rp < b.rp ? -1 : a.rp > b.rp ? 1 : a.id - b.id
    );
  }

  /** Number of shards currently open. */
  get openShards(): number {
    return this.entries.size;
  }

  /** Opens (if needed) and holds a shard; release the lease when done. */
  async acquire(db: string, rp: string, id: number): Promise<ShardLease> {
    if (this.closed) throw new Error("The store is closed; no shard can be opened.");
    this.startHousekeeping();
    const dir = this.shardDir(db, rp, id);
    await this.closingShards.get(dir);
    let e = this.entries.get(dir);
    if (e === undefined) {
      await this.makeRoom();
      e = this.entries.get(dir);
    }
    if (e === undefined) {
      const shard = new Shard({
        ...this.options.shard,
        readCache: this.readCache,
        dir,
        logger: this.logger,
        now: this.now,
      });
      e = { key: dir, shard, opened: shard.open(), refs: 0, lastUsed: this.now() };
      this.entries.set(dir, e);
      const opening = e;
      opening.opened.catch(() => {
        if (this.entries.get(dir) === opening) this.entries.delete(dir);
      });
    }
    e.refs++;
    e.lastUsed = this.now();
    try {
      await e.opened;
    } catch (err) {
      e.refs--;
      throw err;
    }
    const entry = e;
    let released = false;
    return {
      shard: e.shard,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        entry.lastUsed = this.now();
      },
    };
  }

  /** Runs `fn` with a shard held open. */
  async withShard<T>(db: string, rp: string, id: number, fn: (s: Shard) => Promise<T>): Promise<T> {
    const lease = await this.acquire(db, rp, id);
    try {
      return await fn(lease.shard);
    } finally {
      lease.release();
    }
  }

  /**
   * Housekeeping the server calls on a timer: closes shards idle past the timeout and lets
   * open shards compact by cache age. Returns how many shards were closed.
   */
  async tick(): Promise<number> {
    const now = this.now();
    const idle = [...this.entries.values()].filter((e) =>
      e.refs === 0 && now - e.lastUsed >= this.idleMs
    );
    for (const e of this.entries.values()) if (!idle.includes(e)) e.shard.maybeCompact();
    await Promise.all(idle.map((e) => this.closeEntry(e)));
    return idle.length;
  }

  /**
   * Deletes a shard's directory, closing it first (holders of a lease then get
   * ShardClosedError from it).
   */
  async dropShard(db: string, rp: string, id: number): Promise<void> {
    const dir = this.shardDir(db, rp, id);
    const e = this.entries.get(dir);
    if (e !== undefined) await this.closeEntry(e);
    await this.closingShards.get(dir);
    await Deno.remove(dir, { recursive: true }).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }

  private startHousekeeping(): void {
    const every = this.options.housekeepingIntervalMs ?? 10_000;
    if (this.timer !== undefined || every <= 0) return;
    const timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = true;
      this.tick()
        .catch((e) => this.logger.warn("Shard housekeeping failed", { error: String(e) }))
        .finally(() => this.ticking = false);
    }, every);
    // Housekeeping alone must not keep the process alive.
    Deno.unrefTimer(timer);
    this.timer = timer;
  }

  /** Closes every shard (compacting each); idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.entries.values()].map((e) => this.closeEntry(e)));
    await Promise.all(this.closingShards.values());
  }

  private async makeRoom(): Promise<void> {
    if (this.entries.size < this.maxOpen) return;
    let lru: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.refs === 0 && (lru === undefined || e.lastUsed < lru.lastUsed)) lru = e;
    }
    // All in use: go over the cap rather than fail a write.
    if (lru !== undefined) await this.closeEntry(lru);
  }

  private closeEntry(e: Entry): Promise<void> {
    if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    const existing = this.closingShards.get(e.key);
    if (existing) return existing;
    const p = (async () => {
      try {
        await e.opened;
        await e.shard.close();
      } catch (err) {
        this.logger.warn("Closing a shard failed", { shard: e.key, error: String(err) });
      } finally {
        this.closingShards.delete(e.key);
      }
    })();
    this.closingShards.set(e.key, p);
    return p;
  }
}
