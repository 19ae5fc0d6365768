/** How a rule of the verdict came out, and how statuses combine. */

/**
 * How a rule came out. Ordered from best to worst: the root of a verdict takes the worst of its
 * children. `pending` means only approvals are missing; `failed` is a violation that no approval
 * can fix.
 */
export type Status = "skipped" | "satisfied" | "pending" | "failed";
export const STATUS_ORDER: readonly Status[] = ["skipped", "satisfied", "pending", "failed"];

/** The worst of the given statuses; `skipped` when there are none. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = "skipped";
  for (const status of statuses) {
    if (STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(worst)) worst = status;
  }
  return worst;
}
