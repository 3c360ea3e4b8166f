/**
 * Blocks that narrow reads found recently, shared by a store's shards under one byte budget,
 * so a dashboard's repeated query over the same hour reads no KV and decodes nothing again
 * (InfluxDB leans on its mmapped TSM files and the page cache for the same effect).
 *
 * An entry says more than "this block exists": it was the first block a key-range read from
 * `from` returned, so no block of its (series, field) ends in `[from, block.max)`. A lookup
 * at a time in that span is answered by it exactly as the KV read would be. Owners (block
 * stores) drop their entries whenever their blocks change; see BlockWrites.writing.
 */

import type { Column } from "./column.ts";

/** A stored block as a key-range read returns it. */
export interface CachedBlock {
  readonly key: Deno.KvKey;
  readonly bytes: Uint8Array;
  readonly min: bigint;
  readonly max: bigint;
  readonly count: number;
}

interface Entry {
  readonly owner: number;
  readonly series: string;
  readonly from: bigint;
  readonly block: CachedBlock;
  readonly cost: number;
  column?: Column;
}

/** Bytes a block costs while cached: its encoded bytes plus its decoded times and values. */
function costOf(b: CachedBlock): number {
  return b.bytes.byteLength + b.count * 16 + 64;
}

/** An LRU of blocks keyed by owner, (series, field) and the span a read proved empty. */
export class BlockReadCache {
  readonly #budget: number;
  #bytes = 0;
  /** Every entry in least-recently-used order (a Map iterates in insertion order). */
  readonly #lru = new Map<Entry, true>();
  /** owner → "sid:fid" → that series' entries. */
  readonly #index = new Map<number, Map<string, Entry[]>>();
  #nextOwner = 1;

  /** `budget` bytes at most; 0 caches nothing. */
  constructor(budget: number) {
    this.#budget = budget;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** A fresh owner id for one block store. */
  newOwner(): number {
    return this.#nextOwner++;
  }

  /** The first block of (sid, fid) ending at or after `at`, when a cached read proved it. */
  find(owner: number, sid: number, fid: number, at: bigint): CachedBlock | undefined {
    const list = this.#index.get(owner)?.get(`${sid}:${fid}`);
    if (list === undefined) return undefined;
    for (const e of list) {
      if (e.from <= at && at <= e.block.max) {
        this.#lru.delete(e);
        this.#lru.set(e, true);
        return e.block;
      }
    }
    return undefined;
  }

  /** The decoded column of a cached block, decoding it (once) with `decode`. */
  column(owner: number, sid: number, fid: number, b: CachedBlock, decode: () => Column): Column {
    const e = this.#index.get(owner)?.get(`${sid}:${fid}`)?.find((x) => x.block === b);
    if (e === undefined) return decode();
    return e.column ??= decode();
  }

  /** Remembers that a read from `from` found `block` first. */
  add(owner: number, sid: number, fid: number, from: bigint, block: CachedBlock): void {
    const cost = costOf(block);
    if (cost > this.#budget) return;
    const series = `${sid}:${fid}`;
    const same = this.#index.get(owner)?.get(series)?.find((x) => x.block.max === block.max);
    if (same !== undefined) {
      if (same.from <= from) return; // already known, over at least this span
      this.#remove(same);
    }
    let bySeries = this.#index.get(owner);
    if (bySeries === undefined) this.#index.set(owner, bySeries = new Map());
    let list = bySeries.get(series);
    if (list === undefined) bySeries.set(series, list = []);
    const e: Entry = { owner, series, from, block, cost };
    list.push(e);
    this.#lru.set(e, true);
    this.#bytes += cost;
    while (this.#bytes > this.#budget) {
      const oldest = this.#lru.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
  }

  /** Forgets every block of `owner` (its blocks changed, or it closed). */
  dropOwner(owner: number): void {
    const bySeries = this.#index.get(owner);
    if (bySeries === undefined) return;
    for (const list of bySeries.values()) {
      for (const e of list) {
        this.#lru.delete(e);
        this.#bytes -= e.cost;
      }
    }
    this.#index.delete(owner);
  }

  #remove(e: Entry): void {
    this.#lru.delete(e);
    this.#bytes -= e.cost;
    const bySeries = this.#index.get(e.owner);
    const list = bySeries?.get(e.series);
    if (bySeries === undefined || list === undefined) return;
    const i = list.indexOf(e);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) bySeries.delete(e.series);
    if (bySeries.size === 0) this.#index.delete(e.owner);
  }
}
