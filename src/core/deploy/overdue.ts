/**
 * Emergency changes whose post-implementation review is overdue: an emergency change still open
 * (not in a final state of its workflow) more than the pack's limit after its window ended.
 */
import type { KindWorkflow } from "../policy/model.js";
import type { ChangeFacts } from "./change-facts.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Overdue {
  change: ChangeFacts;
  /** When it was due to be closed. */
  due: Date;
}

/** The open emergency changes that should have been closed by `now`, oldest due first. */
export function overdueEmergencies(
  changes: ChangeFacts[],
  workflow: KindWorkflow | undefined,
  reviewDays: number,
  now: Date,
): Overdue[] {
  // Open states have a way out; a change in one of them is not closed yet.
  const open = new Set(workflow?.openStates ?? []);
  const out: Overdue[] = [];
  for (const change of changes) {
    if (change.type !== "emergency" || change.window === null) continue;
    if (change.state === null || !open.has(change.state)) continue;
    const due = new Date(change.window.end.getTime() + reviewDays * DAY_MS);
    if (due.getTime() < now.getTime()) out.push({ change, due });
  }
  return out.sort(
    (a, b) => a.due.getTime() - b.due.getTime() || a.change.id.localeCompare(b.change.id),
  );
}

/** A system name as verdicts compare it. */
export function systemKey(system: string): string {
  return system.trim().toLowerCase();
}
