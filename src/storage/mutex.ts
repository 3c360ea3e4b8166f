/** A FIFO async mutex: `run(fn)` runs `fn` after every earlier `run` has settled. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private held = false;

  /** True while some `run` is in progress or queued. */
  get locked(): boolean {
    return this.held;
  }

  /** Runs `fn` exclusively; its result or error is passed through. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      this.held = true;
      try {
        return await fn();
      } finally {
        this.held = false;
      }
    });
    this.tail = result.catch(() => {});
    return result;
  }
}
