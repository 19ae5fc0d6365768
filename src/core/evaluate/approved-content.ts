/**
 * An approved record stays approved only as it was approved.
 *
 * A record past its initial state holds content that approvals brought there: the release
 * manager and QA initiated this deployment, the ops lead scheduled this window. So when a pull
 * request changes such a record:
 * - a field a transition's `when` names (the route, such as /type) or a `fixed:` field never
 *   changes again; the record would leave the rules of the route it took;
 * - a field the move of this pull request writes (its `complete` sections, the fields of its
 *   conditions, /window when it checks one, its `writes:`) is judged by that move;
 * - a `free:` field needs no more than section consent and four-eyes;
 * - every other change needs the move that brought the record to its state again, judged in
 *   full on the new content: its approvals on this head, its complete sections, conditions,
 *   checks and change window. A window that changes is checked against the calendar whenever
 *   the record is past its initial state.
 */
import type { KindWorkflow, Transition } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import { IDENTITY_FIELDS, topOf } from "../records/top-level-fields.js";
import type { RecordKind, RuleResult } from "../types.js";
import { conditionFields, conditionHolds } from "./condition.js";
import type { EvaluationContext } from "./context.js";
import { andList } from "./explain-slot.js";
import type { CheckWindow } from "./judge-record.js";
import { leaf } from "./nodes.js";
import { deepEqual, withoutEmpty } from "./pointer.js";
import { requireSlots } from "./record-slots.js";
import type { Slot } from "./slot.js";
import { outgoing, startsFrom, transitionRules } from "./transition-rules.js";

export interface ApprovedEdit {
  before: ParsedRecord;
  after: ParsedRecord;
  kind: RecordKind;
  workflow: KindWorkflow;
  /** The move this pull request makes, or null when the record stays in its state. */
  move: Transition | null;
  /** "records/<path>". */
  id: string;
  recordId: string;
}

/** What an edit of an approved record adds to its judgement. */
export interface ApprovedEditJudgement {
  rules: RuleResult[];
  slots: Slot[];
}

const NOTHING: ApprovedEditJudgement = { rules: [], slots: [] };

/** Judges the edit of a record that approvals brought past its initial state. */
export function judgeApprovedEdit(
  edit: ApprovedEdit,
  ctx: EvaluationContext,
  checkWindow: CheckWindow,
): ApprovedEditJudgement {
  const { before, after, workflow, id, recordId, move } = edit;
  const state = before.state;
  if (state === null || state === workflow.initial) return NOTHING;
  const changed = changedFields(before.data, after.data);
  if (changed.length === 0) return NOTHING;

  const fixed = new Set(fixedFields(workflow));
  const locked = changed.filter((field) => fixed.has(field));
  if (locked.length > 0) {
    const fields = andList(locked);
    const one = locked.length === 1;
    const reason = `${recordId}'s ${fields} may not change after ${workflow.initial}: ${one ? "it was" : "they were"} approved with the record and ${one ? "decides" : "decide"} which rules apply to it; cancel or close this record and create a new one`;
    const findings = locked.map((field) => ({
      ...after.locate(field),
      code: "record/fixed",
      message: reason,
    }));
    return {
      rules: [leaf(`${id}/fixed`, "failed", reason, { findings })],
      slots: [],
    };
  }

  const free = new Set(workflow.free);
  const written = new Set(move ? writtenFields(move) : []);
  const edits = changed.filter((field) => !free.has(field) && !written.has(field));
  if (edits.length === 0) return NOTHING;

  const lists = ctx.policy.workflows.lists;
  const routes = routesInto(workflow, state, before.data, lists);
  if (routes.length === 0) {
    const reason = `${recordId} is ${state}, but no transition of workflows.yml leads there, so gatehouse cannot tell which approvals its content needs; ${andList(edits)} cannot change until one does`;
    return { rules: [leaf(`${id}/again`, "failed", reason)], slots: [] };
  }
  const rules: RuleResult[] = [];
  const slots: Slot[] = [];
  routes.forEach((route, i) => {
    const at = i === 0 ? `${id}/again` : `${id}/again-${i + 1}`;
    const label = `${route.from.join("/")} -> ${route.to}`;
    const needs = route.requires.length > 0 ? andList(route.requires) : "no approvals";
    rules.push(
      leaf(
        at,
        "satisfied",
        `${recordId} is ${state} as approved; ${andList(edits)} changed, so ${label} is judged again on the new content (it needs ${needs})`,
      ),
      ...transitionRules(route, after, edit.kind, workflow, ctx, checkWindow, at, label),
    );
    slots.push(...requireSlots(route, ctx, at, recordId));
  });
  // A window set or moved before the move that checks it is checked all the same.
  const windowed =
    routes.some((r) => r.window !== "none") || (move !== null && move.window !== "none");
  if (edits.includes("/window") && !windowed && after.data.window !== undefined) {
    const next = mostSpecific(
      outgoing(workflow, state).filter((t) => t.window !== "none"),
      after.data,
      lists,
    )[0];
    if (next) rules.push({ ...checkWindow(ctx, after, next), id: `${id}/again/window` });
  }
  return { rules, slots };
}

/** The top-level fields whose content differs (empty fields count as absent). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].map((k) => `/${k}`));
  return [...keys].filter(
    (field) =>
      !IDENTITY_FIELDS.includes(field) &&
      !deepEqual(withoutEmpty(before[field.slice(1)]), withoutEmpty(after[field.slice(1)])),
  );
}

/** The top-level fields a transition writes: see {@link Transition.writes}. */
export function writtenFields(t: Transition): string[] {
  return [
    ...new Set([
      ...t.complete.map(topOf),
      ...t.conditions.flatMap(conditionFields).map(topOf),
      ...(t.window === "none" ? [] : ["/window"]),
      ...t.writes,
    ]),
  ];
}

/** `fixed:` of the kind, and every field a transition's `when` names. */
export function fixedFields(workflow: KindWorkflow): string[] {
  const route = workflow.transitions.flatMap((t) => t.when.flatMap(conditionFields)).map(topOf);
  return [...new Set([...workflow.fixed, ...route])];
}

/**
 * The moves that may have brought a record with this content to `state`: the transitions into
 * it whose `when` holds, those with a `when` (the route of its type) before the general ones,
 * and of them the ones whose completeness and conditions the content meets. Where the content
 * fits several, all of them are judged again, so no choice can pick the weakest.
 */
export function routesInto(
  workflow: KindWorkflow,
  state: string,
  data: Record<string, unknown>,
  lists: Record<string, string[]>,
): Transition[] {
  const into = mostSpecific(
    workflow.transitions.filter((t) => t.to === state && !startsFrom(t, state, workflow)),
    data,
    lists,
  );
  const plausible = into.filter(
    (t) =>
      t.conditions.every((c) => conditionHolds(c, data, lists)) &&
      t.complete.every((pointer) => withoutEmpty(data[pointer.slice(1)]) !== undefined),
  );
  return plausible.length > 0 ? plausible : into;
}

/** The transitions whose `when` holds: those with a `when` if any, else the general ones. */
function mostSpecific(
  transitions: Transition[],
  data: Record<string, unknown>,
  lists: Record<string, string[]>,
): Transition[] {
  const holding = transitions.filter((t) => t.when.every((c) => conditionHolds(c, data, lists)));
  const specific = holding.filter((t) => t.when.length > 0);
  return specific.length > 0 ? specific : holding;
}
