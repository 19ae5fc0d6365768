/**
 * What a push said about the commit it pushed: the paths its commits added, modified and
 * removed, kept under the pushed commit's id. GitHub sends the `push` event of a branch before
 * anyone can open a pull request from it, so the first judgement of that pull request can ask
 * for those files' texts in its first query instead of learning their names first and asking
 * again (src/github/plan-first.ts). A release bot that opens fifty pull requests thus costs one
 * query and one write each.
 *
 * Like every hint (src/github/judgement-hint.ts), this is a guess, never a fact: a text it asks
 * for is used only for a path the pull request changes, read from the head GitHub now names. A
 * push listing fewer paths than the pull request changes (commits pushed earlier to another
 * branch, a fork, a push before the App was installed) costs one query more, nothing else.
 */
import { parse, strings } from "./judgement-hint.js";
import type { SnapshotCache } from "./snapshot-cache.js";
import type { PushCommit } from "./touches-policy.js";

export interface PushedPaths {
  /** Paths some commit added or modified: texts to read at the head. */
  head: string[];
  /** Paths some commit modified or removed: texts to read at the base. */
  base: string[];
  /** Paths some commit added (a new record needs the listing of its folder). */
  added: string[];
}

/** Paths kept per list; a push touching more is judged as if nothing were known of it. */
export const MAX_PUSHED_PATHS = 100;

const key = (repo: { owner: string; repo: string }, sha: string) =>
  `push:${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}@${sha.toLowerCase()}`;

/** The paths a push's commits touched, each once; null when too many to be a useful guess. */
export function pushedPathsOf(commits: PushCommit[]): PushedPaths | null {
  const added = new Set<string>();
  const modified = new Set<string>();
  const removed = new Set<string>();
  for (const commit of commits) {
    for (const path of commit.added ?? []) added.add(path);
    for (const path of commit.modified ?? []) modified.add(path);
    for (const path of commit.removed ?? []) removed.add(path);
  }
  const head = [...new Set([...added, ...modified])];
  const base = [...new Set([...modified, ...removed])];
  if (head.length > MAX_PUSHED_PATHS || base.length > MAX_PUSHED_PATHS) return null;
  return { head, base, added: [...added] };
}

/** Keeps what a push of `sha` touched, for the first judgement of a pull request with that head. */
export async function rememberPush(
  cache: SnapshotCache,
  repo: { owner: string; repo: string },
  sha: string,
  commits: PushCommit[],
): Promise<void> {
  const paths = pushedPathsOf(commits);
  if (!paths || (paths.head.length === 0 && paths.base.length === 0)) return;
  await cache.set(key(repo, sha), JSON.stringify(paths), "hint");
}

/** What the push of `sha` touched, or null when no push of it was seen (or the entry is bad). */
export async function readPush(
  cache: SnapshotCache,
  repo: { owner: string; repo: string },
  sha: string | undefined,
): Promise<PushedPaths | null> {
  if (!sha) return null;
  const [text] = await cache.get([key(repo, sha)]);
  return parse(text ?? null, (value) => {
    const v = (value ?? {}) as Record<string, unknown>;
    const [head, base, added] = [v.head, v.base, v.added].map((x) => strings(x, MAX_PUSHED_PATHS));
    return head && base && added ? { head, base, added } : null;
  });
}
