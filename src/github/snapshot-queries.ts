/**
 * The GraphQL documents of the snapshot loader. One first query fetches the pull request with
 * the first page of every connection and the policy files of the base commit; follow-up
 * queries, built by {@link followUpQuery}, fetch what the first one could not hold (next pages,
 * blobs of changed files, team members) in as few requests as possible.
 */

import { indexDir } from "../core/evidence/ledger-layout.js";
import { LEDGER_FOLDER, ledgerFolderParts } from "./ledger-queries.js";

export const PAGE_SIZE = 100;

export const BLOB = `fragment BlobText on Blob { text isBinary isTruncated }`;

/** A path of a commit as a tree entry: what it is (mode, type) and, for a blob, its text. */
export const ENTRY = `fragment EntryText on TreeEntry { mode type object { ... on Blob { ...BlobText } } }`;

export const COMMIT = `fragment CommitFields on Commit {
  oid
  message
  tree { oid }
  parents(first: 20) { totalCount nodes { oid } }
  author { name email date user { login } }
  committer { name email date user { login } }
  signature { signature payload }
}`;

export const REVIEW = `fragment ReviewFields on PullRequestReview {
  author { login }
  state
  submittedAt
  commit { oid }
}`;

export const CONTEXT = `fragment ContextFields on StatusCheckRollupContext {
  __typename
  ... on CheckRun {
    name status conclusion databaseId externalId
    checkSuite { app { databaseId } }
    annotations(first: 1) { totalCount }
  }
  ... on StatusContext { context state }
}`;

/** Every paged connection asks its total too, so that the loader can tell when GitHub listed less. */
export const PAGE = `totalCount pageInfo { hasNextPage endCursor }`;

/**
 * Three levels of a folder of policy or change records (for example `policies/keys/<login>.asc`),
 * with each entry's mode and type, so that a symbolic link or a submodule entry is seen, not
 * skipped, and its name and id, so that the listing can be proved and cached by id.
 */
export const POLICY_TREE = `fragment PolicyTree on Tree {
  entries {
    path name mode type oid
    object {
      ... on Blob { ...BlobText }
      ... on Tree {
        entries {
          path name mode type oid
          object {
            ... on Blob { ...BlobText }
            ... on Tree { entries { path name mode type oid object { ... on Blob { ...BlobText } } } }
          }
        }
      }
    }
  }
}`;

/** Three levels of a record directory, names and ids only (for example `changes/2026/03/CHG-….yaml`). */
export const RECORD_TREE = `fragment RecordTree on Tree {
  entries {
    path name mode type oid
    object {
      ... on Tree {
        entries { path name mode type oid object { ... on Tree { entries { path name mode type oid } } } }
      }
    }
  }
}`;

/**
 * The repository's open pull requests, heads and bases only: a check run belongs to a commit,
 * so a commit that heads several pull requests must be judged knowing all of them.
 */
export const OPEN_PULLS = `openPulls: pullRequests(states: OPEN, first: ${PAGE_SIZE}) { ${PAGE} nodes { number headRefOid baseRefName } }`;

/** The first page of a team's members under alias `t<i>`, its variables added to `into`. */
export function teamMembersPart(
  i: number,
  team: { org: string; slug: string; after: string | null },
  into: { params: string[]; variables: Record<string, unknown> },
): string {
  into.params.push(`$t${i}org: String!`, `$t${i}slug: String!`, `$t${i}after: String`);
  into.variables[`t${i}org`] = team.org;
  into.variables[`t${i}slug`] = team.slug;
  into.variables[`t${i}after`] = team.after;
  return `t${i}: organization(login: $t${i}org) { team(slug: $t${i}slug) { members(first: ${PAGE_SIZE}, after: $t${i}after, membership: ALL) { ${PAGE} nodes { login } } } }`;
}

/** A connection of the pull request that may need another page. */
export type PullConnection = "files" | "commits" | "latestOpinionatedReviews" | "labels";

const CONNECTION_SELECTION: Record<PullConnection, string> = {
  files: "nodes { path changeType }",
  commits: "nodes { commit { ...CommitFields } }",
  latestOpinionatedReviews: "nodes { ...ReviewFields }",
  labels: "nodes { name }",
};

/** What one follow-up query asks for. Every part is optional; an empty plan is never sent. */
export interface FollowUpPlan {
  /** Connection -> cursor of the page to fetch after. */
  pages: Partial<Record<PullConnection, string>>;
  /** Next page of the head commit's checks: head sha and cursor. */
  checks?: { head: string; after: string };
  /**
   * Files of a commit ("<sha>:<path>"), fetched as tree entries (mode, type and text) under
   * aliases b0, b1, ...
   */
  blobs: string[];
  /** Teams to list: org, slug and the cursor of the page to fetch after (null for the first). */
  teams: Array<{ org: string; slug: string; after: string | null }>;
  /** Record directories to list ("<sha>:<dir>"), under aliases r0, r1, ... */
  recordTrees?: string[];
  /** Cursor of the next page of the repository's open pull requests. */
  openPullsAfter?: string;
  /** The change records' directory of the base commit ("<sha>:<dir>"), read under `changes`. */
  changeTree?: string;
  /**
   * Records whose evidence to read with the rest (their index folders in the ledger, under
   * aliases f0, f1, … and `ledger`): asked only in a query made anyway.
   */
  evidence?: string[];
}

/** Builds the document and variables of one follow-up query. */
export function followUpQuery(
  pull: { owner: string; name: string; number: number },
  plan: FollowUpPlan,
): { query: string; variables: Record<string, unknown> } {
  const params: string[] = [];
  const variables: Record<string, unknown> = {};
  const pullParts: string[] = [];
  for (const [connection, after] of Object.entries(plan.pages) as Array<[PullConnection, string]>) {
    params.push(`$${connection}After: String!`);
    variables[`${connection}After`] = after;
    pullParts.push(
      `${connection}(first: ${PAGE_SIZE}, after: $${connection}After) { ${PAGE} ${CONNECTION_SELECTION[connection]} }`,
    );
  }
  const repoParts: string[] = [];
  if (pullParts.length > 0) {
    params.push("$number: Int!");
    variables.number = pull.number;
    repoParts.push(`pullRequest(number: $number) { ${pullParts.join(" ")} }`);
  }
  if (plan.checks) {
    params.push("$checksHead: GitObjectID!", "$checksAfter: String!");
    variables.checksHead = plan.checks.head;
    variables.checksAfter = plan.checks.after;
    repoParts.push(
      `checks: object(oid: $checksHead) { ... on Commit { statusCheckRollup { contexts(first: ${PAGE_SIZE}, after: $checksAfter) { ${PAGE} nodes { ...ContextFields } } } } }`,
    );
  }
  if (plan.openPullsAfter) {
    params.push("$openPullsAfter: String!");
    variables.openPullsAfter = plan.openPullsAfter;
    repoParts.push(
      `openPulls: pullRequests(states: OPEN, first: ${PAGE_SIZE}, after: $openPullsAfter) { ${PAGE} nodes { number headRefOid baseRefName } }`,
    );
  }
  plan.blobs.forEach((expression, i) => {
    const colon = expression.indexOf(":");
    params.push(`$b${i}c: GitObjectID!`, `$b${i}p: String!`);
    variables[`b${i}c`] = expression.slice(0, colon);
    variables[`b${i}p`] = expression.slice(colon + 1);
    repoParts.push(
      `b${i}: object(oid: $b${i}c) { ... on Commit { file(path: $b${i}p) { ...EntryText } } }`,
    );
  });
  (plan.recordTrees ?? []).forEach((expression, i) => {
    params.push(`$r${i}: String!`);
    variables[`r${i}`] = expression;
    repoParts.push(`r${i}: object(expression: $r${i}) { ... on Tree { oid ...RecordTree } }`);
  });
  const evidence = plan.evidence ?? [];
  if (evidence.length > 0) {
    repoParts.push(...ledgerFolderParts(evidence.map(indexDir), { params, variables }));
  }
  if (plan.changeTree !== undefined) {
    params.push("$changes: String!");
    variables.changes = plan.changeTree;
    repoParts.push(`changes: object(expression: $changes) { ... on Tree { oid ...PolicyTree } }`);
  }
  const rootParts: string[] = [];
  plan.teams.forEach((team, i) => rootParts.push(teamMembersPart(i, team, { params, variables })));
  const body = [...rootParts];
  if (repoParts.length > 0) {
    params.unshift("$owner: String!", "$name: String!");
    variables.owner = pull.owner;
    variables.name = pull.name;
    body.unshift(`repository(owner: $owner, name: $name) { ${repoParts.join("\n")} }`);
  }
  const fragments = [
    plan.blobs.length > 0 ? `${BLOB}\n${ENTRY}` : plan.changeTree !== undefined ? BLOB : "",
    plan.changeTree !== undefined ? POLICY_TREE : "",
    plan.pages.commits ? COMMIT : "",
    plan.pages.latestOpinionatedReviews ? REVIEW : "",
    plan.checks ? CONTEXT : "",
    (plan.recordTrees ?? []).length > 0 ? RECORD_TREE : "",
    evidence.length > 0 ? LEDGER_FOLDER : "",
  ].filter((f) => f !== "");
  const query = `query GatehouseMore(${params.join(", ")}) {\n${body.join("\n")}\n}\n${fragments.join("\n")}`;
  return { query, variables };
}

/** True when a plan asks for nothing, so no request is needed. */
export function isEmptyPlan(plan: FollowUpPlan): boolean {
  return (
    Object.keys(plan.pages).length === 0 &&
    plan.checks === undefined &&
    plan.blobs.length === 0 &&
    plan.teams.length === 0 &&
    plan.openPullsAfter === undefined &&
    plan.changeTree === undefined &&
    (plan.recordTrees ?? []).length === 0
  );
}
