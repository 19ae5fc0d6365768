import type { KindWorkflow, Transition } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import type { EvaluationContext, RecordPair } from "./context.js";
import { deepEqual, valueAt, withoutEmpty } from "./pointer.js";
import { loginKey } from "./resolve-login.js";
import type { Slot } from "./slot.js";

/**
 * One consent slot per section whose content differs between base and head: the section's owner
 * role must agree, through the author holding it or an approval by a holder. Empty fields do not
 * count as content, so the empty sections of a new record's template need nobody's consent,
 * while clearing a filled field does.
 */
export function consentSlots(
  pair: RecordPair,
  after: ParsedRecord,
  workflow: KindWorkflow,
  ctx: EvaluationContext,
  id: string,
  recordId: string,
): Slot[] {
  const before = pair.before?.data ?? {};
  const author = ctx.snapshot.author;
  const slots: Slot[] = [];
  for (const section of workflow.sections) {
    const was = withoutEmpty(valueAt(before, section.pointer));
    if (deepEqual(was, withoutEmpty(valueAt(after.data, section.pointer)))) continue;
    const approvers = ctx.approvers(section.owner);
    // The author consents by writing the section; listed first so no approver is spent on it.
    const candidates = ctx.holds(author, section.owner)
      ? [author, ...approvers.filter((l) => loginKey(l) !== loginKey(author))]
      : approvers;
    slots.push({
      id: `${id}/consent${section.pointer}`,
      kind: "consent",
      role: section.owner,
      label: `${section.owner} for ${section.pointer}`,
      section: section.pointer,
      record: recordId,
      group: `${id}/consent${section.pointer}`,
      candidates,
      eligible: ctx.holders(section.owner),
    });
  }
  return slots;
}

/** One slot per `requires` entry of the transition; all in one group, so each needs another person. */
export function requireSlots(
  transition: Transition,
  ctx: EvaluationContext,
  id: string,
  recordId: string,
): Slot[] {
  const seen = new Map<string, number>();
  return transition.requires.map((role) => {
    const n = (seen.get(role) ?? 0) + 1;
    seen.set(role, n);
    return {
      id: `${id}/requires/${role}${n > 1 ? `#${n}` : ""}`,
      kind: "requires" as const,
      role,
      label: role,
      record: recordId,
      group: `${id}/requires`,
      candidates: ctx.approvers(role),
      eligible: ctx.holders(role),
    };
  });
}
