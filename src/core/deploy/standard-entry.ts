/**
 * A standard change is pre-approved for what its list entry allows and nothing more: a change
 * of type standard whose `covers` reach outside the entry's covers, or whose environment is not
 * one of the entry's, is refused.
 */
import type { KindWorkflow, ListEntry, WorkflowsPolicy } from "../policy/model.js";
import type { Condition } from "../policy/model.js";
import { andList } from "../evaluate/explain-slot.js";
import type { ChangeFacts } from "./change-facts.js";
import { sameEnvironment } from "./change-facts.js";
import { globWithin } from "./covers.js";

const DEFAULT_LIST = "standard-changes";

/** The list a standard change names its entry from: the `one-of` on `/standard` in the workflow. */
export function standardListName(workflow: KindWorkflow | undefined): string {
  const find = (conditions: Condition[]): string | undefined => {
    for (const c of conditions) {
      if ("anyOf" in c) {
        const inner = find(c.anyOf);
        if (inner !== undefined) return inner;
      } else if ("oneOf" in c && c.field === "/standard") return c.oneOf;
    }
    return undefined;
  };
  for (const t of workflow?.transitions ?? []) {
    const name = find([...t.when, ...t.conditions]);
    if (name !== undefined) return name;
  }
  return DEFAULT_LIST;
}

/**
 * Why a standard change reaches outside its list entry, or null when it stays inside (or is
 * not a standard change). An entry without `covers` allows no deployment files; an entry
 * without `environments` does not limit them.
 */
export function standardProblem(change: ChangeFacts, workflows: WorkflowsPolicy): string | null {
  if (change.type !== "standard") return null;
  const listName = standardListName(workflows.kinds.ChangeRequest);
  const entries: ListEntry[] =
    workflows.listEntries?.[listName] ??
    (workflows.lists[listName] ?? []).map((name) => ({
      name,
      covers: null,
      environments: null,
      at: { path: "", line: 1, column: 1 },
    }));
  const entry = entries.find((e) => e.name === change.standard);
  if (!entry) {
    return `${change.id} is a standard change but names no entry of the list "${listName}" in workflows.yml (standard: ${change.standard ?? "missing"}); name a pre-approved entry`;
  }
  if (
    entry.environments &&
    !entry.environments.some((e) => sameEnvironment(e, change.environment))
  ) {
    return `${change.id} is the standard change "${entry.name}", which is pre-approved for ${andList(entry.environments)} only, not for ${change.environment ?? "no environment"}; raise a normal change instead`;
  }
  const allowed = entry.covers ?? [];
  const outside = change.covers.filter((glob) => !allowed.some((a) => globWithin(glob, a)));
  if (outside.length > 0) {
    const may =
      allowed.length > 0
        ? `it may cover ${andList(allowed)}`
        : "its list entry names no covers, so it may change no deployment files";
    return `${change.id} is the standard change "${entry.name}", but its covers ${andList(outside)} reach outside what the pre-approved entry allows (${may}); narrow the covers or raise a normal change`;
  }
  return null;
}
