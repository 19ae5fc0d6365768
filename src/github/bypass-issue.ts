/**
 * The issue a merge that bypassed gatehouse opens: labelled `gatehouse:bypass`, naming who
 * merged, when, and what the check was missing, so that someone answers for it. The evidence
 * document says the same; the issue is where people see it.
 */
import type { EvidencePredicate } from "../core/evidence/model.js";
import type { RuleResult, Verdict } from "../core/types.js";
import type { GitHubClient } from "./github-client.js";
import type { MergedPull } from "./record-merge.js";

export const BYPASS_LABEL = "gatehouse:bypass";

/** Opens the issue; returns its number. */
export async function openBypassIssue(
  github: Pick<GitHubClient, "rest">,
  repo: { owner: string; repo: string },
  pull: MergedPull,
  written: EvidencePredicate,
  verdict: Verdict,
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
