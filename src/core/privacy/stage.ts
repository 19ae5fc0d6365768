/**
 * The personal-data gate as a stage of the evaluation. Every changed file the privacy policy
 * names is scanned in its head version (its text, and a YAML file's values as YAML reads them),
 * its name too, and so is what every commit of the pull request added: a value removed by a
 * later commit is still in the branch's history. Each detection fails the verdict with file,
 * line, column, detector and a masked preview; the raw value never leaves the privacy module.
 */
import type { EvaluationContext } from "../evaluate/context.js";
import type { Stage } from "../evaluate/stage.js";
import type { Policy } from "../policy/model.js";
import type { Finding, RuleResult } from "../types.js";
import { headFinding, shownPath } from "./privacy-findings.js";
import { parsePrivacyPolicy } from "./privacy-policy.js";
import { headScan, historyOf, scannedPaths } from "./scanned-files.js";

const ID = "privacy";

/** Where the privacy policy lives: `<policies>/privacy.yml`. */
export function privacyPolicyPath(policy: Policy): string {
  return `${policy.config.policies.replace(/\/+$/, "")}/privacy.yml`;
}

export const privacyStage: Stage = {
  name: "privacy",
  async run(ctx: EvaluationContext): Promise<RuleResult | null> {
    const path = privacyPolicyPath(ctx.policy);
    try {
      return judge(ctx, path);
    } catch (error) {
      // Fail closed: a scan that broke has not shown the files are clean.
      const why = error instanceof Error ? error.message : String(error);
      return result(
        "failed",
        `the personal-data scan could not finish (${why}); the change cannot pass until it does`,
        [],
      );
    }
  },
};

function judge(ctx: EvaluationContext, path: string): RuleResult {
  const text = ctx.policy.files.get(path);
  if (text === undefined) {
    return result(
      "skipped",
      `personal-data scanning is not configured: add ${path} to turn it on`,
      [],
    );
  }
  const load = parsePrivacyPolicy(path, text);
  if (load.policy === null) {
    const n = load.findings.length;
    return result(
      "failed",
      `${path} has ${n} ${n === 1 ? "mistake" : "mistakes"}, so no file can be shown free of personal data; fix ${n === 1 ? "it" : "them"}`,
      [],
      load.findings,
    );
  }
  const options = { detectors: load.policy.detectors, allow: load.policy.allow };
  const scanned = scannedPaths(ctx, load.policy);
  const head = scanned.map((file) => headScan(ctx, file, options, path));
  const atHead = new Set(head.flatMap((h) => h.keys));
  const history = historyOf(ctx, load.policy, atHead, options, path);

  const children: RuleResult[] = [];
  const findings: Finding[] = [];
  for (const { file, hits, problems } of head) {
    const own = [
      ...problems,
      ...hits.map((hit) => headFinding(file, hit, path, history.addedBy.get(hit.key))),
    ];
    findings.push(...own);
    children.push(fileResult(file, hits.length, problems.length));
  }
  const earlier = history.findings.length;
  if (earlier > 0) {
    findings.push(...history.findings);
    const unread = history.findings.filter(isUnreadable).length;
    children.push(
      result(
        "failed",
        unread === earlier
          ? `what ${unread === 1 ? "a commit" : `${unread} commits`} of the branch added could not be read for the personal-data scan; make the files UTF-8 text under the size limit`
          : `${earlier} ${earlier === 1 ? "finding" : "findings"} in earlier commits of the branch; rewrite the branch so that no commit holds personal data`,
        [],
        undefined,
        `${ID}/history`,
      ),
    );
  }
  if (findings.length > 0) {
    const files = head.filter((_, i) => children[i]?.status === "failed").length;
    const where =
      earlier === 0
        ? `${files} of ${scanned.length} scanned ${scanned.length === 1 ? "file" : "files"}`
        : `${files} of ${scanned.length} scanned ${scanned.length === 1 ? "file" : "files"} and in the branch's history`;
    // A file the scan could not read is not shown to hold personal data: say what it is.
    const scannedFiles = `${scanned.length === 1 ? "file" : "files"}`;
    const unread = [
      ...(files > 0 ? [`${files} of ${scanned.length} scanned ${scannedFiles}`] : []),
      ...(earlier > 0 ? ["what the branch's commits added"] : []),
    ].join(" and ");
    const reason = findings.every(isUnreadable)
      ? `${unread} could not be read for the personal-data scan, so it cannot be shown free of personal data; make it UTF-8 text under the size limit`
      : `personal data in ${where}; desensitise it with \`gatehouse mask\` before merging`;
    return result("failed", reason, children, findings);
  }
  if (scanned.length === 0 && history.commits === 0) {
    return result("skipped", "no changed file is in the paths the privacy policy scans", []);
  }
  const commits =
    history.commits > 0
      ? ` and what ${history.commits} ${history.commits === 1 ? "commit" : "commits"} added`
      : "";
  return result(
    "satisfied",
    `no personal data in ${scanned.length} scanned ${scanned.length === 1 ? "file" : "files"}${commits}`,
    children,
  );
}

const isUnreadable = (finding: Finding): boolean => finding.code === "privacy/unreadable";

function fileResult(file: string, count: number, unread: number): RuleResult {
  const id = `${ID}/${shownPath(file)}`;
  if (count === 0 && unread > 0) {
    const why =
      "could not be read for the personal-data scan; make it UTF-8 text under the size limit";
    return result("failed", why, [], undefined, id);
  }
  if (count === 0) return result("satisfied", "no personal data found", [], undefined, id);
  return result(
    "failed",
    `${count} ${count === 1 ? "value" : "values"} of personal data; desensitise ${count === 1 ? "it" : "them"} before merging`,
    [],
    undefined,
    id,
  );
}

function result(
  status: RuleResult["status"],
  reason: string,
  children: RuleResult[],
  findings?: Finding[],
  id = ID,
): RuleResult {
  return findings === undefined
    ? { id, status, reason, children }
    : { id, status, reason, children, findings };
}
