import type { SimpleGit } from "simple-git";
import type { FileStatus } from "../core/types.js";

/** A file of a commit's tree, with what is needed to read it in bulk. */
export interface TreeEntry {
  path: string;
  mode: string;
  sha: string;
  size: number;
}

/** Files under the given paths in `rev`, recursively. Submodules are left out (no content). */
export async function listTree(git: SimpleGit, rev: string, paths: string[]): Promise<TreeEntry[]> {
  const output = await git.raw(["ls-tree", "-r", "-z", "-l", "--full-tree", rev, "--", ...paths]);
  const entries: TreeEntry[] = [];
  for (const record of output.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode = "", type, sha = "", size] = record.slice(0, tab).trim().split(/\s+/);
    if (type !== "blob") continue;
    entries.push({ path: record.slice(tab + 1), mode, sha, size: Number(size) });
  }
  return entries;
}

/** One changed path between two commits, with the blob shas of both sides. */
export interface TreeChange {
  path: string;
  status: FileStatus;
  previousPath?: string;
  /** Blob of the base side; absent for an added file. */
  baseSha?: string;
  /** Blob of the head side; absent for a removed file. */
  headSha?: string;
}

const ZERO = /^0+$/;

/**
 * The changes from `base` to `head`, renames detected. Plumbing (`diff-tree`) rather than
 * `git diff`, so that a user's diff settings cannot change what gatehouse sees.
 */
export async function diffTrees(git: SimpleGit, base: string, head: string): Promise<TreeChange[]> {
  const output = await git.raw(["diff-tree", "-r", "-z", "-M", "--no-commit-id", base, head]);
  const fields = output.split("\0");
  const changes: TreeChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const header = fields[i];
    if (header === undefined || !header.startsWith(":")) continue;
    const [oldMode = "", newMode = "", oldSha = "", newSha = "", code = ""] = header
      .slice(1)
      .split(" ");
    const letter = code.charAt(0);
    const first = fields[++i] ?? "";
    // Submodule entries point at commits, not files: nothing a record or policy can be.
    if (oldMode === "160000" || newMode === "160000") {
      if (letter === "R" || letter === "C") i++;
      continue;
    }
    const baseSha = ZERO.test(oldSha) ? undefined : oldSha;
    const headSha = ZERO.test(newSha) ? undefined : newSha;
    if (letter === "R" || letter === "C") {
      const path = fields[++i] ?? "";
      changes.push(
        letter === "R"
          ? { path, status: "renamed", previousPath: first, ...sides(baseSha, headSha) }
          : { path, status: "added", ...sides(undefined, headSha) },
      );
      continue;
    }
    const status: FileStatus = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
    changes.push({ path: first, status, ...sides(baseSha, headSha) });
  }
  return changes;
}

function sides(baseSha: string | undefined, headSha: string | undefined) {
  return {
    ...(baseSha === undefined ? {} : { baseSha }),
    ...(headSha === undefined ? {} : { headSha }),
  };
}
