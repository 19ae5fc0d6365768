import { andList } from "../evaluate/explain-slot.js";
import { branch } from "../evaluate/nodes.js";
import type { SlotOutcome } from "../evaluate/slot-nodes.js";
import type { Login, RuleResult } from "../types.js";
import type { DeploymentsResult } from "./judge-deployments.js";

/**
 * The `deployments` node of the verdict: one child per environment whose deployment files the
 * pull request changes. When all holds, its reason names the change, its window and the
 * executor: "production: deploy/production/app.yaml under CHG-2026-0001 (window 2026-11-26
 * 22:00–23:30 (Asia/Shanghai)), executed by chen-jie".
 */
export function deploymentNodes(
  result: DeploymentsResult,
  outcome: SlotOutcome,
  filled: Map<string, Login>,
): RuleResult[] {
  if (result.judgements.length === 0 && result.policyNode === null) return [];
  const children: RuleResult[] = result.policyNode ? [result.policyNode] : [];
  for (const j of result.judgements) {
    const under = j.changes.map(({ change, window }) => `${change.id} (window ${window})`);
    const executors = j.slots.flatMap((s) => filled.get(s.id) ?? []);
    const files = j.files.length === 1 ? j.files[0]! : `${j.files.length} files`;
    children.push(
      branch(
        j.id,
        [...j.rules, ...j.slots.map((s) => outcome.nodes.get(s.id)!)],
        `${j.environment}: ${files} under ${andList(under)}, executed by ${andList(executors)}`,
      ),
    );
  }
  if (result.policyNode) return [branch("deployments", children, "")];
  return [
    branch("deployments", children, "every deployment file is authorised by a scheduled change"),
  ];
}
