/** The reducer contract shared by every aggregate and selector, and its base class. */
import type { FieldValue } from "../models/point.ts";
import type { ColumnLike, Value } from "./deps.ts";

/** One output of a reducer; `time` null means "the window's start". */
export interface Emitted {
  readonly time: bigint | null;
  readonly value: Value;
  /** Values of the statement's other selected fields at the chosen point (selectors). */
  readonly aux?: readonly Value[];
}

/** An accumulator for one call in one window of one group. */
export interface Reducer {
  /** True until a value was added. */
  readonly empty: boolean;
  add(t: bigint, v: FieldValue, aux?: readonly Value[]): void;
  /** Adds values `[from, to)` of a column. */
  addColumn(c: ColumnLike, from: number, to: number): void;
  /** Adds `n` values known only by count; false when this reducer needs the values. */
  addCount(n: number): boolean;
  /**
   * True when no value inside `[min, max]` could change the result (first/last already hold
   * an earlier/later point), so a whole segment can be skipped without decoding it.
   */
  covers(min: bigint, max: bigint): boolean;
  /** The raw points kept (point-keeping reducers only), for cross-window functions. */
  points?(): { readonly ts: readonly bigint[]; readonly vs: readonly FieldValue[] };
  /** The kept points per run (shard ordinal, series key), each in time order. */
  seriesRuns?(): { shard: number; key: string; ts: bigint[]; vs: FieldValue[] }[];
  /** Tells a point-keeping reducer which shard (ordinal) and series the next points are from. */
  beginRun?(shard: number, key: string): void;
  /** Folds another partial of the same call into this one. */
  merge(o: Reducer): void;
  emit(): Emitted[];
}

/** Wraps to int64 as Go's integer arithmetic does. */
export const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Defaults: values one at a time, no count shortcut, no skipping. */
export abstract class Base implements Reducer {
  empty = true;
  abstract add(t: bigint, v: FieldValue, aux?: readonly Value[]): void;
  addColumn(c: ColumnLike, from: number, to: number): void {
    const { times, values } = c;
    for (let i = from; i < to; i++) this.add(times[i], values[i]);
  }
  addCount(_n: number): boolean {
    return false;
  }
  covers(_min: bigint, _max: bigint): boolean {
    return false;
  }
  beginRun(_shard: number, _key: string): void {}
  abstract merge(o: Reducer): void;
  abstract emit(): Emitted[];
}
