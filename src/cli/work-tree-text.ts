import { lstat, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { readText, type NotText } from "../git/decode-text.js";

/** Bigger files are never records, nor scanned for personal data (the loaders leave them out too). */
const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/** A file of the working tree that is there but is not text gatehouse reads, and why. */
export interface NotTextFile {
  notText: NotText | "too large";
}

/**
 * The text of a file of the working tree, or undefined when it is gone, bigger than 5 MiB or
 * not text as the git loader decides (binary, UTF-16, not UTF-8), so that validate reads what
 * check reads. A symbolic link is never followed: its text is the path it points to, which is
 * what git stores and a pull request carries, so nothing outside the repository is ever read
 * or printed.
 */
export async function workTreeText(repo: string, path: string): Promise<string | undefined> {
  const read = await readWorkTreeFile(repo, path);
  return typeof read === "string" ? read : undefined;
}

/** As `workTreeText`, but a file that is there and is not text says why. */
export async function readWorkTreeFile(
  repo: string,
  path: string,
): Promise<string | NotTextFile | undefined> {
  try {
    const absolute = join(repo, path);
    const entry = await lstat(absolute);
    if (entry.isSymbolicLink()) return await readlink(absolute, "utf8");
    if (!entry.isFile()) return undefined;
    if (entry.size > MAX_TEXT_BYTES) return { notText: "too large" };
    return readText(await readFile(absolute));
  } catch {
    return undefined;
  }
}
