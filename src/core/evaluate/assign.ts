import type { Act, Login, RoleId } from "../types.js";
import { loginKey } from "./resolve-login.js";
import {
  cliqueCover,
  matchingSize,
  MAX_MASK_ROLES,
  maxIndependentWeight,
} from "./assign-bounds.js";
import type { Slot } from "./slot.js";

/** Pairs of roles that one person may not combine on one record. */
export type SodPairs = Array<[RoleId, RoleId]>;

export interface AssignInput {
  slots: Slot[];
  sod: SodPairs;
  /** Acts from earlier pull requests (evidence), which count for separation of duties. */
  history: Act[];
  /** Search nodes to spend before settling for the best assignment found. */
  budget?: number;
}

export interface AssignResult {
  /** Slot id -> the person filling it. Open slots are absent. */
  filled: Map<string, Login>;
  /** True when the step budget ran out before the search was exhaustive. */
  exhausted: boolean;
  steps: number;
}

export const DEFAULT_BUDGET = 200_000;

/**
 * Fills as many slots as possible at once: distinct people within a group, and nobody acting on
 * one record in two roles that a separation-of-duties pair joins (counting earlier acts from
 * evidence). Exact branch and bound per independent component (slots of one record, or of one
 * path rule), most-constrained slot first, pruned by the smaller of a bipartite-matching bound
 * and a per-person bound (the heaviest set of roles no two of which exclude each other); stops
 * at the first complete assignment. When the step budget runs out, the best assignment found
 * stands; the first descent is greedy, so it is never worse than a greedy fill and leaves open
 * only slots that no candidate can take beside it.
 */
export function assign(input: AssignInput): AssignResult {
  const budget = input.budget ?? DEFAULT_BUDGET;
  const conflicts = conflictMap(input.sod);
  const history = historyIndex(input.history);
  const components = new Map<string, Slot[]>();
  for (const slot of input.slots) {
    const key = slot.record !== null ? `record:${slot.record}` : `group:${slot.group}`;
    const list = components.get(key);
    if (list) list.push(slot);
    else components.set(key, [slot]);
  }
  const filled = new Map<string, Login>();
  let steps = 0;
  let exhausted = false;
  for (const slots of components.values()) {
    const record = slots[0]?.record ?? null;
    const search = new ComponentSearch(
      slots,
      conflicts,
      record === null ? new Map() : (history.get(record) ?? new Map()),
      // A spent budget still allows one greedy descent per component.
      Math.max(budget - steps, slots.length + 1),
    );
    const best = search.run();
    steps += search.steps;
    exhausted ||= search.exhausted;
    for (const [index, login] of best) filled.set(slots[index]!.id, login);
  }
  return { filled, exhausted, steps };
}

/** Role -> the roles it may not be combined with. */
function conflictMap(sod: SodPairs): Map<RoleId, RoleId[]> {
  const map = new Map<RoleId, RoleId[]>();
  const add = (a: RoleId, b: RoleId) => map.set(a, [...(map.get(a) ?? []), b]);
  for (const [a, b] of sod) {
    add(a, b);
    if (a !== b) add(b, a);
  }
  return map;
}

/** Record -> person key -> roles acted in before. */
function historyIndex(acts: Act[]): Map<string, Map<string, Set<RoleId>>> {
  const index = new Map<string, Map<string, Set<RoleId>>>();
  for (const act of acts) {
    if (act.record === null) continue;
    let people = index.get(act.record);
    if (!people) index.set(act.record, (people = new Map()));
    const key = loginKey(act.login);
    let roles = people.get(key);
    if (!roles) people.set(key, (roles = new Set()));
    roles.add(act.role);
  }
  return index;
}

/** What one person could still take among the open slots, for the per-person bound. */
interface PersonLoad {
  /** Clique of the cover -> role -> slots. */
  cliques: Map<number, Map<RoleId | null, number>>;
  /** Role bit -> the groups of its slots (one slot per group per person). */
  roles: Map<number, Set<string>>;
  /** Groups of slots outside separation of duties. */
  free: Set<string>;
}

class ComponentSearch {
  steps = 0;
  exhausted = false;
  private best = new Map<number, Login>();
  private bestCount = -1;
  private done = false;
  private readonly current = new Map<number, Login>();
  /** Group -> person keys used in it. */
  private readonly used = new Map<string, Set<string>>();
  /** Person key -> role -> how many current acts (or earlier ones) forbid that role. */
  private readonly blocked = new Map<string, Map<RoleId, number>>();
  /** Role -> the clique of a clique cover of the conflict graph it belongs to. */
  private readonly clique = new Map<RoleId, number>();
  /** Role -> its bit in the masks of the independent-set bound. */
  private readonly roleBits = new Map<RoleId, number>();
  /** Per role bit, the roles that exclude it; null when the roles are too many for masks. */
  private readonly adjacency: number[] | null = null;
  /** Roles that exclude themselves: one act in them per person. */
  private selfExclusive = 0;
  /** Independent-set bounds worked out, by the weights and roles they were asked for. */
  private readonly bounds = new Map<string, number | null>();

  constructor(
    private readonly slots: Slot[],
    private readonly conflicts: Map<RoleId, RoleId[]>,
    history: Map<string, Set<RoleId>>,
    private readonly budget: number,
  ) {
    for (const [key, roles] of history) {
      for (const role of roles) {
        for (const other of conflicts.get(role) ?? []) this.block(key, other, 1);
      }
    }
    const roles = [...new Set(slots.map((s) => s.role).filter((r) => r !== null))];
    this.clique = cliqueCover(roles, conflicts);
    if (roles.length <= MAX_MASK_ROLES) {
      roles.forEach((role, bit) => this.roleBits.set(role, bit));
      this.adjacency = roles.map((role, bit) => {
        let mask = 0;
        for (const other of conflicts.get(role) ?? []) {
          const otherBit = this.roleBits.get(other);
          if (otherBit === bit) this.selfExclusive |= 1 << bit;
          else if (otherBit !== undefined) mask |= 1 << otherBit;
        }
        return mask;
      });
    }
  }

  run(): Map<number, Login> {
    this.search(
      this.slots.map((_, i) => i),
      0,
    );
    return this.best;
  }

  /** Whether the person may take the slot given what is assigned now. */
  private feasible(slot: Slot, key: string): boolean {
    if (this.used.get(slot.group)?.has(key)) return false;
    if (slot.role === null || slot.record === null) return true;
    return (this.blocked.get(key)?.get(slot.role) ?? 0) === 0;
  }

  private search(open: number[], count: number): void {
    if (this.done) return;
    this.steps++;
    if (this.steps > this.budget) {
      this.exhausted = true;
      this.done = true;
      return;
    }
    if (count > this.bestCount) {
      this.bestCount = count;
      this.best = new Map(this.current);
    }
    if (open.length === 0) {
      if (count === this.slots.length) this.done = true;
      return;
    }
    const options = open.map((i) =>
      this.slots[i]!.candidates.filter((c) => this.feasible(this.slots[i]!, loginKey(c))),
    );
    if (count + this.upperBound(open, options) <= this.bestCount) return;
    let pick = 0;
    for (let k = 1; k < open.length; k++) {
      if (options[k]!.length < options[pick]!.length) pick = k;
    }
    const index = open[pick]!;
    const rest = open.filter((_, k) => k !== pick);
    for (const login of options[pick]!) {
      this.take(index, login, 1);
      this.search(rest, count + 1);
      this.take(index, login, -1);
      if (this.done) return;
    }
    // Leaving this slot open may let the others fill up.
    this.search(rest, count);
  }

  /**
   * How many of the open slots could still be filled: the smaller of two bounds. Per group, a
   * maximum matching (distinct people). Per person, the most slots they could still take in
   * roles no two of which exclude each other (a maximum-weight independent set of the conflict
   * graph, one slot per group), or, when that is too large to work out, with the roles of one
   * clique of the cover counting as one role.
   */
  private upperBound(open: number[], options: Login[][]): number {
    const byGroup = new Map<string, number[]>();
    const perPerson = new Map<string, PersonLoad>();
    open.forEach((index, k) => {
      const slot = this.slots[index]!;
      const list = byGroup.get(slot.group);
      if (list) list.push(k);
      else byGroup.set(slot.group, [k]);
      const exclusive = slot.role !== null && slot.record !== null;
      const clique = exclusive ? (this.clique.get(slot.role!) ?? -1 - k) : -1 - k;
      const bit = exclusive ? this.roleBits.get(slot.role!) : undefined;
      for (const login of options[k]!) {
        const key = loginKey(login);
        let load = perPerson.get(key);
        if (!load)
          perPerson.set(key, (load = { cliques: new Map(), roles: new Map(), free: new Set() }));
        let roles = load.cliques.get(clique);
        if (!roles) load.cliques.set(clique, (roles = new Map()));
        roles.set(slot.role, (roles.get(slot.role) ?? 0) + 1);
        if (bit === undefined) {
          load.free.add(slot.group);
        } else {
          let groups = load.roles.get(bit);
          if (!groups) load.roles.set(bit, (groups = new Set()));
          groups.add(slot.group);
        }
      }
    });
    let byGroups = 0;
    for (const members of byGroup.values()) {
      byGroups +=
        members.length === 1
          ? Math.min(1, options[members[0]!]!.length)
          : matchingSize(members.map((k) => options[k]!.map(loginKey)));
    }
    let byPeople = 0;
    for (const load of perPerson.values()) {
      const exact = this.independentBound(load);
      if (exact !== null) {
        byPeople += exact + load.free.size;
        continue;
      }
      for (const roles of load.cliques.values()) byPeople += Math.max(...roles.values());
    }
    return Math.min(byGroups, byPeople);
  }

  /** The most role slots one person could still take, or null when the roles are too many. */
  private independentBound(load: PersonLoad): number | null {
    if (this.adjacency === null) return null;
    let mask = 0;
    const weights: number[] = [];
    let key = "";
    for (const [bit, groups] of load.roles) {
      mask |= 1 << bit;
      // One act in a role that excludes itself is all a person may do in it.
      weights[bit] = this.selfExclusive & (1 << bit) ? 1 : groups.size;
    }
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      key += `${weights[31 - Math.clz32(rest & -rest)]},`;
    }
    key += mask;
    const known = this.bounds.get(key);
    if (known !== undefined) return known;
    const found = maxIndependentWeight(mask, weights, this.adjacency);
    // People often hold the same roles, so the same sets recur; the cache stays small.
    if (this.bounds.size > 10_000) this.bounds.clear();
    this.bounds.set(key, found);
    return found;
  }

  /** Assigns (`delta` 1) or releases (`delta` -1) a person on a slot. */
  private take(index: number, login: Login, delta: 1 | -1): void {
    const slot = this.slots[index]!;
    const key = loginKey(login);
    if (delta === 1) this.current.set(index, login);
    else this.current.delete(index);
    let used = this.used.get(slot.group);
    if (!used) this.used.set(slot.group, (used = new Set()));
    if (delta === 1) used.add(key);
    else used.delete(key);
    if (slot.role !== null && slot.record !== null) {
      for (const other of this.conflicts.get(slot.role) ?? []) this.block(key, other, delta);
    }
  }

  private block(key: string, role: RoleId, delta: number): void {
    let roles = this.blocked.get(key);
    if (!roles) this.blocked.set(key, (roles = new Map()));
    roles.set(role, (roles.get(role) ?? 0) + delta);
  }
}
