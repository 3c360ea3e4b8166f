import { writeFileDurably } from "../cluster/durable_files.ts";

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

/** Writes a small JSON file atomically and durably (see writeFileDurably). */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileDurably(path, new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n"));
}
