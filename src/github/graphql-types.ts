/**
 * The shapes of the snapshot queries' answers, as far as the loader reads them. Nullable where
 * GitHub's schema says so: a deleted account is a null author, a binary blob has null text.
 */

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
  entries?: Array<{
    path: string | null;
    /** "blob", "tree" or "commit" (a submodule), when the query asks for it. */
    type?: string;
    /** The git file mode as a number (0o120000 a symbolic link), when the query asks for it. */
    mode?: number;
    object: (BlobNode & TreeNode) | null;
  }> | null;
}

/** A path of a commit as a tree entry (`Commit.file`): its mode, type and, for a blob, text. */
export interface EntryNode {
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
    target: {
      oid?: string;
      config?: EntryNode | null;
      codeowners?: EntryNode | null;
      policies?: { object: TreeNode | null } | null;
    } | null;
  } | null;
  files: Connection<ChangedFileNode> | null;
  commits: Connection<{ commit: CommitNode }>;
  latestOpinionatedReviews: Connection<ReviewNode> | null;
  labels: Connection<{ name: string }> | null;
  headCommit: {
    nodes: Array<{
      commit: { oid: string; statusCheckRollup: { contexts: Connection<ContextNode> } | null };
    } | null> | null;
  };
}

/** An open pull request of the repository: which commit it heads, into which branch. */
export interface OpenPullNode {
  number: number;
  headRefOid: string;
  baseRefName: string;
}

export interface PullRequestAnswer {
  repository: {
    nameWithOwner: string;
    openPulls?: Connection<OpenPullNode>;
    /** The base commit asked for by oid (a merged pull request judged again for evidence). */
    baseAt?: NonNullable<PullRequestNode["baseRef"]>["target"];
    pullRequest: PullRequestNode | null;
  } | null;
}

export interface FollowUpAnswer {
  repository?: {
    pullRequest?: Partial<
      Pick<PullRequestNode, "files" | "commits" | "latestOpinionatedReviews" | "labels">
    >;
    checks?: { statusCheckRollup: { contexts: Connection<ContextNode> } | null } | null;
    openPulls?: Connection<OpenPullNode>;
    [file: `b${number}`]: { file?: EntryNode | null } | null;
    [records: `r${number}`]: TreeNode | null;
    changes?: TreeNode | null;
  } | null;
  [team: `t${number}`]: { team: { members: Connection<{ login: string }> } | null } | null;
}
