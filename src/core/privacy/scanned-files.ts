/**
 * What the personal-data gate scans of a pull request: the changed files the policy names, at
 * the head (text, YAML values as read, file names), and what every commit added.
 */
import type { EvaluationContext } from "../evaluate/context.js";
import { pathMatcher } from "../paths/path-matcher.js";
import type { Finding } from "../types.js";
import type { ScanOptions } from "./find-hits.js";
import { nameHits, scanHistory, type HistoryScan } from "./history-scan.js";
import { nameFinding, tooDeepFinding, unreadableFinding } from "./privacy-findings.js";
import type { PrivacyPolicy } from "./privacy-policy.js";
import { scanFile, type FileHit } from "./scan-file.js";
import { scannedGlobs } from "./scanned-globs.js";

/**
 * Whether the policy scans a path: its globs, and with `records: true` every record, also one
 * standing outside the record directories (a file declaring a record kind is a record anywhere).
 */
export function scanMatcher(
  ctx: EvaluationContext,
  policy: PrivacyPolicy,
): (path: string) => boolean {
  const matches = pathMatcher(scannedGlobs(policy, ctx.policy.config));
  const records = new Set(policy.records ? ctx.records.map((r) => r.path) : []);
  return (path) => records.has(path) || matches(path);
}

/** The changed, not removed files that the policy scans, in the order of the pull request. */
export function scannedPaths(ctx: EvaluationContext, policy: PrivacyPolicy): string[] {
  const matches = scanMatcher(ctx, policy);
  return ctx.snapshot.changed
    .filter((file) => file.status !== "removed" && matches(file.path))
    .map((file) => file.path);
}

export interface HeadScan {
  file: string;
  hits: FileHit[];
  /** Findings that are no value in the text: its name, an unreadable file, one nested too deeply. */
  problems: Finding[];
  /** Keys of the values and names found, to tell them from what only the history holds. */
  keys: string[];
}

/** One scanned file at the head: its name, its text, and its YAML values as read. */
export function headScan(
  ctx: EvaluationContext,
  file: string,
  options: ScanOptions,
  policyPath: string,
): HeadScan {
  const names = nameHits(file, options);
  const problems = names.map((hit) => nameFinding(file, hit));
  const content = ctx.snapshot.head.files.get(file);
  if (content === undefined) {
    problems.push(unreadableFinding(file, "binary or too large", policyPath));
    return { file, hits: [], problems, keys: names.map((h) => h.key) };
  }
  const scan = scanFile(file, content, options);
  if (scan.tooDeep) problems.push(tooDeepFinding(file, scan.tooDeep));
  return { file, hits: scan.hits, problems, keys: [...names, ...scan.hits].map((h) => h.key) };
}

/**
 * What the commits of the pull request added, scanned. A single commit with one parent added
 * exactly what the head shows; anything more needs the adapter's additions, and without them
 * the history cannot be shown clean (fail closed).
 */
export function historyOf(
  ctx: EvaluationContext,
  policy: PrivacyPolicy,
  atHead: ReadonlySet<string>,
  options: ScanOptions,
  policyPath: string,
): HistoryScan & { commits: number } {
  const { commits, additions } = ctx.snapshot;
  if (additions === undefined) {
    const needed = commits.length > 1 || commits.some((c) => c.parents.length > 1);
    if (!needed) return { findings: [], addedBy: new Map(), commits: 0 };
    const unread: Finding = {
      path: policyPath,
      line: 1,
      column: 1,
      code: "privacy/history-unread",
      message: `the ${commits.length} commits of this pull request could not be read one by one, so the branch's history cannot be shown free of personal data; judge it again, or squash the branch into one commit`,
    };
    return { findings: [unread], addedBy: new Map(), commits: 0 };
  }
  const scanned = scanMatcher(ctx, policy);
  const scan = scanHistory({ additions, scanned, atHead, options, policyPath });
  return { ...scan, commits: additions.length };
}
