import type { WindowMode } from "../calendar/window-verdict.js";
import { conditionHolds } from "../evaluate/condition.js";
import type { KindWorkflow } from "../policy/model.js";
import type { ChangeFacts } from "./change-facts.js";

/**
 * How the calendar applies when a change is carried out: as on the route that brought it into
 * the deploy state. The most specific route whose `when` holds decides (the emergency route says
 * `ignore-freezes`: windows only); a route that needs no window still gets one here, because a
 * deployment always happens inside a window.
 */
export function windowModeOf(
  change: ChangeFacts,
  workflow: KindWorkflow | undefined,
  lists: Record<string, string[]>,
  state: string,
): WindowMode {
  const routes = (workflow?.transitions ?? []).filter(
    (t) => t.to === state && t.when.every((c) => conditionHolds(c, change.record.data, lists)),
  );
  const route = routes.find((t) => t.when.length > 0) ?? routes[0];
  return route?.window === "ignore-freezes" ? "ignore-freezes" : "required";
}
