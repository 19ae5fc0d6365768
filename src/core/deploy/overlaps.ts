/**
 * Two scheduled changes of the same system and environment whose windows overlap are a
 * conflict: two teams would change one system at once, and neither rollback could be trusted.
 */
import type { ChangeFacts } from "./change-facts.js";
import { sameEnvironment } from "./change-facts.js";

const same = (a: string | null, b: string | null) =>
  a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The other changes in `state` of `change`'s system and environment whose windows overlap its own. */
export function overlapping(change: ChangeFacts, all: ChangeFacts[], state: string): ChangeFacts[] {
  const window = change.window;
  if (!window) return [];
  return all
    .filter(
      (other) =>
        other.id !== change.id &&
        other.valid &&
        other.state === state &&
        other.window !== null &&
        same(other.system, change.system) &&
        sameEnvironment(other.environment, change.environment) &&
        other.window.start.getTime() < window.end.getTime() &&
        window.start.getTime() < other.window.end.getTime(),
    )
    .sort((a, b) => a.id.localeCompare(b.id));
}
