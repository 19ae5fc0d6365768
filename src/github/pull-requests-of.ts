/** Finds which pull requests an event concerns when its payload does not say. */
import type { GitHubClient } from "./github-client.js";

export interface PullHint {
  number: number;
  headSha: string;
}

/**
 * Open pull requests whose head is `sha`. A check run on a fork's pull request lists no pull
 * requests in its payload, so this asks GitHub (one request).
 */
export async function openPullsWithHead(
  github: GitHubClient,
  repo: { owner: string; repo: string },
  sha: string,
): Promise<PullHint[]> {
  const { data } = await github.rest.repos.listPullRequestsAssociatedWithCommit({
    ...repo,
    commit_sha: sha,
    per_page: 100,
  });
  return data
    .filter((pull) => pull.state === "open" && pull.head.sha === sha)
    .map((pull) => ({ number: pull.number, headSha: pull.head.sha }));
}

/** Every open pull request into `base` (a branch name). */
export async function openPullsInto(
  github: GitHubClient,
  repo: { owner: string; repo: string },
  base: string,
): Promise<PullHint[]> {
  const pulls = await github.paginate(github.rest.pulls.list, {
    ...repo,
    state: "open",
    base,
    per_page: 100,
  });
  return pulls.map((pull) => ({ number: pull.number, headSha: pull.head.sha }));
}

/** The pull request a merge group was made for: `gh-readonly-queue/<base>/pr-<N>-<sha>`. */
export function mergeGroupPull(headRef: string): number | null {
  const match = /\/pr-(\d+)-[0-9a-f]+$/.exec(headRef);
  return match ? Number(match[1]) : null;
}
