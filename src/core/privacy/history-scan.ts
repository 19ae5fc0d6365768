/**
 * The personal-data scan of a pull request's history: what each commit added, so that a value
 * added by one commit and removed by a later one is still found (it stays in the branch and
 * reaches the default branch with a merge commit), with the commit that added it.
 *
 * Linear: each commit's added lines are scanned once ({@link scanFile}); their total is the
 * size of the pull request's changes, bounded by the adapters.
 */
import type { CommitAdditions, Finding } from "../types.js";
import type { ScanOptions } from "./find-hits.js";
import {
  historyFinding,
  nameFinding,
  tooDeepFinding,
  unreadableFinding,
} from "./privacy-findings.js";
import { scanFile, type FileHit } from "./scan-file.js";
import { scanText } from "./scan-text.js";

export interface HistoryScan {
  /** Findings of values and names that the head no longer holds, and of unreadable additions. */
  findings: Finding[];
  /** The first commit that added each value (by {@link FileHit.key}) or file name. */
  addedBy: Map<string, string>;
}

export interface HistoryInput {
  additions: readonly CommitAdditions[];
  /** Whether a path is scanned. */
  scanned: (path: string) => boolean;
  /** Keys of the values found at the head, and the file names at the head. */
  atHead: ReadonlySet<string>;
  options: ScanOptions;
  policyPath: string;
}

/** Scans what each commit added, oldest first. */
export function scanHistory(input: HistoryInput): HistoryScan {
  const findings: Finding[] = [];
  const addedBy = new Map<string, string>();
  const reported = new Set<string>();
  for (const commit of input.additions) {
    for (const file of commit.files) {
      if (!input.scanned(file.path)) continue;
      for (const hit of nameHits(file.path, input.options)) {
        if (addedBy.has(hit.key)) continue;
        addedBy.set(hit.key, commit.sha);
        if (!input.atHead.has(hit.key)) findings.push(nameFinding(file.path, hit, commit.sha));
      }
      if (file.unreadable !== undefined) {
        findings.push(unreadableFinding(file.path, file.unreadable, input.policyPath, commit.sha));
        continue;
      }
      if (file.text === "") continue;
      const scan = scanFile(file.path, file.text, input.options);
      if (scan.tooDeep) {
        const line = file.lines[scan.tooDeep.line - 1] ?? scan.tooDeep.line;
        findings.push(tooDeepFinding(file.path, { line, column: scan.tooDeep.column }));
      }
      for (const hit of scan.hits) {
        if (!addedBy.has(hit.key)) addedBy.set(hit.key, commit.sha);
        if (input.atHead.has(hit.key) || reported.has(hit.key)) continue;
        reported.add(hit.key);
        const line = file.lines[hit.line - 1] ?? hit.line;
        findings.push(historyFinding(commit.sha, file.path, { ...hit, line }));
      }
    }
  }
  return { findings, addedBy };
}

/** The values in a file's name, as hits of a one-line text; their keys are told apart from values'. */
export function nameHits(path: string, options: ScanOptions): FileHit[] {
  return scanText(path, options).map((hit) => ({
    detector: hit.detector,
    confidence: hit.confidence,
    line: 1,
    column: hit.column,
    masked: hit.masked,
    decoded: false,
    key: `name\u0000${path}\u0000${hit.start}`,
  }));
}
