import type { RuleResult } from "../types.js";

/**
 * The tree with the skipped children of every node folded into one line ("skipped (nothing to
 * judge): paths, owners, …"), for readers who want the rules that decided, such as the demo's
 * one screen per step. A skipped rule decides nothing, so nothing a verdict rests on is hidden;
 * a lone skipped child stays as it is, since folding it would not save a line.
 */
export function collapseSkipped(node: RuleResult): RuleResult {
  const skipped = node.children.filter((child) => child.status === "skipped");
  const kept = node.children
    .filter((child) => child.status !== "skipped")
    .map((child) => collapseSkipped(child));
  if (skipped.length < 2) {
    return { ...node, children: node.children.map((child) => collapseSkipped(child)) };
  }
  const labels = skipped.map((child) => relativeId(child.id, node.id));
  // Named like its siblings (the root's children carry no prefix), so the renderers label it
  // "skipped"; its reason starts with that label, so they print the reason alone.
  const nested = skipped.every((child) => child.id.startsWith(`${node.id}/`));
  const folded: RuleResult = {
    id: nested ? `${node.id}/skipped` : "skipped",
    status: "skipped",
    reason: `skipped (nothing to judge): ${labels.join(", ")}`,
    children: [],
  };
  return { ...node, children: [...kept, folded] };
}

function relativeId(id: string, parent: string): string {
  return parent !== "" && id.startsWith(`${parent}/`) ? id.slice(parent.length + 1) : id;
}
