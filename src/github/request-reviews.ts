/**
 * `request-reviews: true`: asks the people who can fill the open requirements for a review, so
 * that they hear about it without anyone having to find them.
 */
import type { Login, RuleResult, Snapshot, Verdict } from "../core/types.js";
import type { GitHubClient } from "./github-client.js";
import type { PullRequestRef } from "./load-snapshot.js";

/** GitHub accepts at most this many reviewers per request; more would only be noise anyway. */
const MAX_REVIEWERS = 15;

/** Requests reviews from candidates who have not reviewed yet; returns who was asked. */
export async function requestReviews(
  github: Pick<GitHubClient, "rest">,
  pull: PullRequestRef,
  snapshot: Snapshot,
  verdict: Verdict,
): Promise<Login[]> {
  const reviewed = new Set(snapshot.approvals.map((r) => r.user.toLowerCase()));
  const wanted = new Set<Login>();
  collect(verdict.rules, wanted);
  const reviewers = [...wanted]
    .filter((login) => login.toLowerCase() !== snapshot.author.toLowerCase())
    .filter((login) => !reviewed.has(login.toLowerCase()))
    .slice(0, MAX_REVIEWERS);
  if (reviewers.length === 0) return [];
  await github.rest.pulls.requestReviewers({
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    reviewers,
  });
  return reviewers;
}

function collect(rule: RuleResult, into: Set<Login>): void {
  if (rule.status !== "pending") return;
  for (const login of rule.candidates ?? []) into.add(login);
  for (const child of rule.children) collect(child, into);
}
