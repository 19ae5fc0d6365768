import type { Conclusion, Login, RuleResult, Status, Verdict } from "../types.js";

/** A node of the verdict tree as `gatehouse check --format json` prints it. */
export interface JsonRule {
  id: string;
  status: Status;
  reason: string;
  children: JsonRule[];
  candidates?: Login[];
}

/** The object of the CLI contract (DESIGN.md, "CLI contract"). */
export interface JsonVerdict {
  conclusion: Conclusion;
  summary: string;
  records: Array<{
    path: string;
    kind: string | null;
    id: string | null;
    from: string | null;
    to: string | null;
  }>;
  rules: JsonRule;
  findings: Array<{ path: string; line: number; column: number; code: string; message: string }>;
}

/**
 * The verdict as the CLI contract's JSON object: exactly `conclusion`, `summary`, `records`,
 * `rules` and `findings`, so that scripts can rely on its shape. Acts stay out: they are evidence.
 */
export function verdictToJson(verdict: Verdict): JsonVerdict {
  return {
    conclusion: verdict.conclusion,
    summary: verdict.summary,
    records: verdict.records.map(({ path, kind, id, from, to }) => ({ path, kind, id, from, to })),
    rules: ruleToJson(verdict.rules),
    findings: verdict.findings.map(({ path, line, column, code, message }) => ({
      path,
      line,
      column,
      code,
      message,
    })),
  };
}

function ruleToJson(rule: RuleResult): JsonRule {
  const out: JsonRule = {
    id: rule.id,
    status: rule.status,
    reason: rule.reason,
    children: rule.children.map(ruleToJson),
  };
  if (rule.candidates !== undefined) out.candidates = [...rule.candidates];
  return out;
}
