/** One-at-a-time execution of a log store's calls, and refusal of them once it is closed. */
import { RaftError } from "../raft/mod.ts";

/** Runs calls in order, each after the previous one settled; refuses new ones after `close`. */
export class StoreQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** True once `close` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` after everything queued so far; rejects with store_closed after `close`. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new RaftError("store_closed", "The raft log store is closed; open it again to continue."),
      );
    }
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => {});
    return run;
  }

  /** Queues background work nobody awaits; `onError` sees its failure. */
  background(fn: () => Promise<void>, onError: (e: unknown) => void): void {
    this.#tail = this.#tail.then(fn).catch(onError);
  }

  /** Refuses new calls and waits for the queued ones; false when it was already closed. */
  async close(): Promise<boolean> {
    if (this.#closed) return false;
    this.#closed = true;
    await this.#tail.catch(() => {});
    return true;
  }
}
