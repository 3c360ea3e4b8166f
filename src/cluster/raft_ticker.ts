/** Drives a raft node's logical clock: calls `onTick` once per tick until stopped. */
export interface Ticker {
  /** Starts ticking; returns the function that stops it. */
  start(onTick: () => void): () => void;
}

/** Production ticker: one tick every `ms` milliseconds (setInterval). */
export function intervalTicker(ms: number): Ticker {
  return {
    start(onTick) {
      const id = setInterval(onTick, ms);
      return () => clearInterval(id);
    },
  };
}

/** A ticker that ticks only when the test calls `tick()`. */
export class ManualTicker implements Ticker {
  #handlers = new Set<() => void>();

  /** Registers the driver's tick handler. */
  start(onTick: () => void): () => void {
    this.#handlers.add(onTick);
    return () => this.#handlers.delete(onTick);
  }

  /** Delivers `n` ticks to every started driver. */
  tick(n = 1): void {
    for (let i = 0; i < n; i++) for (const h of [...this.#handlers]) h();
  }
}
