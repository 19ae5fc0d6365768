/**
 * Personal data anywhere in the working tree's scanned files, found by the gate's own privacy
 * stage: every file the privacy policy names is handed to it as if a pull request added it, so
 * the detectors, the allow-list and the messages are the gate's, and so is what "clean" means.
 * The gate looks only at what a pull request changes; before a push, everything is looked at.
 */
import { buildContext } from "../../core/evaluate/context.js";
import type { Policy } from "../../core/policy/model.js";
import { pathMatcher } from "../../core/paths/path-matcher.js";
import { parsePrivacyPolicy } from "../../core/privacy/privacy-policy.js";
import { scannedGlobs } from "../../core/privacy/scanned-globs.js";
import { privacyPolicyPath, privacyStage } from "../../core/privacy/stage.js";
import type { Finding, Snapshot } from "../../core/types.js";

/**
 * The privacy stage's findings over the files of `paths` that the privacy policy scans (`read`
 * gives a file's text, `undefined` when it cannot be read as text), or its reason when it failed
 * without naming a place. Nothing when the policy has no privacy.yml or a broken one (validate
 * reports the latter on its own).
 */
export async function privacyFindings(
  policy: Policy,
  paths: string[],
  read: (path: string) => Promise<string | undefined>,
  now: Date,
): Promise<Finding[]> {
  const policyPath = privacyPolicyPath(policy);
  const text = policy.files.get(policyPath);
  const privacy = text === undefined ? null : parsePrivacyPolicy(policyPath, text).policy;
  if (privacy === null) return [];
  const globs = scannedGlobs(privacy, policy.config);
  if (globs.length === 0) return [];
  const scanned = paths.filter(pathMatcher(globs));
  const head = new Map<string, string>();
  for (const path of scanned) {
    const content = await read(path);
    if (content !== undefined) head.set(path, content);
  }
  const snapshot: Snapshot = {
    repo: "working tree",
    author: "you",
    base: { sha: "", files: new Map() },
    head: { sha: "", files: head },
    changed: scanned.map((path) => ({ path, status: "added" as const })),
    commits: [],
    approvals: [],
    teams: {},
    labels: [],
    checks: {},
    now,
  };
  const result = await privacyStage.run(buildContext(snapshot, policy, [], new Map()));
  if (result === null || result.status !== "failed") return [];
  if (result.findings && result.findings.length > 0) return result.findings;
  return [
    {
      path: policyPath,
      line: 1,
      column: 1,
      code: "privacy/scan",
      message: result.reason,
    },
  ];
}
