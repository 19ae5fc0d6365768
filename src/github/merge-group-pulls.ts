/**
 * The pull requests a merge group holds. GitHub builds a group's head commit from the base
 * branch and every queue entry up to and including the one it tests, so the group holds the
 * entries at or ahead of the entry whose head commit is the group's head. The `head_ref`
 * (`gh-readonly-queue/main/pr-104-…`) names only the last of them, which is why a group judged
 * by its name alone let an unapproved pull request ahead of it through.
 */
import type { GitHubClient } from "./github-client.js";

const QUEUE_QUERY = `query GatehouseMergeQueue($owner: String!, $name: String!, $branch: String!) {
  repository(owner: $owner, name: $name) {
    mergeQueue(branch: $branch) {
      entries(first: 100) {
        totalCount
        nodes { position headCommit { oid } pullRequest { number headRefOid } }
      }
    }
  }
}`;

interface QueueAnswer {
  repository: {
    mergeQueue: {
      entries: {
        totalCount: number;
        nodes: Array<{
          position: number;
          headCommit: { oid: string } | null;
          pullRequest: { number: number; headRefOid: string } | null;
        } | null> | null;
      } | null;
    } | null;
  } | null;
}

export interface GroupPull {
  number: number;
  headSha: string;
}

/** The pull requests of the group whose head is `headSha`; throws when GitHub cannot say. */
export async function mergeGroupPulls(
  github: Pick<GitHubClient, "graphql">,
  repo: { owner: string; repo: string },
  branch: string,
  headSha: string,
): Promise<GroupPull[]> {
  const answer = await github.graphql<QueueAnswer>(QUEUE_QUERY, {
    owner: repo.owner,
    name: repo.repo,
    branch,
  });
  const entries = answer.repository?.mergeQueue?.entries;
  const nodes = (entries?.nodes ?? []).flatMap((n) => (n ? [n] : []));
  if (entries && nodes.length < entries.totalCount) {
    throw new Error(
      `GitHub listed ${nodes.length} of the ${entries.totalCount} entries of the merge queue of ${branch}, so gatehouse cannot tell what this merge group holds.`,
    );
  }
  const tested = nodes.find((n) => n.headCommit?.oid === headSha);
  if (!tested) {
    throw new Error(
      `the merge queue of ${branch} has no entry whose merge group head is ${headSha.slice(0, 12)}, so gatehouse cannot tell which pull requests it holds. Add the pull request to the queue again.`,
    );
  }
  return nodes
    .filter((n) => n.position <= tested.position && n.pullRequest)
    .sort((a, b) => a.position - b.position)
    .map((n) => ({
      number: (n.pullRequest as { number: number }).number,
      headSha: (n.pullRequest as { headRefOid: string }).headRefOid,
    }));
}
