import type { Conclusion, RuleResult, Status } from "../types.js";
import { andList } from "./explain-slot.js";

/** The check-run conclusion of a root status. */
export function conclusionOf(status: Status): Conclusion {
  return status === "failed" ? "failure" : status === "pending" ? "pending" : "success";
}

/**
 * The essence of a verdict in one line: the first violation, and how many more there are
 * ("Blocked: CHG-2026-0042 draft -> closed is not a legal transition (and 1 more failure)"),
 * else what it waits for ("Waiting for qa and
 * release-manager"), else "All requirements met".
 */
export function summarize(root: RuleResult, wants: Map<string, string> = new Map()): string {
  if (root.status === "failed") {
    const first = firstLeaf(root, "failed");
    const more = failedLeaves(root) - 1;
    const others = more > 0 ? ` (and ${more} more ${more === 1 ? "failure" : "failures"})` : "";
    return `Blocked: ${(first?.reason ?? "a rule failed").split("; ")[0]}${others}`;
  }
  if (root.status === "pending") return `Waiting for ${andList(wantsBelow(root, wants))}`;
  return "All requirements met";
}

/** What the pending leaves under a node wait for, each once, in tree order. */
export function wantsBelow(root: RuleResult, wants: Map<string, string>): string[] {
  const words = new Set<string>();
  const visit = (node: RuleResult) => {
    if (node.status !== "pending") return;
    if (node.children.length === 0) words.add(wants.get(node.id) ?? wantOf(node));
    node.children.forEach(visit);
  };
  visit(root);
  return [...words];
}

function wantOf(node: RuleResult): string {
  if (node.id === "four-eyes") return "a second person's approval";
  if (node.id === "changes-requested")
    return `${andList(node.candidates ?? [])} to approve or the review to be dismissed`;
  const check = /\/checks\/(.+)$/.exec(node.id)?.[1];
  if (check !== undefined) return `the check "${check}"`;
  return node.reason.split("; ")[0] ?? node.id;
}

function firstLeaf(node: RuleResult, status: Status): RuleResult | undefined {
  if (node.status !== status) return undefined;
  if (node.children.length === 0) return node;
  for (const child of node.children) {
    const found = firstLeaf(child, status);
    if (found) return found;
  }
  return undefined;
}

function failedLeaves(node: RuleResult): number {
  if (node.status !== "failed") return 0;
  if (node.children.length === 0) return 1;
  return node.children.reduce((sum, child) => sum + failedLeaves(child), 0);
}
