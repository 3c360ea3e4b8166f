/** Opens the raft log store of a meta node's `raft_dir`, moving a Deno KV log to the WAL. */
import type { LogStore } from "../raft/mod.ts";
import type { Logger } from "../util/mod.ts";
import { KvLogStore } from "./kv_log_store.ts";
import { syncDir } from "./durable_files.ts";
import { WalLogStore } from "./wal_log_store.ts";

/**
 * Opens the raft log in `dir` (the WAL: `wal/`, `snap/`). A directory that an earlier version
 * filled with a Deno KV log (`raft.kv`) is converted first: its state is written as a WAL in a
 * scratch directory, which becomes `wal/` by one rename — the commit point, after which the
 * KV files are deleted. A crash before the rename converts again on the next start; after it,
 * the WAL is used and the KV leftovers deleted.
 */
export async function openRaftLogStore(dir: string, logger?: Logger): Promise<LogStore> {
  const store = await WalLogStore.open(dir); // holds the directory's lock from here on
  try {
    const kvPath = `${dir}/raft.kv`;
    if (await exists(kvPath) && !await exists(`${dir}/wal`)) await migrate(dir, kvPath, logger);
    if (await exists(kvPath)) {
      for (const suffix of ["", "-wal", "-shm"]) await removeIfPresent(kvPath + suffix);
    }
    return store;
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function migrate(dir: string, kvPath: string, logger?: Logger): Promise<void> {
  const kv = await KvLogStore.open(kvPath);
  const state = await kv.load().finally(() => kv.close());
  const scratch = `${dir}/wal-migrating`;
  await Deno.remove(scratch, { recursive: true }).catch(() => {});
  const wal = await WalLogStore.open(scratch);
  try {
    await wal.load();
    const snapIndex = state.snapshot?.meta.index ?? 0;
    if (state.snapshot !== null) await wal.append({ entries: [], snapshot: state.snapshot });
    await wal.append({
      entries: state.entries.filter((e) => e.index > snapIndex),
      hardState: state.hardState,
    });
  } finally {
    await wal.close();
  }
  // snap/ first: without wal/ it is unused, and a repeat of this replaces it.
  await Deno.remove(`${dir}/snap`, { recursive: true }).catch(() => {});
  await Deno.rename(`${scratch}/snap`, `${dir}/snap`);
  await Deno.rename(`${scratch}/wal`, `${dir}/wal`);
  await syncDir(dir);
  await Deno.remove(scratch, { recursive: true });
  logger?.info("raft log moved from Deno KV (raft.kv) to the WAL", {
    entries: state.entries.length,
    snapshot: state.snapshot?.meta.index ?? 0,
  });
}

function exists(path: string): Promise<boolean> {
  return Deno.stat(path).then(() => true, () => false);
}

async function removeIfPresent(path: string): Promise<void> {
  await Deno.remove(path).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}
