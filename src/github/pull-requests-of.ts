/** Finds which pull requests an event concerns when its payload does not say. */
import type { GitHubClient } from "./github-client.js";

export interface PullHint {
  number: number;
  headSha: string;
}

const OPEN_PULLS_QUERY = `query GatehouseOpenPulls($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { number headRefOid }
    }
  }
}`;

interface OpenPullsAnswer {
  repository: {
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{ number: number; headRefOid: string } | null> | null;
    };
  } | null;
}

/**
 * Open pull requests whose head is `sha`: one small GraphQL query per 100 open pull requests.
 * Events that name only a commit need it: a commit status, and a check run of a pull request
 * from a fork, whose payload lists no pull requests. The open pull requests are listed rather
 * than the commit's (`GET /commits/{sha}/pulls`), because GitHub does not reliably associate
 * a commit that lives in a fork with the pull request it heads in the base repository.
 */
export async function openPullsWithHead(
  github: Pick<GitHubClient, "graphql">,
  repo: { owner: string; repo: string },
  sha: string,
): Promise<PullHint[]> {
  const pulls: PullHint[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: OpenPullsAnswer = await github.graphql<OpenPullsAnswer>(OPEN_PULLS_QUERY, {
      owner: repo.owner,
      name: repo.repo,
      after,
    });
    const page = answer.repository?.pullRequests;
    if (!page) throw new Error(`the repository ${repo.owner}/${repo.repo} was not found.`);
    for (const pull of page.nodes ?? []) {
      if (pull?.headRefOid === sha) pulls.push({ number: pull.number, headSha: sha });
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return pulls;
    after = page.pageInfo.endCursor;
  }
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
