/**
 * What GitHub knows about a merge commit that its evidence records: the commit it was merged
 * onto (its first parent), the record files' blobs in it, and which commits the merge put on
 * the base branch (one, or each rebased commit of a rebase merge).
 */
import type { Commit } from "../core/types.js";
import type { GraphQLClient } from "./load-snapshot.js";

interface ParentsAnswer {
  repository: {
    merge: { parents?: { nodes: Array<{ oid: string } | null> | null } } | null;
  } | null;
}

export const MERGE_PARENTS_QUERY = `query GatehouseMergeParents($owner: String!, $name: String!, $merge: GitObjectID!) {
  repository(owner: $owner, name: $name) {
    merge: object(oid: $merge) { ... on Commit { parents(first: 2) { nodes { oid } } } }
  }
}`;

/** The first parent of the merge commit: the base branch just before the merge. */
export async function mergedOnto(
  github: GraphQLClient,
  repo: { owner: string; repo: string },
  merge: string,
): Promise<string> {
  const answer = await github.graphql<ParentsAnswer>(MERGE_PARENTS_QUERY, {
    owner: repo.owner,
    name: repo.repo,
    merge,
  });
  const parent = answer.repository?.merge?.parents?.nodes?.[0]?.oid;
  if (!parent) throw new Error(`the merge commit ${merge.slice(0, 12)} was not found.`);
  return parent;
}

interface FactsAnswer {
  repository: {
    merge: {
      parents?: { totalCount: number };
      history?: { nodes: Array<{ oid: string; message: string } | null> | null };
    } | null;
    [blob: `b${number}`]: { oid: string } | null;
  } | null;
}

/** The query of {@link mergeFacts}. */
export function mergeFactsQuery(
  repo: { owner: string; repo: string },
  merge: string,
  recordPaths: string[],
  commits: number,
): { query: string; variables: Record<string, unknown> } {
  const params = ["$owner: String!", "$name: String!", "$merge: GitObjectID!", "$count: Int!"];
  const variables: Record<string, unknown> = {
    owner: repo.owner,
    name: repo.repo,
    merge,
    count: Math.max(1, Math.min(commits, 100)),
  };
  const parts = [
    `merge: object(oid: $merge) { ... on Commit { parents { totalCount } history(first: $count) { nodes { oid message } } } }`,
  ];
  recordPaths.forEach((path, i) => {
    params.push(`$b${i}: String!`);
    variables[`b${i}`] = `${merge}:${path}`;
    parts.push(`b${i}: object(expression: $b${i}) { ... on Blob { oid } }`);
  });
  const query = `query GatehouseMergeFacts(${params.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${parts.join("\n    ")}
  }
}`;
  return { query, variables };
}

/** The blobs of the record paths at the merge commit, and the commits the merge brought. */
export async function mergeFacts(
  github: GraphQLClient,
  repo: { owner: string; repo: string },
  merge: string,
  recordPaths: string[],
  pullCommits: Commit[],
): Promise<{ recordBlobs: Map<string, string | null>; commits: string[] }> {
  const { query, variables } = mergeFactsQuery(repo, merge, recordPaths, pullCommits.length);
  const answer = await github.graphql<FactsAnswer>(query, variables);
  const repository = answer.repository;
  const recordBlobs = new Map<string, string | null>(
    recordPaths.map((path, i) => [path, repository?.[`b${i}`]?.oid ?? null]),
  );
  const history = (repository?.merge?.history?.nodes ?? []).flatMap((n) => (n ? [n] : []));
  const twoParents = (repository?.merge?.parents?.totalCount ?? 1) > 1;
  // A rebase merge replays each commit with its message; a squash makes one commit of them all.
  const messages = pullCommits.map((c) => c.message.trim()).reverse();
  const rebased =
    !twoParents &&
    pullCommits.length > 1 &&
    history.length === pullCommits.length &&
    history.every((commit, i) => commit.message.trim() === messages[i]);
  return { recordBlobs, commits: rebased ? history.map((c) => c.oid) : [merge] };
}
