/**
 * The issue a merge that bypassed gatehouse opens: labelled `gatehouse:bypass`, naming who
 * merged, when, and what the check was missing, so that someone answers for it. The evidence
 * document says the same; the issue is where people see it.
 *
 * Opened at least once and never twice: every delivery of the merge whose evidence records a
 * bypass (the first, a redelivery after opening the issue failed, another replica) looks for the
 * App's own issue naming the merge commit in its marker, and opens it only when there is none.
 * The look and the opening hold one lock per merge, so two deliveries at once open one issue
 * (across replicas when they share Redis).
 */
import type { EvidencePredicate } from "../core/evidence/model.js";
import type { RuleResult, Verdict } from "../core/types.js";
import type { GitHubClient } from "./github-client.js";
import type { JudgeDeps } from "./judge-pull-request.js";
import { ownIssues } from "./own-issues.js";
import type { MergedPull } from "./record-merge.js";

export const BYPASS_LABEL = "gatehouse:bypass";

/** How long one delivery may hold the merge's lock while it looks and opens. */
const LOCK_MS = 60_000;
/** GitHub's clocks may differ a little: the issue is looked for from a day before the merge. */
const SLACK_MS = 24 * 3600 * 1000;

/** The line of the issue's body that names the merge it is about (hidden when rendered). */
export function bypassMarker(merge: string): string {
  return `<!-- gatehouse:bypass merge=${merge} -->`;
}

export type BypassIssue = { kind: "found" | "opened"; number: number };

/** Finds the App's bypass issue of the merge, or opens it. Throws when it can do neither. */
export async function ensureBypassIssue(
  github: Pick<GitHubClient, "rest" | "paginate">,
  deps: Pick<JudgeDeps, "store" | "appId">,
  repo: { owner: string; repo: string },
  issue: { pull: MergedPull; written: EvidencePredicate; verdict: Verdict },
): Promise<BypassIssue> {
  const { pull } = issue;
  const marker = bypassMarker(pull.merge);
  return deps.store.exclusive(
    `bypass:${repo.owner}/${repo.repo}@${pull.merge}`,
    LOCK_MS,
    async () => {
      const since = new Date(Date.parse(pull.mergedAt) - SLACK_MS);
      const mine = await ownIssues(github, repo, {
        label: BYPASS_LABEL,
        appId: deps.appId,
        ...(Number.isNaN(since.getTime()) ? {} : { since: since.toISOString() }),
      });
      const found = mine.find((i) => i.body.split("\n").includes(marker));
      if (found) return { kind: "found", number: found.number };
      return { kind: "opened", number: await openBypassIssue(github, repo, issue) };
    },
  );
}

/** Opens the issue; returns its number. */
async function openBypassIssue(
  github: Pick<GitHubClient, "rest">,
  repo: { owner: string; repo: string },
  { pull, written, verdict }: { pull: MergedPull; written: EvidencePredicate; verdict: Verdict },
): Promise<number> {
  const who = pull.mergedBy ? `@${pull.mergedBy}` : "someone GitHub does not name";
  const missing = openRules(verdict.rules).slice(0, 20);
  const body = [
    `#${pull.number} was merged into \`${written.base.ref}\` by ${who} on ${pull.mergedAt} while its \`gatehouse\` check was ${written.check.conclusion ?? "absent"}.`,
    "",
    `**What was missing:** ${verdict.summary}`,
    "",
    ...missing.map((rule) => `- ${rule}`),
    ...(missing.length > 0 ? [""] : []),
    `The evidence ledger records this merge as a bypass: document #${written.sequence} on ${written.merge.sha} in \`refs/notes/gatehouse\` (\`gatehouse audit\` lists it).`,
    "Please say here who allowed it and why, and bring the records it changed back under review.",
    "",
    bypassMarker(pull.merge),
  ].join("\n");
  const { data } = await github.rest.issues.create({
    ...repo,
    title: `gatehouse: #${pull.number} was merged without a passing gatehouse check`,
    body,
    labels: [BYPASS_LABEL],
  });
  return data.number;
}

/** The reasons of the rules that failed or were still open, leaves first. */
function openRules(node: RuleResult): string[] {
  if (node.status !== "failed" && node.status !== "pending") return [];
  if (node.children.length === 0)
    return [`${node.status === "failed" ? "failed" : "waiting"}: ${node.reason}`];
  return node.children.flatMap(openRules);
}
