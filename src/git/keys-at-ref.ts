/**
 * The trusted keyring of a local clone at a given commit, for `gatehouse keys`. Files are read
 * from git objects (`git ls-tree` and one `git cat-file --batch`), never from the work tree, so
 * that uncommitted keys are never trusted.
 */
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { ConfigError } from "../cli/errors.js";
import { policiesDirectory } from "./policies-directory.js";
import { readBlobs } from "./read-blobs.js";
import { listTree } from "./tree-entries.js";

const run = promisify(execFile);
const CONFIG_PATH = ".github/gatehouse.yml";

async function git(root: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}

/** The top level of the clone that holds `dir`; a ConfigError when there is none. */
export async function openRepository(dir: string): Promise<string> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ConfigError(`${path} is not a directory; pass --repo with the path of a git clone.`);
  }
  const top = await git(path, ["rev-parse", "--show-toplevel"]);
  if (top === undefined) {
    throw new ConfigError(`${path} is not a git repository; pass --repo with the path of a clone.`);
  }
  return top.trim();
}

/** The commit a ref names; a ConfigError when it names none. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  const out = await git(root, [
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${ref}^{commit}`,
  ]);
  const sha = out?.trim() ?? "";
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new ConfigError(
      `'${ref}' is not a branch, tag or commit in ${root}; check the name (git branch -a).`,
    );
  }
  return sha;
}

/** origin/HEAD, else main, else master: where pull requests of this clone would merge to. */
export async function defaultBranch(root: string): Promise<string> {
  const remote = (
    await git(root, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
  )?.trim();
  if (remote) return remote;
  for (const branch of ["main", "master"]) {
    if (
      (await git(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])) !== undefined
    ) {
      return branch;
    }
  }
  throw new ConfigError(
    `cannot tell the default branch of ${root} (no origin/HEAD, main or master); pass a RANGE such as main..HEAD.`,
  );
}

/** The merge base of two commits; a ConfigError when they share no history. */
export async function mergeBase(root: string, a: string, b: string): Promise<string> {
  const out = (await git(root, ["merge-base", a, b]))?.trim();
  if (!out)
    throw new ConfigError(
      `${a.slice(0, 7)} and ${b.slice(0, 7)} share no history in ${root}; pass a RANGE with a common base.`,
    );
  return out;
}

/** The policy files at a commit: `.github/gatehouse.yml` and the policies directory it names. */
export interface PolicyFilesAt {
  /** The policies directory, such as "policies". */
  dir: string;
  /** Path -> content of the config and every file of the policies directory. */
  files: Map<string, string>;
  /** Path -> content of the files under `<dir>/keys/`. */
  keys: Map<string, string>;
}

/** Reads the policy files of commit `sha` from git objects. */
export async function readPolicyFilesAt(root: string, sha: string): Promise<PolicyFilesAt> {
  const simple = simpleGit({ baseDir: root });
  const configEntries = await listTree(simple, sha, [CONFIG_PATH]);
  const configBlobs = await readBlobs(
    root,
    configEntries.map((e) => e.sha),
  );
  const configText = configEntries[0]
    ? configBlobs.get(configEntries[0].sha)?.toString("utf8")
    : undefined;
  const dir = policiesDirectory(configText).replace(/\/+$/, "");
  const entries = await listTree(simple, sha, [`${dir}/`]);
  const blobs = await readBlobs(
    root,
    entries.map((e) => e.sha),
  );
  const files = new Map<string, string>();
  if (configText !== undefined) files.set(CONFIG_PATH, configText);
  const keys = new Map<string, string>();
  for (const entry of entries) {
    const content = blobs.get(entry.sha)?.toString("utf8");
    if (content === undefined) continue;
    files.set(entry.path, content);
    if (entry.path.startsWith(`${dir}/keys/`)) keys.set(entry.path, content);
  }
  return { dir, files, keys };
}
