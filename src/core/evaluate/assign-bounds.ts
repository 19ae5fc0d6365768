import type { RoleId } from "../types.js";

/**
 * A greedy clique cover of the roles' conflict graph: role -> clique number. One person can act
 * in at most one role of a clique on a record, which makes the cover an upper bound.
 */
export function cliqueCover(
  roles: RoleId[],
  conflicts: Map<RoleId, RoleId[]>,
): Map<RoleId, number> {
  const cover = new Map<RoleId, number>();
  const cliques: RoleId[][] = [];
  const sorted = [...roles].sort(
    (a, b) => (conflicts.get(b)?.length ?? 0) - (conflicts.get(a)?.length ?? 0),
  );
  for (const role of sorted) {
    const joins = cliques.findIndex((clique) =>
      clique.every((other) => conflicts.get(role)?.includes(other)),
    );
    if (joins >= 0) {
      cliques[joins]!.push(role);
      cover.set(role, joins);
    } else {
      cover.set(role, cliques.length);
      cliques.push([role]);
    }
  }
  return cover;
}

/** Size of a maximum matching between slots and people (Kuhn's augmenting paths). */
export function matchingSize(options: string[][]): number {
  const owner = new Map<string, number>();
  const tryAssign = (slot: number, seen: Set<string>): boolean => {
    for (const person of options[slot]!) {
      if (seen.has(person)) continue;
      seen.add(person);
      const holder = owner.get(person);
      if (holder === undefined || tryAssign(holder, seen)) {
        owner.set(person, slot);
        return true;
      }
    }
    return false;
  };
  let size = 0;
  for (let slot = 0; slot < options.length; slot++) if (tryAssign(slot, new Set())) size++;
  return size;
}
