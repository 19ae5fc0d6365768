/**
 * Commits as GitHub reports them: `verification.signature` and `verification.payload` beside
 * the commit's own tree, parents and people. GitHub's `verified` flag is never used; the
 * payload is checked to describe this very commit, then its signature is verified here.
 */
import type { Commit, Person } from "../types.js";
import { signatureFormat } from "./commit-payload.js";
import { judgeCommit, type CommitJudgement, type JudgeOptions } from "./judge-commit.js";
import type { Keyring } from "./keyring.js";

export { payloadMismatch, signatureFormat } from "./commit-payload.js";

/** A commit as the REST API returns it (`GET /repos/{o}/{r}/commits/{sha}` or a PR's commits). */
export interface GitHubCommitInput {
  sha: string;
  tree: string;
  parents: string[];
  author: Person;
  committer: Person;
  message: string;
  /** `commit.verification.signature`; null for an unsigned commit. */
  signature: string | null;
  /** `commit.verification.payload`; null for an unsigned commit. */
  payload: string | null;
}

/** The domain commit of a GitHub commit, with its signature when it has one. */
export function gitHubCommit(input: GitHubCommitInput): Commit {
  const commit: Commit = {
    sha: input.sha,
    parents: input.parents,
    tree: input.tree,
    author: input.author,
    committer: input.committer,
    message: input.message,
  };
  if (input.signature !== null && input.payload !== null) {
    commit.signature = {
      format: signatureFormat(input.signature),
      signature: input.signature,
      payload: input.payload,
    };
  }
  return commit;
}

/**
 * Judges a commit as GitHub returns it: checks that the payload's tree and parents match the
 * commit, then verifies the signature against the keyring and the author's login.
 */
export function verifyGitHubCommit(
  input: GitHubCommitInput,
  keyring: Keyring,
  options: JudgeOptions,
): Promise<CommitJudgement> {
  return judgeCommit(gitHubCommit(input), keyring, options);
}
