/** Packs KV mutations into as few atomic commits as the KV limits allow. */

import { COMMIT_BYTES, COMMIT_MUTATIONS, keyBytes } from "./key_layout.ts";

/** One KV mutation with the byte size it adds to a commit. */
export type Mutation =
  | {
    readonly kind: "set";
    readonly key: Deno.KvKey;
    readonly value: unknown;
    readonly bytes: number;
  }
  | { readonly kind: "delete"; readonly key: Deno.KvKey; readonly bytes: number };

/** A `set` mutation; `valueBytes` is the size of the stored value. */
export function setMutation(key: Deno.KvKey, value: unknown, valueBytes: number): Mutation {
  return { kind: "set", key, value, bytes: keyBytes(key) + valueBytes };
}

/** A `delete` mutation. */
export function deleteMutation(key: Deno.KvKey): Mutation {
  return { kind: "delete", key, bytes: keyBytes(key) };
}

/**
 * Collects groups of mutations; each group lands in one atomic commit when it fits the
 * limits. A group too large for one commit is split with its sets before its deletes, so
 * a crash in between leaves extra data rather than lost data.
 */
export class CommitBatcher {
  private pending: Mutation[] = [];
  private bytes = 0;
  /** Number of commits made so far. */
  commits = 0;

  /** `around` wraps every commit (block stores use it to tell readers a commit is landing). */
  constructor(
    private readonly kv: Deno.Kv,
    private readonly around: (commit: () => Promise<void>) => Promise<void> = (c) => c(),
  ) {}

  /** Adds a group that should be applied atomically. */
  async add(group: readonly Mutation[]): Promise<void> {
    let size = 0;
    for (const m of group) size += m.bytes;
    if (
      this.pending.length + group.length > COMMIT_MUTATIONS || this.bytes + size > COMMIT_BYTES
    ) {
      await this.flush();
    }
    if (group.length <= COMMIT_MUTATIONS && size <= COMMIT_BYTES) {
      for (const m of group) this.pending.push(m);
      this.bytes += size;
      return;
    }
    const ordered = [
      ...group.filter((m) => m.kind === "set"),
      ...group.filter((m) => m.kind === "delete"),
    ];
    for (const m of ordered) {
      if (this.pending.length + 1 > COMMIT_MUTATIONS || this.bytes + m.bytes > COMMIT_BYTES) {
        await this.flush();
      }
      this.pending.push(m);
      this.bytes += m.bytes;
    }
  }

  /** Commits whatever is pending. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    await this.around(() => commitMutations(this.kv, pending));
    this.commits++;
    this.pending = [];
    this.bytes = 0;
  }
}

/** Applies mutations in one atomic commit; throws if the KV refuses it. */
export async function commitMutations(kv: Deno.Kv, ms: readonly Mutation[]): Promise<void> {
  const op = kv.atomic();
  for (const m of ms) {
    if (m.kind === "set") op.set(m.key, m.value);
    else op.delete(m.key);
  }
  const res = await op.commit();
  if (!res.ok) throw new Error("KV atomic commit was refused");
}
