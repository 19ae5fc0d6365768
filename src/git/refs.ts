/**
 * Finding the clone and the commits a command names: the repository's top level, a ref's
 * commit, the default branch and a merge base. Each refusal is a ConfigError that says what to do.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { simpleGit } from "simple-git";
import { ConfigError } from "../core/errors.js";

/** git's output, or undefined when git fails (simple-git does not throw on a quiet failure). */
async function git(root: string, args: string[]): Promise<string | undefined> {
  return simpleGit({ baseDir: root })
    .raw(args)
    .catch(() => undefined);
}

/** The top level of the clone that holds `dir`; a ConfigError when there is none. */
export async function openRepository(dir: string): Promise<string> {
  const path = resolve(dir);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ConfigError(`${path} is not a directory; pass --repo with the path of a git clone.`);
  }
  const top = await cloneTop(path);
  if (!top) {
    throw new ConfigError(`${path} is not a git repository; pass --repo with the path of a clone.`);
  }
  return top;
}

/** The top level of the git clone that holds the directory `dir`; undefined when none does. */
export async function cloneTop(dir: string): Promise<string | undefined> {
  // simple-git refuses a directory that does not exist before git runs.
  const top = await git(dir, ["rev-parse", "--show-toplevel"]).catch(() => undefined);
  return top?.trim() || undefined;
}

/** The object a revision names, or undefined. */
export async function revParse(root: string, revision: string): Promise<string | undefined> {
  const sha = (
    await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision])
  )?.trim();
  return sha !== undefined && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

/** The commit a ref names; a ConfigError when it names none. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  const sha = await revParse(root, `${ref}^{commit}`);
  if (sha !== undefined) return sha;
  if (ref === "HEAD" && (await revParse(root, "HEAD")) === undefined) {
    throw new ConfigError(`${root} has no commits yet; commit the change first, then judge it.`);
  }
  throw new ConfigError(
    `'${ref}' is not a branch, tag or commit in ${root}; check the name (git branch -a).`,
  );
}

/**
 * What a command judges: the commits of `headSha` that are not on `baseRef`
 * (`mergeBase..headSha`), against the policy of `baseTip`.
 */
export interface CommitRange {
  /** The branch or ref the base was taken from ("main", "origin/main", or the one given). */
  baseRef: string;
  /**
   * The commit `baseRef` names now. Policy, roles and keys are read here, as the GitHub App
   * reads them from the base branch's tip: a revocation merged after the branch was cut
   * applies to the branch at once.
   */
  baseTip: string;
  /** The merge base of the base tip and the head: where the judged commits start. */
  mergeBase: string;
  headSha: string;
}

/**
 * The range from the merge base of `base` (default: origin/HEAD, else main, else master) to
 * `head`, and the base's tip. `remedy` says how the command lets the user name the base
 * ("pass --base REF").
 */
export async function resolveRange(
  root: string,
  base: string | undefined,
  head: string,
  remedy: string,
): Promise<CommitRange> {
  const [headSha, baseRef] = await Promise.all([
    resolveCommit(root, head),
    base ?? defaultBranch(root, remedy),
  ]);
  const baseTip = await resolveCommit(root, baseRef);
  const mergeBase = (await git(root, ["merge-base", baseTip, headSha]))?.trim();
  if (!mergeBase) {
    throw new ConfigError(
      `'${baseRef}' and the head share no history in ${root}; ${remedy} with a branch the head grew from ` +
        `(in a shallow clone, fetch more history first: git fetch --unshallow).`,
    );
  }
  return { baseRef, baseTip, mergeBase, headSha };
}

/** origin/HEAD, else main, else master: where pull requests of this clone would merge to. */
export async function defaultBranch(root: string, remedy: string): Promise<string> {
  const remote = (
    await git(root, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
  )?.trim();
  if (remote) return remote;
  for (const branch of ["main", "master"]) {
    if ((await revParse(root, `refs/heads/${branch}`)) !== undefined) return branch;
  }
  throw new ConfigError(
    `cannot tell the default branch of ${root} (no origin/HEAD, main or master); ${remedy}.`,
  );
}
