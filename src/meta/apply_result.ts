// What applying one command produced: the new state and a result for the proposer.

import type { MetaErrorData } from "./errors.ts";
import type {
  DatabaseInfo,
  DataNodeInfo,
  MetaData,
  RetentionPolicyInfo,
  ShardGroupInfo,
  UserInfo,
} from "./types.ts";

/** The outcome of one command, as plain data (it may travel back from the leader). */
export type ApplyResult =
  | { readonly kind: "ok" }
  | { readonly kind: "database"; readonly database: DatabaseInfo }
  | { readonly kind: "retentionPolicy"; readonly retentionPolicy: RetentionPolicyInfo }
  | {
    readonly kind: "shardGroup";
    readonly shardGroup: ShardGroupInfo;
    /** False when a group already covered the time (creation is idempotent). */
    readonly created: boolean;
  }
  | { readonly kind: "dataNode"; readonly dataNode: DataNodeInfo }
  | { readonly kind: "user"; readonly user: UserInfo }
  | { readonly kind: "error"; readonly error: MetaErrorData };

/** A new state with the command's result. On error `data` is the input, unchanged. */
export interface Applied {
  readonly data: MetaData;
  readonly result: ApplyResult;
}

/** The common successful outcome with no value. */
export const OK: ApplyResult = { kind: "ok" };

/** Returns `items` with the first element matching `pred` replaced by `f(element)`. */
export function replaceWhere<T>(
  items: readonly T[],
  pred: (t: T) => boolean,
  f: (t: T) => T,
): readonly T[] {
  const i = items.findIndex(pred);
  if (i < 0) return items;
  const out = items.slice();
  out[i] = f(items[i]);
  return out;
}
