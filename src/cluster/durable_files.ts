/** Durable file operations: whole writes, atomic replacement, directory flushes, the dir lock. */
import { dirname } from "node:path";

/** Writes all of `b` at the file position. */
export function writeAllSync(f: Deno.FsFile, b: Uint8Array): void {
  for (let off = 0; off < b.byteLength;) off += f.writeSync(b.subarray(off));
}

/** Writes all of `b` at the file position. */
export async function writeAll(f: Deno.FsFile, b: Uint8Array): Promise<void> {
  for (let off = 0; off < b.byteLength;) off += await f.write(b.subarray(off));
}

/** How long `open` waits for another holder of the directory's lock before giving up. */
const LOCK_WAIT_MS = 1000;

/** The raft_dir is in use by another process. */
export class RaftDirLockedError extends Error {
  override readonly name = "RaftDirLockedError";
}

/**
 * Takes `dir/LOCK` exclusively (flock; the kernel drops it when the process dies), so two
 * processes configured with one raft_dir never interleave their writes.
 */
export async function lockDir(dir: string): Promise<Deno.FsFile> {
  const file = await Deno.open(`${dir}/LOCK`, { create: true, write: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const got = await Promise.race([
    file.lock(true).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), LOCK_WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
  if (!got) {
    file.close();
    throw new RaftDirLockedError(
      `raft_dir ${dir} is in use by another process (it holds ${dir}/LOCK); ` +
        "stop that process, or give this node a raft_dir of its own",
    );
  }
  return file;
}

/** Flushes a directory, so a rename or create in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const d = await Deno.open(dir, { read: true });
  try {
    await d.sync();
  } finally {
    d.close();
  }
}

/**
 * Replaces `path` with `bytes` atomically and durably: a temporary file, flushed, renamed into
 * place, and the directory flushed. A crash leaves the old file or the new one, never half.
 */
export async function writeFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await Deno.open(tmp, { create: true, write: true, truncate: true });
  try {
    await writeAll(file, bytes);
    await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
  await syncDir(dirname(path));
}
