/**
 * Tells a block store's readers when its blocks may change under them: compactions and
 * deletes run inside `writing()`, and their commits go through `batcher()`, so readers can
 * see that a write started or ended (`gen`), and that a commit is landing or landed (`count`).
 */

import { CommitBatcher } from "./commit_batcher.ts";

/** Write tracking for one block store. */
export class BlockWrites {
  #active = 0;
  #gen = 0;
  #commits = 0;
  #landed: Promise<void> = Promise.resolve();

  /** `onChange` runs when a write starts and again when it ends (e.g. to drop cached reads). */
  constructor(private readonly kv: Deno.Kv, private readonly onChange: () => void) {}

  /** True while a compaction or delete runs. */
  get active(): boolean {
    return this.#active > 0;
  }

  /** Bumped when a write starts or ends: a read that sees it unchanged overlapped none. */
  get gen(): number {
    return this.#gen;
  }

  /** Commits started plus commits landed: odd while one is landing. */
  get count(): number {
    return this.#commits;
  }

  /** Runs a compaction or delete: every block change and its commit must happen in `fn`. */
  async writing<T>(fn: () => Promise<T>): Promise<T> {
    this.#active++;
    this.#gen++;
    this.onChange();
    try {
      return await fn();
    } finally {
      this.#active--;
      this.#gen++;
      this.onChange();
    }
  }

  /** Throws unless a write is running: a change outside `writing()` would go unseen. */
  require(what: string): void {
    if (this.#active === 0) {
      throw new Error(`BlockStore.${what} must run inside writing(): cached reads would go stale`);
    }
  }

  /** A batcher whose commits readers can see land. */
  batcher(): CommitBatcher {
    return new CommitBatcher(this.kv, async (commit) => {
      let landed = () => {};
      this.#landed = new Promise((resolve) => (landed = resolve));
      this.#commits++;
      try {
        await commit();
      } finally {
        this.#commits++;
        landed();
      }
    });
  }

  /** `count` once no commit is landing: reads that see it unchanged saw one committed state. */
  async stableCount(): Promise<number> {
    while (this.#commits % 2 === 1) await this.#landed;
    return this.#commits;
  }
}
