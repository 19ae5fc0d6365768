import type { RuleResult } from "../types.js";
import { leaf } from "./nodes.js";

// Conclusions of check runs and commit statuses that mean "not finished yet".
const RUNNING = new Set(["queued", "in_progress", "pending", "requested", "waiting", "expected"]);

/** One node per named check that must have succeeded on the head commit. */
export function judgeChecks(
  parent: string,
  names: string[],
  checks: Record<string, string>,
): RuleResult[] {
  return names.map((name) => {
    const id = `${parent}/checks/${name}`;
    const conclusion = checks[name];
    if (conclusion === undefined) {
      return leaf(id, "pending", `waiting for the check "${name}" to report on the head commit`);
    }
    if (conclusion === "success") return leaf(id, "satisfied", `the check "${name}" succeeded`);
    if (RUNNING.has(conclusion))
      return leaf(id, "pending", `waiting for the check "${name}" (${conclusion})`);
    return leaf(id, "failed", `the check "${name}" ended in ${conclusion}; fix it and push again`);
  });
}
