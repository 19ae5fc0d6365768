import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** Bigger files are never records, nor scanned for personal data (the loaders leave them out too). */
const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/**
 * The text of a file of the working tree, or undefined when it is gone, bigger than 5 MiB or
 * binary (a NUL byte in its first 8,000, as git decides).
 */
export async function workTreeText(repo: string, path: string): Promise<string | undefined> {
  try {
    const absolute = join(repo, path);
    if ((await stat(absolute)).size > MAX_TEXT_BYTES) return undefined;
    const bytes = await readFile(absolute);
    if (bytes.subarray(0, 8000).includes(0)) return undefined;
    return bytes.toString("utf8");
  } catch {
    return undefined;
  }
}
