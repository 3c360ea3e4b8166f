/**
 * Creating a shard's KV file. Deno KV stores in SQLite, which by default keeps the pages of
 * deleted rows as free space forever; WAL records are written and deleted all the time, so
 * a new file is first created with `auto_vacuum = FULL` (possible only before any table
 * exists), which hands freed pages back to the file system at each commit.
 */

import { DatabaseSync } from "node:sqlite";

/** Opens the KV file at `path`, creating it with auto-vacuum if it does not exist yet. */
export async function openShardKv(path: string): Promise<Deno.Kv> {
  let exists = true;
  try {
    await Deno.stat(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    exists = false;
  }
  if (!exists) {
    // Closed again before Deno KV opens the file, so the two SQLite libraries never share it.
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA auto_vacuum = FULL");
      db.exec("VACUUM");
    } finally {
      db.close();
    }
  }
  return await Deno.openKv(path);
}
