import type { Transition } from "../policy/model.js";
import { NEW_STATE } from "../policy/model.js";
import type { ParsedRecord } from "../records/model.js";
import { idOfPath } from "../records/record-ids.js";
import type { Finding, RecordChange, RecordKind, RuleResult } from "../types.js";
import { conditionHolds, describeCondition } from "./condition.js";
import type { EvaluationContext, RecordPair } from "./context.js";
import { andList } from "./explain-slot.js";
import { leaf } from "./nodes.js";
import { deepEqual } from "./pointer.js";
import { consentSlots, requireSlots } from "./record-slots.js";
import { outgoing, startsFrom, transitionRules } from "./transition-rules.js";
import { judgeApprovedEdit, type ApprovedEdit } from "./approved-content.js";
import type { Slot } from "./slot.js";

/** The change window hook: judges a transition whose `window` is not `none`. */
export type CheckWindow = (
  ctx: EvaluationContext,
  record: ParsedRecord,
  transition: Transition,
) => RuleResult;

/** What one changed record contributes to the verdict before the assignment runs. */
export interface RecordJudgement {
  /** "records/<path>", the id of the record's node. */
  id: string;
  /** The record id ("CHG-2026-0042"), or the path when the record has none. */
  recordId: string;
  change: RecordChange;
  /** Rule nodes that need no approvals: validity, transition, completeness, conditions, checks, window. */
  rules: RuleResult[];
  /** Consents and approvals the record needs. */
  slots: Slot[];
}

const KIND_NOUN: Record<RecordKind, string> = {
  ChangeRequest: "a change",
  IncidentAnalysis: "an incident analysis",
  ImprovementPlan: "an improvement plan",
};

/** Judges one changed record: validity, its transition and the consents and approvals it needs. */
export function judgeRecord(
  pair: RecordPair,
  ctx: EvaluationContext,
  checkWindow: CheckWindow,
): RecordJudgement {
  const { before, after } = pair;
  const id = `records/${pair.path}`;
  const recordId = after?.id ?? before?.id ?? pair.path;
  const change: RecordChange = {
    path: pair.path,
    kind: after?.kind ?? before?.kind ?? null,
    id: after?.id ?? before?.id ?? null,
    from: before?.state ?? null,
    to: after?.state ?? null,
  };
  const judgement: RecordJudgement = { id, recordId, change, rules: [], slots: [] };
  const fail = (rule: string, reason: string, findings: Finding[] = []) => {
    judgement.rules.push(leaf(`${id}/${rule}`, "failed", reason, { findings }));
    return judgement;
  };

  if (after === null) {
    const at = before?.locate("") ?? { path: pair.previousPath ?? pair.path, line: 1, column: 1 };
    const reason = `${recordId} was deleted; records are never deleted; move it to cancelled or closed instead`;
    return fail("removed", reason, [{ ...at, code: "record/removed", message: reason }]);
  }
  if (after.findings.length > 0) {
    const count = after.findings.length === 1 ? "1 problem" : `${after.findings.length} problems`;
    return fail(
      "valid",
      `${pair.path} is not a valid record (${count}); fix the findings listed below`,
      after.findings,
    );
  }
  judgement.rules.push(
    leaf(`${id}/valid`, "satisfied", `${pair.path} is a valid ${after.kind ?? "record"}`),
  );
  if (pair.previousPath !== undefined && pair.previousPath !== pair.path) {
    const reason = `${pair.previousPath} was renamed to ${pair.path}; records are never renamed; keep the file name equal to the id`;
    return fail("identity", reason, [
      { ...after.locate("/id"), code: "record/renamed", message: reason },
    ]);
  }
  // A new record takes an id no other record file of the head commit carries.
  if (before === null) {
    const files = ctx.recordFilesWithId(idOfPath(pair.path));
    const others = (files ?? []).filter((path) => path !== pair.path);
    const reason =
      files === undefined
        ? `gatehouse was not told which records the head commit holds, so it cannot show that the id ${recordId} is new; this is a fault of gatehouse, please report it`
        : others.length > 0
          ? `${recordId} is already the id of ${andList(others)}; an id names one record only, so give this record the next free id (gatehouse new numbers it)`
          : null;
    if (reason !== null) {
      const place = after.locate("/id"); // only now: finding a place costs a full parse
      return fail("identity", reason, [{ ...place, code: "record/duplicate-id", message: reason }]);
    }
  }
  if (
    before !== null &&
    before.findings.length > 0 &&
    (before.kind === null || before.id === null || before.state === null)
  ) {
    return fail(
      "transition",
      `the base version of ${pair.previousPath ?? pair.path} is not a readable record, so its transition cannot be judged; repair it in the base branch first`,
      before.findings,
    );
  }
  if (before !== null && (before.id !== after.id || before.kind !== after.kind)) {
    const what =
      before.kind !== after.kind
        ? `kind ${before.kind} -> ${after.kind}`
        : `id ${before.id} -> ${after.id}`;
    const reason = `${pair.path} changes its ${what}; a record keeps its kind and id for life; create a new record instead`;
    return fail("identity", reason, [
      {
        ...after.locate(before.kind !== after.kind ? "/kind" : "/id"),
        code: "record/identity",
        message: reason,
      },
    ]);
  }
  const kind = after.kind;
  const workflow = kind ? ctx.policy.workflows.kinds[kind] : undefined;
  if (!kind || !workflow) {
    return fail(
      "workflow",
      `workflows.yml defines no workflow for ${kind ?? "this kind"}; add it under kinds before writing such records`,
    );
  }
  if (before !== null && before.state === null) {
    return fail(
      "transition",
      `the base version of ${pair.path} has no state; fix the record in the base branch first`,
    );
  }
  const from = before?.state ?? NEW_STATE;
  const to = after.state ?? "";
  judgement.slots.push(...consentSlots(pair, after, workflow, ctx, id, recordId));

  if (from === to) {
    const final = outgoing(workflow, from).length === 0;
    if (final && before !== null && !deepEqual(before.data, after.data)) {
      const reason = `${recordId} is ${from}, which is final; a closed record cannot change`;
      return fail("transition", reason, [
        { ...after.locate("/state"), code: "record/closed", message: reason },
      ]);
    }
    judgement.rules.push(leaf(`${id}/transition`, "satisfied", `${recordId} stays ${from}`));
    if (before !== null)
      addApprovedEdit(judgement, { before, after, kind, workflow, move: null }, ctx, checkWindow);
    return judgement;
  }
  const transition = workflow.transitions.find(
    (t) =>
      startsFrom(t, from, workflow) &&
      t.to === to &&
      t.when.every((c) => conditionHolds(c, after.data, ctx.policy.workflows.lists)),
  );
  if (!transition) {
    const targets = [...new Set(outgoing(workflow, from).map((t) => t.to))];
    const legal =
      targets.length > 0
        ? `from ${from} ${KIND_NOUN[kind]} may go to ${targets.join(", ")}`
        : `${from} is a final state`;
    // Say why a transition of the right shape did not apply (an emergency-only route, say).
    const guarded = workflow.transitions
      .filter((t) => startsFrom(t, from, workflow) && t.to === to && t.when.length > 0)
      .map((t) => `where ${t.when.map(describeCondition).join(" and ")}`);
    const only =
      guarded.length > 0 ? `; ${from} -> ${to} applies only ${guarded.join(", or ")}` : "";
    const reason = `${recordId} ${from} -> ${to} is not a legal transition; ${legal}${only}`;
    return fail("transition", reason, [
      { ...after.locate("/state"), code: "record/transition", message: reason },
    ]);
  }
  judgement.rules.push(leaf(`${id}/transition`, "satisfied", `${recordId} ${from} -> ${to}`));
  judgement.rules.push(
    ...transitionRules(transition, after, kind, workflow, ctx, checkWindow, id, `${from} -> ${to}`),
  );
  judgement.slots.push(...requireSlots(transition, ctx, id, recordId));
  if (before !== null)
    addApprovedEdit(
      judgement,
      { before, after, kind, workflow, move: transition },
      ctx,
      checkWindow,
    );
  return judgement;
}

/** Adds what an edit of an approved record needs (see approved-content). */
function addApprovedEdit(
  judgement: RecordJudgement,
  edit: Omit<ApprovedEdit, "id" | "recordId">,
  ctx: EvaluationContext,
  checkWindow: CheckWindow,
): void {
  const { rules, slots } = judgeApprovedEdit(
    { ...edit, id: judgement.id, recordId: judgement.recordId },
    ctx,
    checkWindow,
  );
  judgement.rules.push(...rules);
  judgement.slots.push(...slots);
}
