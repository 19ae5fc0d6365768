/**
 * The personal-data gate as a stage of the evaluation: every changed file the privacy policy
 * names is scanned in its head version, and each detection fails the verdict with file, line,
 * column, detector and a masked preview. The raw value never leaves this module.
 */
import { pathMatcher } from "../paths/path-matcher.js";
import type { EvaluationContext } from "../evaluate/context.js";
import type { Stage } from "../evaluate/stage.js";
import type { Policy } from "../policy/model.js";
import type { Finding, RuleResult } from "../types.js";
import { DETECTORS } from "./detector.js";
import { parsePrivacyPolicy, type PrivacyPolicy } from "./privacy-policy.js";
import { scannedGlobs } from "./scanned-globs.js";
import { scanText } from "./scan-text.js";

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
  const scanned = scannedPaths(ctx, load.policy);
  const children: RuleResult[] = [];
  const findings: Finding[] = [];
  for (const file of scanned) {
    const content = ctx.snapshot.head.files.get(file);
    const own: Finding[] = [];
    if (content === undefined) {
      own.push({
        path: file,
        line: 1,
        column: 1,
        code: "privacy/unreadable",
        message: `${file} could not be read for the personal-data scan (binary or too large); make it a text file under the size limit, or take it out of the scanned paths in ${path}`,
      });
    } else {
      for (const hit of scanText(content, {
        detectors: load.policy.detectors,
        allow: load.policy.allow,
      })) {
        const info = DETECTORS[hit.detector];
        own.push({
          path: file,
          line: hit.line,
          column: hit.column,
          code: `privacy/${hit.detector}`,
          message:
            `${info.title} ${hit.masked} (detector ${hit.detector}, confidence ${hit.confidence.toFixed(2)}); ` +
            `desensitise it with \`gatehouse mask\`, or add an allow-list entry with a reason to ${path}`,
        });
      }
    }
    findings.push(...own);
    children.push(
      own.length === 0
        ? result("satisfied", "no personal data found", [], undefined, `${ID}/${file}`)
        : result(
            "failed",
            `${own.length} ${own.length === 1 ? "value" : "values"} of personal data; desensitise ${own.length === 1 ? "it" : "them"} before merging`,
            [],
            undefined,
            `${ID}/${file}`,
          ),
    );
  }
  if (findings.length > 0) {
    const files = children.filter((c) => c.status === "failed").length;
    return result(
      "failed",
      `personal data in ${files} of ${scanned.length} scanned ${scanned.length === 1 ? "file" : "files"}; desensitise it with \`gatehouse mask\` before merging`,
      children,
      findings,
    );
  }
  if (scanned.length === 0)
    return result("skipped", "no changed file is in the paths the privacy policy scans", []);
  return result(
    "satisfied",
    `no personal data in ${scanned.length} scanned ${scanned.length === 1 ? "file" : "files"}`,
    children,
  );
}

/** The changed, not removed files that the policy scans, in the order of the pull request. */
function scannedPaths(ctx: EvaluationContext, policy: PrivacyPolicy): string[] {
  const globs = scannedGlobs(policy, ctx.policy.config);
  if (globs.length === 0) return [];
  const matches = pathMatcher(globs);
  return ctx.snapshot.changed
    .filter((file) => file.status !== "removed" && matches(file.path))
    .map((file) => file.path);
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
