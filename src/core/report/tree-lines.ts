import type { RuleResult, Status } from "../types.js";

/** One node of the verdict tree, flattened for rendering. */
export interface TreeLine {
  depth: number;
  /** The id relative to its parent's ("requires/qa" under "records/changes/CHG-2026-0042.yaml"). */
  label: string;
  node: RuleResult;
}

export const MARKS: Record<Status, string> = {
  satisfied: "✔",
  failed: "✖",
  pending: "…",
  skipped: "–",
};

/** The nodes below the root in tree order, with their depth (children of the root at 0). */
export function treeLines(root: RuleResult): TreeLine[] {
  const out: TreeLine[] = [];
  const visit = (node: RuleResult, parent: string, depth: number) => {
    const label =
      parent !== "" && node.id.startsWith(`${parent}/`)
        ? node.id.slice(parent.length + 1)
        : node.id;
    out.push({ depth, label, node });
    for (const child of node.children) visit(child, node.id, depth + 1);
  };
  for (const child of root.children) visit(child, "", 0);
  return out;
}
