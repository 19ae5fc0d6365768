/**
 * Whether a push can change the verdict of pull requests into its branch: it does when it
 * touches the policies directory or `.github/` (the configuration, CODEOWNERS). A push payload
 * lists at most 2,048 commits; a longer push is assumed to touch the policy, to stay on the
 * safe side.
 */
export interface PushCommit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

const PAYLOAD_COMMITS = 2048;

/** Paths a push touched, or null when the payload cannot tell them all. */
export function pushedPaths(commits: PushCommit[]): string[] | null {
  if (commits.length >= PAYLOAD_COMMITS) return null;
  return commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
}

/** True when one of the paths lies under `.github/` or the policies directory. */
export function touchesPolicy(paths: string[], policies: string): boolean {
  const dir = policies.replace(/\/+$/, "") + "/";
  return paths.some((path) => path.startsWith(".github/") || path.startsWith(dir));
}
