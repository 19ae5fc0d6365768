import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { revParse } from "./refs.js";

/** The working tree as a commit on top of HEAD, so that it can be judged as a branch would be. */
export interface WorkingTreeCommit {
  sha: string;
  /** True when the working tree differs from HEAD, so `sha` is a commit made here for judging. */
  made: boolean;
}

/**
 * A commit whose tree is the working tree as `git add -A` would stage it (tracked files as they
 * are now, untracked files that are not ignored, deletions), with HEAD as parent; HEAD itself
 * when nothing differs, and undefined when the clone has no commit yet.
 *
 * Nothing the user sees changes: the staging goes through a copy of the index in a temporary
 * directory, and the commit is written only to the object store, unreferenced (as
 * `git stash create` does), for `git gc` to remove. It is not signed, so a caller that judges
 * it must not count that against the user's changes.
 */
export async function commitWorkingTree(root: string): Promise<WorkingTreeCommit | undefined> {
  const head = await revParse(root, "HEAD^{commit}");
  if (head === undefined) return undefined;
  const temp = await mkdtemp(join(tmpdir(), "gatehouse-index-"));
  try {
    const index = join(temp, "index");
    // The real index's cached file stats spare git from hashing files that did not change.
    const real = resolve(root, await git(root, ["rev-parse", "--git-path", "index"]));
    await copyFile(real, index).catch(() => undefined);
    await git(root, ["add", "-A", "--", "."], index);
    const tree = await git(root, ["write-tree"], index);
    const headTree = await git(root, ["rev-parse", "HEAD^{tree}"]);
    if (tree === headTree) return { sha: head, made: false };
    const commit = [
      "commit-tree",
      tree,
      "-p",
      head,
      "-m",
      "gatehouse: the working tree, for judging",
    ];
    // commit-tree refuses to run when git knows no identity; the user's own, when set, is kept,
    // since the judgement maps it to their login.
    const sha = await git(root, commit).catch(() =>
      git(root, ["-c", "user.name=gatehouse", "-c", "user.email=gatehouse@localhost", ...commit]),
    );
    return { sha, made: true };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * git's trimmed output. Run directly rather than through simple-git, which (rightly, for its
 * callers) refuses an environment that carries the user's EDITOR or PAGER: this one must pass
 * the user's environment through and only point git at another index.
 */
async function git(root: string, args: string[], indexFile?: string): Promise<string> {
  const env = indexFile === undefined ? process.env : { ...process.env, GIT_INDEX_FILE: indexFile };
  const { stdout } = await promisify(execFile)("git", args, {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}
