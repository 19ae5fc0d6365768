/**
 * The schedule stage: what a pull request that touches changes must hear about the rest of the
 * schedule. A change it puts into the deploy state (or whose window it moves there) must not
 * overlap another change of the same system and environment, and a standard change must stay
 * inside its list entry; every verdict that touches a system names that system's overdue
 * emergency changes. Pure like the rest of the core.
 */
import { policyCalendar } from "../calendar/policy-calendar.js";
import { formatInstant } from "../calendar/window-now.js";
import type { EvaluationContext } from "../evaluate/context.js";
import { andList } from "../evaluate/explain-slot.js";
import { branch, leaf } from "../evaluate/nodes.js";
import type { Stage } from "../evaluate/stage.js";
import type { RuleResult } from "../types.js";
import type { ChangeFacts } from "./change-facts.js";
import { namedChanges } from "./named-changes.js";
import { overdueEmergencies, systemKey } from "./overdue.js";
import { overlapping } from "./overlaps.js";
import { policyDeployments } from "./policy-deployments.js";
import { scheduleOf } from "./schedule.js";
import { standardProblem } from "./standard-entry.js";

export const OVERDUE_ID = "emergencies";

/**
 * The summary of a verdict with its overdue emergency changes named: an overdue review does not
 * block, so without this the check run's title would hide it behind "All requirements met".
 */
export function withOverdueNotice(summary: string, root: RuleResult): string {
  const find = (node: RuleResult): RuleResult | undefined =>
    node.id === OVERDUE_ID ? node : node.children.map(find).find((n) => n !== undefined);
  const overdue = find(root);
  if (!overdue) return summary;
  const ids = [...new Set(overdue.reason.match(/CHG-\d{4}-\d{4,}/g) ?? [])];
  return `${summary}; overdue review: ${andList(ids)}`;
}

export const scheduleStage: Stage = {
  name: "schedule",
  async run(ctx) {
    const deployments = policyDeployments(ctx.policy).deployments;
    // A deployment policy that cannot be used is reported by the deployments node.
    if (!deployments || ctx.records.length === 0) return null;
    const schedule = scheduleOf(ctx);
    const children: RuleResult[] = [];
    for (const [id, { before, after }] of schedule.head) {
      if (after.state !== deployments.state || !after.valid) continue;
      const moved =
        before?.state !== deployments.state ||
        JSON.stringify([before.window?.text, before.system, before.environment]) !==
          JSON.stringify([after.window?.text, after.system, after.environment]);
      if (!moved) continue;
      if (!schedule.loaded) {
        children.push(
          leaf(
            `schedule/${id}/conflicts`,
            "failed",
            `gatehouse was not given the base branch's change records, so it cannot show that no other change overlaps ${id}; this is a fault of gatehouse, please report it`,
          ),
        );
      } else {
        const conflicts = overlapping(after, schedule.merged, deployments.state);
        children.push(conflictNode(after, conflicts));
      }
      const standard = standardProblem(after, ctx.policy.workflows);
      if (standard) children.push(leaf(`schedule/${id}/standard`, "failed", standard));
    }
    const node =
      children.length > 0
        ? [
            branch(
              "schedule",
              children,
              "no scheduled change overlaps another of its system and environment",
            ),
          ]
        : [];
    const overdue = overdueNode(ctx, deployments.emergency.reviewDays, schedule.merged);
    const out = [...node, ...(overdue ? [overdue] : [])];
    if (out.length === 0) return null;
    return out.length === 1 ? out[0]! : branch("schedule-checks", out, "the schedule holds");
  },
};

function conflictNode(change: ChangeFacts, conflicts: ChangeFacts[]): RuleResult {
  const id = `schedule/${change.id}/conflicts`;
  if (conflicts.length === 0) {
    return leaf(
      id,
      "satisfied",
      `no other scheduled change of ${change.system ?? "its system"} in ${change.environment ?? "its environment"} overlaps the window of ${change.id}`,
    );
  }
  const list = andList(
    conflicts.map((c) => `${c.id} (${c.window!.text.start} to ${c.window!.text.end})`),
  );
  return leaf(
    id,
    "failed",
    `${change.id} conflicts with ${list}: ${conflicts.length === 1 ? "another change" : "other changes"} of ${change.system ?? "the same system"} in ${change.environment ?? "the same environment"} in an overlapping window; move one of the windows or cancel one change`,
  );
}

/** The systems this pull request touches: of the records it writes and the changes it names. */
function touchedSystems(ctx: EvaluationContext): Set<string> {
  const systems = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value.trim() !== "") systems.add(systemKey(value));
  };
  for (const pair of ctx.records) {
    for (const record of [pair.before, pair.after]) {
      add(record?.data.system);
      const many = record?.data.systems;
      if (Array.isArray(many)) many.forEach(add);
    }
  }
  const schedule = scheduleOf(ctx);
  for (const id of namedChanges(ctx.snapshot.body)) add(schedule.base.get(id)?.system);
  return systems;
}

/**
 * Overdue emergency changes of the systems this pull request touches. They do not block: the
 * pull request that closes the review touches the system too, and blocking would lock it out.
 * The summary line names them, so the check run's title shows them.
 */
function overdueNode(
  ctx: EvaluationContext,
  reviewDays: number,
  changes: ChangeFacts[],
): RuleResult | null {
  const systems = touchedSystems(ctx);
  if (systems.size === 0) return null;
  const overdue = overdueEmergencies(
    changes.filter((c) => c.system !== null && systems.has(systemKey(c.system))),
    ctx.policy.workflows.kinds.ChangeRequest,
    reviewDays,
    ctx.snapshot.now,
  );
  if (overdue.length === 0) return null;
  const zone = policyCalendar(ctx.policy).calendar?.timezone ?? "UTC";
  const list = overdue.map(
    ({ change, due }) =>
      `${change.id} (${change.system}, ${change.state}) was due to be closed by ${formatInstant(due, zone)} (${zone})`,
  );
  return leaf(
    OVERDUE_ID,
    "satisfied",
    `overdue: the post-implementation review of emergency ${overdue.length === 1 ? "change" : "changes"} ${andList(list)}, ${reviewDays} days after ${overdue.length === 1 ? "its" : "their"} window; QA and the ops manager close ${overdue.length === 1 ? "it" : "them"}`,
  );
}
