/** A column of values with ascending times, as storage and the query engine both read them. */
export interface TimedColumn<V> {
  readonly times: BigInt64Array;
  readonly values: ArrayLike<V>;
}

/**
 * Walks the values of a stream of columns one at a time, skipping empty columns. Call `fill()`
 * once before reading; `time()` is undefined once the stream is exhausted.
 */
export class ColumnCursor<V> {
  private col: TimedColumn<V> | undefined;
  private i = 0;

  constructor(private readonly it: AsyncIterator<TimedColumn<V>>) {}

  /** Moves to the first value of the next non-empty column if the current one is used up. */
  async fill(): Promise<void> {
    while (this.col === undefined || this.i >= this.col.times.length) {
      const r = await this.it.next();
      if (r.done) {
        this.col = undefined;
        return;
      }
      this.col = r.value;
      this.i = 0;
    }
  }

  /** The current value's time, or undefined at the end. */
  time(): bigint | undefined {
    return this.col?.times[this.i];
  }

  /** The current value (only valid while `time()` is defined). */
  value(): V {
    return this.col!.values[this.i];
  }

  /** Steps to the next value. */
  async advance(): Promise<void> {
    this.i++;
    if (this.col !== undefined && this.i >= this.col.times.length) await this.fill();
  }
}
