import type { SimpleGit } from "simple-git";
import { ConfigError } from "../core/errors.js";
import { displayPath } from "../core/paths/path-name.js";
import type { EntryType, FileStatus } from "../core/types.js";

/** A path of a commit's tree, with what is needed to read it in bulk. */
export interface TreeEntry {
  path: string;
  mode: string;
  /** The blob's sha, or for a submodule the commit it points at. */
  sha: string;
  /** The blob's size; 0 for a submodule. */
  size: number;
  type: EntryType;
}

/** What a git tree mode holds: 120000 a symbolic link, 160000 a submodule, else a file. */
export function entryType(mode: string): EntryType {
  return mode === "120000" ? "symlink" : mode === "160000" ? "submodule" : "file";
}

const WHAT: Record<EntryType, string> = {
  file: "a file",
  symlink: "a symbolic link",
  submodule: "a submodule entry",
};

/**
 * Every path under the given paths in `rev`, recursively: files, symbolic links and submodule
 * entries alike, so that nothing a checkout holds is left out unseen.
 */
export async function listTree(git: SimpleGit, rev: string, paths: string[]): Promise<TreeEntry[]> {
  const output = await git.raw(["ls-tree", "-r", "-z", "-l", "--full-tree", rev, "--", ...paths]);
  const entries: TreeEntry[] = [];
  for (const record of output.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode = "", , sha = "", size] = record.slice(0, tab).trim().split(/\s+/);
    const type = entryType(mode);
    entries.push({ path: record.slice(tab + 1), mode, sha, size: Number(size) || 0, type });
  }
  return entries;
}

/**
 * {@link listTree} for policy files, which must be regular files: a symbolic link or a
 * submodule entry in their place would drop a policy file (or swap its content) unseen, so it
 * stops the judgement with the reason.
 */
export async function listPolicyTree(
  git: SimpleGit,
  rev: string,
  paths: string[],
): Promise<TreeEntry[]> {
  const entries = await listTree(git, rev, paths);
  const odd = entries.find((e) => e.type !== "file");
  if (odd) {
    throw new ConfigError(
      `${displayPath(odd.path)} at commit ${rev.slice(0, 7)} is ${WHAT[odd.type]}, not a file; ` +
        `policy files must be regular files, so gatehouse cannot read the policy there. ` +
        `Replace it with the file's content in a pull request that the security admins approve.`,
    );
  }
  return entries;
}

/** One changed path between two commits, with the blob shas of both sides. */
export interface TreeChange {
  path: string;
  status: FileStatus;
  previousPath?: string;
  /** Blob of the base side; absent for an added file (and for a submodule entry). */
  baseSha?: string;
  /** Blob of the head side; absent for a removed file (and for a submodule entry). */
  headSha?: string;
  /** What each side holds, where that is not a regular file. */
  entry?: { base?: EntryType; head?: EntryType };
}

const ZERO = /^0+$/;

/**
 * The changes from `base` to `head`, renames detected. Plumbing (`diff-tree`) rather than
 * `git diff`, so that a user's diff settings cannot change what gatehouse sees. Every kind of
 * tree entry is a change of its path: files, symbolic links, submodule entries and changes of
 * type between them.
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
    // A submodule entry points at a commit of another repository: there is no blob to read.
    const baseSha = ZERO.test(oldSha) || oldMode === "160000" ? undefined : oldSha;
    const headSha = ZERO.test(newSha) || newMode === "160000" ? undefined : newSha;
    const entry = entries(oldMode, newMode);
    if (letter === "R" || letter === "C") {
      const path = fields[++i] ?? "";
      changes.push(
        letter === "R"
          ? { path, status: "renamed", previousPath: first, ...sides(baseSha, headSha), ...entry }
          : { path, status: "added", ...sides(undefined, headSha), ...entry },
      );
      continue;
    }
    const status: FileStatus = letter === "A" ? "added" : letter === "D" ? "removed" : "modified";
    changes.push({ path: first, status, ...sides(baseSha, headSha), ...entry });
  }
  return changes;
}

function entries(oldMode: string, newMode: string): Pick<TreeChange, "entry"> {
  const base = ZERO.test(oldMode) ? "file" : entryType(oldMode);
  const head = ZERO.test(newMode) ? "file" : entryType(newMode);
  if (base === "file" && head === "file") return {};
  return {
    entry: { ...(base === "file" ? {} : { base }), ...(head === "file" ? {} : { head }) },
  };
}

function sides(baseSha: string | undefined, headSha: string | undefined) {
  return {
    ...(baseSha === undefined ? {} : { baseSha }),
    ...(headSha === undefined ? {} : { headSha }),
  };
}
