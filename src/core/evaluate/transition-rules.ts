/**
 * The rules of one transition that no approval can fix: the sections it needs complete, its
 * conditions, its checks and its change window. A record's move is judged by them, and so is
 * an edit of an approved record, which re-judges the move that brought it to its state.
 */
import type { KindWorkflow, Transition } from "../policy/model.js";
import { NEW_STATE } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import { SECTION_FIELDS } from "../records/section-fields.js";
import type { Finding, RecordKind, RuleResult } from "../types.js";
import { conditionField, conditionHolds, describeCondition } from "./condition.js";
import type { EvaluationContext } from "./context.js";
import { andList } from "./explain-slot.js";
import { judgeChecks } from "./judge-checks.js";
import type { CheckWindow } from "./judge-record.js";
import { leaf } from "./nodes.js";
import { isFilled, valueAt } from "./pointer.js";

/** Whether a transition may start from `from` (`*` is any open state). */
export function startsFrom(t: Transition, from: string, workflow: KindWorkflow): boolean {
  if (t.from.includes(from)) return true;
  return from !== NEW_STATE && t.from.includes("*") && workflow.openStates.includes(from);
}

/** The transitions that may start from a state. */
export function outgoing(workflow: KindWorkflow, from: string): Transition[] {
  return workflow.transitions.filter((t) => startsFrom(t, from, workflow));
}

/**
 * Judges `transition` on the record's head content: complete sections, conditions, checks and
 * window, as nodes under `id` ("records/<path>", or ".../again" for a re-judgement). `label`
 * names the move in messages ("draft -> requested").
 */
export function transitionRules(
  transition: Transition,
  after: ParsedRecord,
  kind: RecordKind,
  workflow: KindWorkflow,
  ctx: EvaluationContext,
  checkWindow: CheckWindow,
  id: string,
  label: string,
): RuleResult[] {
  const rules: RuleResult[] = [];
  const lists = ctx.policy.workflows.lists;
  const sections = transition.complete
    .map((pointer) => incomplete(after, workflow, kind, pointer))
    .filter((x) => x !== null);
  if (transition.complete.length > 0) {
    rules.push(
      sections.length === 0
        ? leaf(`${id}/complete`, "satisfied", `${andList(transition.complete)} complete`)
        : leaf(`${id}/complete`, "failed", sections.map((s) => s.message).join("; "), {
            findings: sections,
          }),
    );
  }
  const unmet = transition.conditions.filter((c) => !conditionHolds(c, after.data, lists));
  if (transition.conditions.length > 0) {
    const findings = unmet.map((c) => ({
      ...after.locate(conditionField(c)),
      code: "record/condition",
      message: `${describeCondition(c)} for ${label}`,
    }));
    rules.push(
      findings.length === 0
        ? leaf(`${id}/conditions`, "satisfied", "every condition of the transition holds")
        : leaf(`${id}/conditions`, "failed", findings.map((f) => f.message).join("; "), {
            findings,
          }),
    );
  }
  rules.push(...judgeChecks(id, transition.checks, ctx.snapshot.checks));
  if (transition.window !== "none") {
    rules.push({ ...checkWindow(ctx, after, transition), id: `${id}/window` });
  }
  return rules;
}

/** The finding for a section missing required fields, or null when it is complete. */
function incomplete(
  record: ParsedRecord,
  workflow: KindWorkflow,
  kind: RecordKind,
  pointer: string,
): Finding | null {
  const spec = workflow.sections.find((s) => s.pointer === pointer);
  const required = spec?.required ?? SECTION_FIELDS[kind][pointer] ?? [];
  const section = valueAt(record.data, pointer);
  const missing = required.filter((field) => !isFilled(valueAt(section, `/${field}`)));
  if (isFilled(section) && missing.length === 0) return null;
  const what = !isFilled(section)
    ? `section ${pointer} is missing`
    : `section ${pointer} is incomplete: ${andList(missing)} ${missing.length === 1 ? "is" : "are"} empty`;
  return {
    ...record.locate(pointer),
    code: "record/incomplete",
    message: `${what}; fill it in before this transition`,
  };
}
