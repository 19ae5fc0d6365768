/**
 * The issues of a label that this App opened, to open each of its issues once. Anyone who may
 * open issues can copy a title and a marker, and anyone with triage access can add a label, so
 * an issue counts only when GitHub names this App as the one who opened it
 * (`performed_via_github_app`); otherwise a fake issue could suppress the real one.
 */
import type { GitHubClient } from "./github-client.js";

export interface OwnIssue {
  number: number;
  title: string;
  body: string;
}

/**
 * This App's issues with `label`, open or closed (a closed one was answered: it still counts),
 * updated since `since` when given. With no App id nothing counts: an issue may then be opened
 * twice, never suppressed.
 */
export async function ownIssues(
  github: Pick<GitHubClient, "rest" | "paginate">,
  repo: { owner: string; repo: string },
  query: { label: string; appId: number | undefined; since?: string },
): Promise<OwnIssue[]> {
  if (query.appId === undefined) return [];
  const issues = await github.paginate(github.rest.issues.listForRepo, {
    ...repo,
    labels: query.label,
    state: "all",
    per_page: 100,
    ...(query.since === undefined ? {} : { since: query.since }),
  });
  return issues
    .filter((issue) => !issue.pull_request && issue.performed_via_github_app?.id === query.appId)
    .map((issue) => ({ number: issue.number, title: issue.title, body: issue.body ?? "" }));
}
