/** Packs the KV log store's mutations into atomic commits within Deno KV's limits. */
import { encodeBounds, keys } from "./raft_kv_codec.ts";

/** A stored block of consecutive entries: its key index and the last index it holds. */
export interface Block {
  readonly first: number;
  readonly last: number;
}

/** One KV write. */
export interface Put {
  readonly key: Deno.KvKey;
  readonly value: Uint8Array;
}

/**
 * Mutations that must land in one commit. A unit with `block` moves the log end: its commit
 * also writes the bounds up to that block. An `alone` unit gets a commit of its own.
 */
export interface Unit {
  readonly puts: Put[];
  deletes?: Deno.KvKey[];
  readonly block?: Block;
  readonly alone?: boolean;
}

/** Limits and the crash-test hook of a committer. */
export interface CommitterOptions {
  readonly maxMutations?: number;
  readonly maxCommitBytes?: number;
  readonly beforeCommit?: (n: number) => void;
}

/** Key bytes counted per mutation on top of the value (our keys are short). */
const KEY_OVERHEAD = 64;

/** Runs commits in order, counting them for the test hook. */
export class KvCommitter {
  readonly maxMutations: number;
  readonly #maxCommitBytes: number;
  readonly #beforeCommit: (n: number) => void;
  readonly #kv: Deno.Kv;
  #commits = 0;

  constructor(kv: Deno.Kv, o: CommitterOptions) {
    this.#kv = kv;
    this.maxMutations = o.maxMutations ?? 900;
    this.#maxCommitBytes = o.maxCommitBytes ?? 700 * 1024;
    this.#beforeCommit = o.beforeCommit ?? (() => {});
  }

  /** Commits `op`; throws when KV refuses it. */
  async commit(op: Deno.AtomicOperation): Promise<void> {
    this.#beforeCommit(this.#commits++);
    const res = await op.commit();
    if (!res.ok) throw new Error("Raft log store commit was refused by Deno KV; retry");
  }

  /** Deletes keys, as many per commit as allowed. */
  async deleteKeys(stale: readonly Deno.KvKey[]): Promise<void> {
    for (let i = 0; i < stale.length; i += this.maxMutations) {
      const op = this.#kv.atomic();
      for (const k of stale.slice(i, i + this.maxMutations)) op.delete(k);
      await this.commit(op);
    }
  }

  /** Packs units, in order, into as few commits as the limits allow. */
  async commitUnits(units: readonly Unit[], first: number): Promise<void> {
    let op = this.#kv.atomic();
    let mutations = 0;
    let bytes = 0;
    let last = -1;
    const flush = async () => {
      if (mutations === 0) return;
      if (last >= 0) op.set(keys.bounds, encodeBounds({ first, last }));
      await this.commit(op);
      op = this.#kv.atomic();
      mutations = bytes = 0;
      last = -1;
    };
    for (const u of units) {
      const count = u.puts.length + (u.deletes?.length ?? 0);
      const size = u.puts.reduce((s, p) => s + p.value.byteLength + KEY_OVERHEAD, 0) +
        (u.deletes?.length ?? 0) * KEY_OVERHEAD;
      // One mutation and some bytes stay free for the bounds record.
      if (
        u.alone || mutations + count + 1 > this.maxMutations ||
        bytes + size + KEY_OVERHEAD * 2 > this.#maxCommitBytes
      ) await flush();
      for (const p of u.puts) op.set(p.key, p.value);
      for (const k of u.deletes ?? []) op.delete(k);
      mutations += count;
      bytes += size;
      if (u.block !== undefined) last = u.block.last;
      if (u.alone) await flush();
    }
    await flush();
  }
}
