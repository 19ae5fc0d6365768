import { pathMatcher } from "../paths/path-matcher.js";
import type { PathRule } from "../policy/model.js";
import type { RuleResult } from "../types.js";
import type { EvaluationContext } from "./context.js";
import { judgeChecks } from "./judge-checks.js";
import type { Slot } from "./slot.js";

/** A path rule that applies to this pull request, with the slots of its `requires`. */
export interface PathRuleJudgement {
  id: string;
  rule: PathRule;
  /** The first changed path it matched, for the reason. */
  matched: string;
  checks: RuleResult[];
  slots: Slot[];
}

/** Every changed path, both sides of a rename. */
export function changedPaths(ctx: EvaluationContext): string[] {
  const paths: string[] = [];
  for (const file of ctx.snapshot.changed) {
    paths.push(file.path);
    if (file.previousPath !== undefined && file.previousPath !== file.path)
      paths.push(file.previousPath);
  }
  return paths;
}

/**
 * The path rules of workflows.yml whose globs match a changed path. Each rule's globs are
 * compiled once, so the cost grows with rules times paths, never paths squared.
 */
export function judgePathRules(ctx: EvaluationContext, paths: string[]): PathRuleJudgement[] {
  const out: PathRuleJudgement[] = [];
  for (const rule of ctx.policy.workflows.rules) {
    const matches = pathMatcher(rule.paths);
    const matched = paths.find((path) => matches(path));
    if (matched === undefined) continue;
    const id = `paths/${rule.name}`;
    const seen = new Map<string, number>();
    const slots = rule.requires.map((role): Slot => {
      const n = (seen.get(role) ?? 0) + 1;
      seen.set(role, n);
      return {
        id: `${id}/${role}${n > 1 ? `#${n}` : ""}`,
        kind: "path",
        role,
        label: role,
        record: null,
        group: id,
        candidates: ctx.approvers(role),
        eligible: ctx.holders(role),
      };
    });
    out.push({
      id,
      rule,
      matched,
      checks: judgeChecks(id, rule.checks, ctx.snapshot.checks),
      slots,
    });
  }
  return out;
}
