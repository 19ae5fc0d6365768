/**
 * The shapes of the snapshot queries' answers, as far as the loader reads them. Nullable where
 * GitHub's schema says so: a deleted account is a null author, a binary blob has null text.
 */
import type { LedgerFolders } from "./ledger-queries.js";

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  /** How many items the connection holds in all; compared with what its pages brought. */
  totalCount?: number;
  pageInfo: PageInfo;
  nodes: Array<T | null> | null;
}

export interface BlobNode {
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}

export interface TreeNode {
  /** The tree's own id, when the query asks for it (to key and prove a cached listing). */
  oid?: string;
  entries?: Array<{
    path: string | null;
    /** The entry's name and git object id, when the query asks for them. */
    name?: string;
    oid?: string;
    /** "blob", "tree" or "commit" (a submodule), when the query asks for it. */
    type?: string;
    /** The git file mode as a number (0o120000 a symbolic link), when the query asks for it. */
    mode?: number;
    object: (BlobNode & TreeNode) | null;
  }> | null;
}

/** A path of a commit as a tree entry (`Commit.file`): its mode, type and, for a blob, text. */
export interface EntryNode {
  /** The entry's git object id, when the query asks for it. */
  oid?: string;
  mode: number;
  type: string;
  object: BlobNode | null;
}

export interface ActorNode {
  name: string | null;
  email: string | null;
  date: string | null;
  user: { login: string } | null;
}

export interface CommitNode {
  oid: string;
  message: string;
  tree: { oid: string };
  parents: { totalCount?: number; nodes: Array<{ oid: string } | null> | null };
  author: ActorNode | null;
  committer: ActorNode | null;
  signature: { signature: string; payload: string } | null;
}

export interface ReviewNode {
  author: { login: string } | null;
  state: string;
  submittedAt: string | null;
  commit: { oid: string } | null;
}

export type ContextNode =
  | {
      __typename: "CheckRun";
      name: string;
      status: string;
      conclusion: string | null;
      databaseId?: number | null;
      externalId?: string | null;
      checkSuite?: { app: { databaseId: number | null } | null } | null;
      annotations?: { totalCount: number } | null;
    }
  | { __typename: "StatusContext"; context: string; state: string };

export interface ChangedFileNode {
  path: string;
  changeType: string;
}

export interface PullRequestNode {
  number: number;
  state: "OPEN" | "CLOSED" | "MERGED";
  body: string;
  /** The number of files the pull request changes, also past the 3,000 that GitHub lists. */
  changedFiles?: number;
  author: { login: string } | null;
  headRefOid: string;
  baseRefName: string;
  baseRef: {
    target:
      | (BasePolicyNode & {
          oid?: string;
          config?: EntryNode | null;
          /** The change records' folder, by id (when the first query asked for it). */
          changes?: { oid: string; type: string } | null;
          /** Texts of changed files the first query guessed (g0, g1, …). */
          [guess: `g${number}`]: EntryNode | null | undefined;
        })
      | null;
  } | null;
  files: Connection<ChangedFileNode> | null;
  commits: Connection<{ commit: CommitNode }>;
  latestOpinionatedReviews: Connection<ReviewNode> | null;
  labels: Connection<{ name: string }> | null;
  headCommit: {
    nodes: Array<{
      commit: {
        oid: string;
        statusCheckRollup: { contexts: Connection<ContextNode> } | null;
        /** Texts of changed files (h0, …) and record folders by id (rt0, …) the query guessed. */
        [guess: `h${number}` | `rt${number}`]: EntryNode | null | undefined;
      };
    } | null> | null;
  };
}

/** The base commit's CODEOWNERS and policy directory, by id and, when asked, with texts. */
export interface BasePolicyNode {
  codeowners?: EntryNode | null;
  policies?: { oid?: string; type?: string; object?: TreeNode | null } | null;
}

/** A team's page of members, as a query asks it under alias `t<i>`. */
export type TeamAnswer = { team: { members: Connection<{ login: string }> } | null } | null;

/** An open pull request of the repository: which commit it heads, into which branch. */
export interface OpenPullNode {
  number: number;
  headRefOid: string;
  baseRefName: string;
}

export interface PullRequestAnswer {
  /** With the ledger's index folders when the first query asked for them (f0, f1, …). */
  repository:
    | (LedgerFolders & {
        /** GitHub's id of the repository: what cached texts are kept under, never its name. */
        databaseId?: number | null;
        nameWithOwner: string;
        openPulls?: Connection<OpenPullNode>;
        /** The base commit asked for by oid (a merged pull request judged again for evidence). */
        baseAt?: NonNullable<PullRequestNode["baseRef"]>["target"];
        pullRequest: PullRequestNode | null;
      })
    | null;
  [team: `t${number}`]: TeamAnswer | undefined;
}

export interface FollowUpAnswer {
  /** With the ledger's index folders when the query asked for them (f0, f1, …). */
  repository?:
    | (LedgerFolders & {
        pullRequest?: Partial<
          Pick<PullRequestNode, "files" | "commits" | "latestOpinionatedReviews" | "labels">
        >;
        checks?: { statusCheckRollup: { contexts: Connection<ContextNode> } | null } | null;
        openPulls?: Connection<OpenPullNode>;
        [file: `b${number}`]: { file?: EntryNode | null } | null;
        [records: `r${number}`]: TreeNode | null;
        changes?: TreeNode | null;
      })
    | null;
  [team: `t${number}`]: TeamAnswer | undefined;
}
