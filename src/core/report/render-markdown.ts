import type { Finding, Verdict } from "../types.js";
import { MARKS, treeLines, type TreeLine } from "./tree-lines.js";

/** GitHub refuses check-run summaries longer than this. */
export const CHECK_RUN_SUMMARY_LIMIT = 65_535;

/**
 * The verdict as a check-run summary: the summary line, a table of the verdict tree, who can
 * approve each open requirement, and the findings with file:line:col. Over `maxLength` it drops
 * satisfied and skipped rows first, then rows and findings from the end, and says what was cut.
 */
export function renderMarkdown(verdict: Verdict, options: { maxLength?: number } = {}): string {
  const max = options.maxLength ?? CHECK_RUN_SUMMARY_LIMIT;
  const rows = treeLines(verdict.rules);
  const open = rows.filter(
    (r) => r.node.status === "pending" && (r.node.candidates?.length ?? 0) > 0,
  );
  const full = compose(verdict, rows, open, verdict.findings, null);
  if (full.length <= max) return full;

  const serious = rows.filter((r) => r.node.status === "failed" || r.node.status === "pending");
  let cut = { rows: rows.length - serious.length, findings: 0 };
  let text = compose(verdict, serious, open, verdict.findings, cut);
  if (text.length <= max) return text;

  // Keep as many rows, approvers and findings as fit, in that order of importance.
  const head = compose(verdict, [], [], [], {
    rows: rows.length,
    findings: verdict.findings.length,
  });
  let room = max - head.length - 64;
  const keptRows: TreeLine[] = [];
  for (const row of serious) {
    const size = tableRow(row).length + 1;
    if (size > room) break;
    keptRows.push(row);
    room -= size;
  }
  const keptOpen: TreeLine[] = [];
  for (const row of open) {
    const size = approverLine(row).length + 1;
    if (size > room) break;
    keptOpen.push(row);
    room -= size;
  }
  const keptFindings: Finding[] = [];
  for (const finding of verdict.findings) {
    const size = findingLine(finding).length + 1;
    if (size > room) break;
    keptFindings.push(finding);
    room -= size;
  }
  cut = {
    rows: rows.length - keptRows.length,
    findings: verdict.findings.length - keptFindings.length,
  };
  text = compose(verdict, keptRows, keptOpen, keptFindings, cut);
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 2))}…\n`;
}

function compose(
  verdict: Verdict,
  rows: TreeLine[],
  open: TreeLine[],
  findings: Finding[],
  cut: { rows: number; findings: number } | null,
): string {
  const parts = [`### ${MARKS[verdict.rules.status]} ${escape(verdict.summary)}`, ""];
  if (rows.length > 0) {
    parts.push("| | Rule | Reason |", "|---|---|---|", ...rows.map(tableRow), "");
  }
  if (open.length > 0) parts.push("**Who can approve**", "", ...open.map(approverLine), "");
  if (findings.length > 0) parts.push("**Findings**", "", ...findings.map(findingLine), "");
  if (cut && (cut.rows > 0 || cut.findings > 0)) {
    const what = [
      cut.rows > 0 ? `${cut.rows} ${cut.rows === 1 ? "rule" : "rules"}` : "",
      cut.findings > 0 ? `${cut.findings} ${cut.findings === 1 ? "finding" : "findings"}` : "",
    ].filter((s) => s !== "");
    parts.push(
      `_${what.join(" and ")} left out to fit GitHub's size limit; run \`gatehouse check --format text\` on a clone for the full verdict._`,
      "",
    );
  }
  return parts.join("\n");
}

function tableRow({ depth, label, node }: TreeLine): string {
  const indent = "&nbsp;&nbsp;".repeat(depth);
  return `| ${MARKS[node.status]} | ${indent}\`${code(label)}\` | ${escape(node.reason)} |`;
}

function approverLine({ node }: TreeLine): string {
  return `- \`${code(node.id)}\`: ${escape((node.candidates ?? []).join(", "))}`;
}

function findingLine(f: Finding): string {
  return `- \`${code(`${f.path}:${f.line}:${f.column}`)}\` ${escape(f.code)}: ${escape(f.message)}`;
}

/** Table-safe Markdown text: no pipes, no raw HTML (a lone ">" is harmless inside a line), one line. */
function escape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

/** Text inside backticks cannot hold a backtick or a pipe in a table. */
function code(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, "\\|");
}
