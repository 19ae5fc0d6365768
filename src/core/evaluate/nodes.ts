import type { Finding, Login, RuleResult, Status } from "../types.js";
import { worstStatus } from "../types.js";

/** A leaf of the verdict tree. */
export function leaf(
  id: string,
  status: Status,
  reason: string,
  extra: { findings?: Finding[]; candidates?: Login[] } = {},
): RuleResult {
  const node: RuleResult = { id, status, reason, children: [] };
  if (extra.findings && extra.findings.length > 0) node.findings = extra.findings;
  if (extra.candidates) node.candidates = extra.candidates;
  return node;
}

/**
 * An inner node whose status is the worst of its children; its reason is the first reason of
 * its worst child, or `fine` when everything holds (`skipped` with `empty` when it has none).
 */
export function branch(id: string, children: RuleResult[], fine: string, empty = fine): RuleResult {
  const status = worstStatus(children.map((c) => c.status));
  let reason = children.length === 0 ? empty : fine;
  if (status === "pending" || status === "failed") {
    reason = children.find((c) => c.status === status)!.reason;
  }
  return { id, status, reason, children };
}

/** Every finding in a tree, in tree order, each once. */
export function collectFindings(
  node: RuleResult,
  out: Finding[] = [],
  seen = new Set<Finding>(),
): Finding[] {
  for (const finding of node.findings ?? []) {
    if (!seen.has(finding)) {
      seen.add(finding);
      out.push(finding);
    }
  }
  for (const child of node.children) collectFindings(child, out, seen);
  return out;
}
