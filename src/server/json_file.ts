/** Reads a small JSON file, or null when it does not exist. */
export async function readJsonFile<T>(path: string): Promise<T | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${path} is not valid JSON; restore it from a backup or remove it`);
  }
}

/** Writes a small JSON file atomically (temporary file, fsync, rename). */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await f.write(new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n"));
    await f.sync();
  } finally {
    f.close();
  }
  await Deno.rename(tmp, path);
}
