/** Picks the raft log store for a meta node's `raft_dir`. */
import type { LogStore } from "../raft/mod.ts";
import { KvLogStore } from "./kv_log_store.ts";
import { WalLogStore } from "./wal_log_store.ts";

/**
 * Opens the raft log in `dir`: the WAL (`wal/`, `snap/`), except in a directory that an
 * earlier version filled with a Deno KV log (`raft.kv`) and no WAL, which keeps using it.
 */
export async function openRaftLogStore(dir: string): Promise<LogStore> {
  const has = (name: string) => Deno.stat(`${dir}/${name}`).then(() => true, () => false);
  if (await has("raft.kv") && !await has("wal")) return await KvLogStore.open(`${dir}/raft.kv`);
  return await WalLogStore.open(dir);
}
