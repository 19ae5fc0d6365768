import { lstat, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Bigger files are never records, nor scanned for personal data (the loaders leave them out too). */
const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/**
 * The text of a file of the working tree, or undefined when it is gone, bigger than 5 MiB or
 * binary (a NUL byte in its first 8,000, as git decides). A symbolic link is never followed: its
 * text is the path it points to, which is what git stores and a pull request carries, so nothing
 * outside the repository is ever read or printed.
 */
export async function workTreeText(repo: string, path: string): Promise<string | undefined> {
  try {
    const absolute = join(repo, path);
    const entry = await lstat(absolute);
    if (entry.isSymbolicLink()) return await readlink(absolute, "utf8");
    if (!entry.isFile() || entry.size > MAX_TEXT_BYTES) return undefined;
    const bytes = await readFile(absolute);
    if (bytes.subarray(0, 8000).includes(0)) return undefined;
    return bytes.toString("utf8");
  } catch {
    return undefined;
  }
}
