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
export function matchingSize<P>(options: P[][]): number {
  const owner = new Map<P, number>();
  const tryAssign = (slot: number, seen: Set<P>): boolean => {
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

/**
 * {@link matchingSize} over person numbers with typed scratch arrays, made once per search: the
 * search asks it for every group at every node.
 */
export class Matching {
  /** Person -> the slot they are matched to, or -1. */
  private readonly owner: Int32Array;
  /** Person -> the last augmentation that visited them. */
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(people: number) {
    this.owner = new Int32Array(people);
    this.seen = new Int32Array(people);
  }

  size(options: number[][]): number {
    const owner = this.owner.fill(-1);
    const seen = this.seen;
    const augment = (slot: number, stamp: number): boolean => {
      for (const person of options[slot]!) {
        if (seen[person] === stamp) continue;
        seen[person] = stamp;
        if (owner[person] === -1 || augment(owner[person]!, stamp)) {
          owner[person] = slot;
          return true;
        }
      }
      return false;
    };
    let size = 0;
    for (let slot = 0; slot < options.length; slot++) {
      if (augment(slot, ++this.stamp)) size++;
    }
    return size;
  }
}

/** Roles beyond this many in one component are bounded by the clique cover alone. */
export const MAX_MASK_ROLES = 30;

/**
 * The largest total weight of roles no two of which exclude each other: a maximum-weight
 * independent set of the conflict graph, roles as bits of `mask`, `adjacency[v]` the roles
 * that exclude role `v` (without `v` itself). Branches on the most connected role and takes
 * unconnected roles outright; returns null after `limit` branches, so a caller can fall back
 * to a cheaper bound instead of spending the search's time on its bound.
 */
export function maxIndependentWeight(
  mask: number,
  weights: readonly number[],
  adjacency: readonly number[],
  limit = 4_000,
): number | null {
  let branches = 0;
  const best = (set: number): number => {
    if (++branches > limit) throw OVER_LIMIT;
    let free = 0;
    let pick = -1;
    let degree = 0;
    for (let rest = set; rest !== 0; rest &= rest - 1) {
      const v = 31 - Math.clz32(rest & -rest);
      const d = bitCount(adjacency[v]! & set);
      if (d === 0) free += weights[v]!;
      else if (d > degree) [pick, degree] = [v, d];
    }
    if (pick < 0) return free;
    const connected = set & ~isolated(set, adjacency) & ~(1 << pick);
    return free + Math.max(best(connected), weights[pick]! + best(connected & ~adjacency[pick]!));
  };
  try {
    return best(mask);
  } catch (error) {
    if (error === OVER_LIMIT) return null;
    throw error;
  }
}

const OVER_LIMIT = new Error("independent set search over its limit");

function isolated(set: number, adjacency: readonly number[]): number {
  let alone = 0;
  for (let rest = set; rest !== 0; rest &= rest - 1) {
    const bit = rest & -rest;
    if ((adjacency[31 - Math.clz32(bit)]! & set) === 0) alone |= bit;
  }
  return alone;
}

function bitCount(n: number): number {
  let count = 0;
  for (let rest = n; rest !== 0; rest &= rest - 1) count++;
  return count;
}
