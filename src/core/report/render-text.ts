import type { Status, Verdict } from "../types.js";
import { MARKS, treeLines } from "./tree-lines.js";

const COLORS: Record<Status, string> = {
  satisfied: "\x1b[32m",
  failed: "\x1b[31m",
  pending: "\x1b[33m",
  skipped: "\x1b[2m",
};
const RESET = "\x1b[0m";

/**
 * The verdict for a terminal: the summary, the rule tree with ✔ ✖ … – marks, then the findings
 * as `file:line:col code message`. ANSI colours only when asked (the CLI asks on a TTY).
 */
export function renderText(verdict: Verdict, options: { color: boolean }): string {
  const paint = (status: Status, text: string) =>
    options.color ? `${COLORS[status]}${text}${RESET}` : text;
  const lines = [paint(verdict.rules.status, `${MARKS[verdict.rules.status]} ${verdict.summary}`)];
  for (const { depth, label, node } of treeLines(verdict.rules)) {
    lines.push(
      `${"  ".repeat(depth + 1)}${paint(node.status, MARKS[node.status])} ${labelled(label, node.reason)}`,
    );
  }
  if (verdict.findings.length > 0) {
    lines.push("", "Findings:");
    for (const f of verdict.findings)
      lines.push(`  ${f.path}:${f.line}:${f.column} ${f.code} ${f.message}`);
  }
  return `${lines.join("\n")}\n`;
}

/** "label: reason", or the reason alone when it already starts with the label ("1a2b3c4 is not signed"). */
function labelled(label: string, reason: string): string {
  return reason.startsWith(`${label} `) ? reason : `${label}: ${reason}`;
}
