/**
 * The overdue emergency changes of a branch, as `gatehouse audit` lists them: every emergency
 * change among the change records at the branch's tip that is still open more than the pack's
 * limit after its window ended. The verdicts name the same changes (schedule stage), for the
 * systems a pull request touches; the audit names all of them. Pure.
 */
import { policyCalendar } from "../calendar/policy-calendar.js";
import { formatInstant } from "../calendar/window-now.js";
import type { Policy } from "../policy/model.js";
import type { RoleId } from "../types.js";
import { readChanges } from "./change-facts.js";
import { overdueEmergencies } from "./overdue.js";
import { policyDeployments } from "./policy-deployments.js";

export interface OverdueChange {
  id: string;
  path: string;
  system: string | null;
  /** The state it is still in. */
  state: string;
  /** When its window ended, and when it was due to be closed (ISO 8601, UTC). */
  windowEnd: string;
  due: string;
  /** `due` on the calendar's clock: "2026-12-03 23:30 (Asia/Shanghai)". */
  dueLocal: string;
  /** The roles that close it (the pack's emergency reviewers). */
  reviewers: RoleId[];
}

export interface OverdueChanges {
  overdue: OverdueChange[];
  /** Days after its window an emergency change must be closed; null when it cannot be read. */
  reviewDays: number | null;
  /** Why nothing could be judged (the deployment policy cannot be used); null otherwise. */
  problem: string | null;
}

/** The emergency changes of `records` (path -> text) that are overdue at `now`, oldest first. */
export function overdueChanges(
  policy: Policy,
  records: Map<string, string>,
  now: Date,
): OverdueChanges {
  const loaded = policyDeployments(policy);
  const deployments = loaded.deployments;
  if (!deployments) {
    return {
      overdue: [],
      reviewDays: null,
      problem: `${loaded.path} cannot be used, so overdue emergency changes are not judged; run "gatehouse validate"`,
    };
  }
  const { reviewDays, reviewers } = deployments.emergency;
  const zone = policyCalendar(policy).calendar?.timezone ?? "UTC";
  const overdue = overdueEmergencies(
    readChanges(records, policy.config),
    policy.workflows.kinds.ChangeRequest,
    reviewDays,
    now,
  ).map(({ change, due }) => ({
    id: change.id,
    path: change.path,
    system: change.system,
    state: change.state ?? "",
    windowEnd: change.window!.end.toISOString(),
    due: due.toISOString(),
    dueLocal: `${formatInstant(due, zone)} (${zone})`,
    reviewers: [...reviewers],
  }));
  return { overdue, reviewDays, problem: null };
}
