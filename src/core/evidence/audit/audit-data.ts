/**
 * The audit report for tools: JSON (the whole report) and CSV (one flat table an auditor can
 * sort and filter in a spreadsheet: one row per act, transition, problem, missing commit,
 * finding and overdue emergency review, told apart by the `kind` column).
 */
import { maskText } from "../../privacy/stream-masker.js";
import type { AuditReport } from "./audit.js";

/** The report as JSON, commit subjects masked as in the text. */
export function auditJson(report: AuditReport): string {
  const masked = {
    ...report,
    population: {
      ...report.population,
      missing: report.population.missing.map((m) => ({ ...m, subject: maskText(m.subject) })),
    },
  };
  return `${JSON.stringify(masked, null, 2)}\n`;
}

const COLUMNS = [
  "kind",
  "record",
  "sequence",
  "commit",
  "pull_request",
  "date",
  "from",
  "to",
  "login",
  "role",
  "action",
  "section",
  "detail",
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

/** The report as one CSV table (RFC 4180: quoted where needed, CRLF line ends). */
export function auditCsv(report: AuditReport): string {
  const rows: Row[] = [];
  for (const problem of report.problems) {
    rows.push({
      kind: "problem",
      sequence: problem.sequence ?? null,
      commit: problem.commit ?? null,
      action: problem.kind,
      detail: problem.message,
    });
  }
  for (const m of report.population.missing) {
    rows.push({
      kind: "missing",
      commit: m.commit,
      date: m.date,
      detail: `${maskText(m.subject)}: ${m.paths.join(" ")}`,
    });
  }
  for (const record of report.records) {
    for (const e of record.events) {
      const common = {
        record: record.id,
        sequence: e.sequence,
        pull_request: e.pullRequest,
        date: e.at,
        from: e.from,
        to: e.to,
      };
      rows.push({
        kind: e.event === "baseline" ? "baseline" : "transition",
        ...common,
        login: e.author,
        detail: [e.mergedBy ? `merged by ${e.mergedBy}` : "", e.bypass ? `bypass: ${e.bypass}` : ""]
          .filter((d) => d !== "")
          .join("; "),
      });
      for (const act of e.acts) {
        rows.push({
          kind: "act",
          ...common,
          login: act.login,
          role: act.role,
          action: act.action,
          section: act.section ?? null,
        });
      }
    }
    for (const finding of record.findings) {
      rows.push({
        kind: "finding",
        record: record.id,
        action: finding.kind,
        detail: finding.message,
      });
    }
  }
  for (const o of report.overdue) {
    rows.push({
      kind: "overdue",
      record: o.id,
      date: o.due,
      to: o.state,
      role: o.reviewers.join(" "),
      detail: `post-implementation review due by ${o.dueLocal} (window ended ${o.windowEnd})`,
    });
  }
  const lines = [
    COLUMNS.join(","),
    ...rows.map((row) => COLUMNS.map((c) => cell(row[c])).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // A cell a spreadsheet would run as a formula is quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
