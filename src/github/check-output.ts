/**
 * What the `gatehouse` check run shows for a verdict: a title with the essence, the summary the
 * core renders (the verdict tree, who can approve each open requirement, the findings), and
 * annotations on the lines of the findings. Everything is cut to GitHub's size limits, saying so where something was left out.
 */
import { renderMarkdown } from "../core/report/render-markdown.js";
import type { Finding, Verdict } from "../core/types.js";

/** GitHub's limits for a check run's output (REST "Create a check run"). */
export const LIMITS = {
  title: 255,
  summary: 65_535,
  annotationsPerRequest: 50,
  /**
   * One request's worth: a judgement writes once (see report-check.ts), and the summary lists
   * every finding with its place, saying how many were not annotated on their lines.
   */
  annotations: 50,
  annotationMessage: 4_000,
} as const;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  annotations: Annotation[];
}

/** Cuts text to `max` characters, ending with a note that it was cut. */
export function truncate(text: string, max: number, note = "…"): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

/** The output of the check run for a verdict. */
export function checkOutput(verdict: Verdict): CheckOutput {
  const shown = verdict.findings.slice(0, LIMITS.annotations);
  const left = verdict.findings.length - shown.length;
  const note =
    left > 0
      ? `\n_${left} more findings are not annotated on their lines; they are listed above as long as room allows._\n`
      : "";
  return {
    title: truncate(verdict.summary, LIMITS.title),
    summary: renderMarkdown(verdict, { maxLength: LIMITS.summary - note.length }) + note,
    annotations: shown.map(toAnnotation),
  };
}

function toAnnotation(finding: Finding): Annotation {
  return {
    path: finding.path,
    start_line: Math.max(1, finding.line),
    end_line: Math.max(1, finding.line),
    start_column: Math.max(1, finding.column),
    end_column: Math.max(1, finding.column),
    annotation_level: "failure",
    message: truncate(finding.message, LIMITS.annotationMessage),
    title: truncate(finding.code, LIMITS.title),
  };
}
