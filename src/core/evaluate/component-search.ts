import type { Login, RoleId } from "../types.js";
import { cliqueCover, Matching, MAX_MASK_ROLES, maxIndependentWeight } from "./assign-bounds.js";
import { loginKey } from "./resolve-login.js";
import type { Slot } from "./slot.js";

/**
 * The branch and bound of {@link assign} over one independent component (the slots of one
 * record, or of one path rule). People, roles and groups are numbered once, so that the inner
 * loop tests a typed array instead of hashing logins: the search visits many nodes on
 * adversarial inputs, and each node looks at every open slot.
 */
export class ComponentSearch {
  steps = 0;
  exhausted = false;
  private best: Int32Array;
  private bestCount = -1;
  private done = false;
  /** Slot -> person filling it now, or -1. */
  private readonly current: Int32Array;
  /** Per slot, its candidates as person numbers, in the slot's order. */
  private readonly people: Int32Array[];
  private readonly personCount: number;
  /** Per slot, its group's number. */
  private readonly groupOf: Int32Array;
  /** Per slot, its role's number, or -1 when separation of duties does not apply. */
  private readonly roleOf: Int32Array;
  private readonly roleCount: number;
  /** Per role, the roles of this component it excludes. */
  private readonly excludes: number[][];
  /** (group, person) -> 1 when the person fills a slot of the group. */
  private readonly used: Uint8Array;
  /** (person, role) -> how many current acts (or earlier ones) forbid that role. */
  private readonly blocked: Int32Array;
  /** Per role, its clique in a clique cover of the conflict graph. */
  private readonly cliqueOf: Int32Array;
  /** Per role, the roles that exclude it as a bit mask; null when the roles are too many. */
  private readonly adjacency: number[] | null = null;
  /** Roles that exclude themselves: one act in them per person. */
  private selfExclusive = 0;
  /** Independent-set bounds worked out, by the weights and roles they were asked for. */
  private readonly bounds = new Map<string, number | null>();
  /** Scratch space of the bound: (person, role) counts, the group they were last counted for. */
  private readonly counts: Int32Array;
  private readonly stamps: Int32Array;
  private stamp = 0;
  private readonly weights: number[];
  private readonly matching: Matching;

  constructor(
    private readonly slots: Slot[],
    conflicts: Map<RoleId, RoleId[]>,
    history: Map<string, Set<RoleId>>,
    private readonly budget: number,
  ) {
    const personIds = new Map<string, number>();
    const number = <K>(ids: Map<K, number>, key: K): number => {
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      return id;
    };
    this.people = slots.map((s) =>
      Int32Array.from(s.candidates, (c) => number(personIds, loginKey(c))),
    );
    const groupIds = new Map<string, number>();
    this.groupOf = Int32Array.from(slots, (s) => number(groupIds, s.group));
    const roleIds = new Map<RoleId, number>();
    this.roleOf = Int32Array.from(slots, (s) =>
      s.role === null || s.record === null ? -1 : number(roleIds, s.role),
    );
    const roles = [...roleIds.keys()];
    this.roleCount = roles.length;
    for (const key of history.keys()) number(personIds, key);
    this.personCount = personIds.size;
    this.excludes = roles.map((role) =>
      (conflicts.get(role) ?? []).map((r) => roleIds.get(r)).filter((r) => r !== undefined),
    );
    this.current = new Int32Array(slots.length).fill(-1);
    this.best = new Int32Array(slots.length).fill(-1);
    this.used = new Uint8Array(groupIds.size * this.personCount);
    this.blocked = new Int32Array(this.personCount * this.roleCount);
    for (const [key, acted] of history) {
      const person = personIds.get(key)!;
      for (const role of acted) {
        for (const other of conflicts.get(role) ?? []) {
          const r = roleIds.get(other);
          if (r !== undefined) this.blocked[person * this.roleCount + r]! += 1;
        }
      }
    }
    this.counts = new Int32Array(this.personCount * (this.roleCount + 1));
    this.stamps = new Int32Array(this.counts.length);
    this.weights = roles.map(() => 0);
    this.matching = new Matching(this.personCount);
    const cover = cliqueCover(roles, conflicts);
    this.cliqueOf = Int32Array.from(roles, (role) => cover.get(role)!);
    if (roles.length <= MAX_MASK_ROLES) {
      this.adjacency = this.excludes.map((others, bit) => {
        let mask = 0;
        for (const other of others) {
          if (other === bit) this.selfExclusive |= 1 << bit;
          else mask |= 1 << other;
        }
        return mask;
      });
    }
  }

  /** Slot index -> the login filling it, for the best assignment the search finds. */
  run(): Map<number, Login> {
    this.search(
      this.slots.map((_, i) => i),
      0,
    );
    this.fillUp();
    const best = new Map<number, Login>();
    this.best.forEach((person, i) => {
      if (person >= 0) best.set(i, this.slots[i]!.candidates[this.people[i]!.indexOf(person)]!);
    });
    return best;
  }

  /**
   * Fills every slot the best assignment left open that a candidate can still take beside it. A
   * search cut by its budget may stand on a node deep in a descent, where the slots after it were
   * never tried; an exhaustive search needs nothing here, as adding a slot would have beaten it.
   */
  private fillUp(): void {
    // The search has released every person it took, so only the best assignment is applied.
    this.best.forEach((person, index) => {
      if (person >= 0) this.take(index, person, 1);
    });
    this.best.forEach((person, index) => {
      if (person >= 0) return;
      const fit = this.people[index]!.find((candidate) => this.feasible(index, candidate));
      if (fit !== undefined) this.take(index, fit, 1);
    });
    this.best = this.current.slice();
  }

  /** Whether the person may take the slot given what is assigned now. */
  private feasible(index: number, person: number): boolean {
    if (this.used[this.groupOf[index]! * this.personCount + person] !== 0) return false;
    const role = this.roleOf[index]!;
    return role < 0 || this.blocked[person * this.roleCount + role] === 0;
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
      this.best = this.current.slice();
    }
    if (open.length === 0) {
      if (count === this.slots.length) this.done = true;
      return;
    }
    const options: number[][] = [];
    let pick = 0;
    for (let k = 0; k < open.length; k++) {
      const index = open[k]!;
      const fit: number[] = [];
      for (const person of this.people[index]!) if (this.feasible(index, person)) fit.push(person);
      options.push(fit);
      if (fit.length < options[pick]!.length) pick = k;
    }
    if (count + this.upperBound(open, options) <= this.bestCount) return;
    const index = open[pick]!;
    const rest = open.filter((_, k) => k !== pick);
    for (const person of options[pick]!) {
      this.take(index, person, 1);
      this.search(rest, count + 1);
      this.take(index, person, -1);
      if (this.done) return;
    }
    // Leaving this slot open may let the others fill up.
    this.search(rest, count);
  }

  /**
   * How many of the open slots could still be filled: the smaller of two bounds. Per group, a
   * maximum matching (distinct people). Per person, the most slots they could still take in
   * roles no two of which exclude each other (a maximum-weight independent set of the conflict
   * graph, one slot per group), or, when that is too costly to know, with the roles of one
   * clique of the cover counting as one role.
   */
  private upperBound(open: number[], options: number[][]): number {
    const byGroup = new Map<number, number[]>();
    open.forEach((index, k) => {
      const list = byGroup.get(this.groupOf[index]!);
      if (list) list.push(k);
      else byGroup.set(this.groupOf[index]!, [k]);
    });
    // (person, role) -> groups with an open slot of that role the person could take; the
    // column after the roles counts slots outside separation of duties.
    const width = this.roleCount + 1;
    const counts = this.counts.fill(0);
    let byGroups = 0;
    for (const members of byGroup.values()) {
      byGroups +=
        members.length === 1
          ? Math.min(1, options[members[0]!]!.length)
          : this.matching.size(members.map((k) => options[k]!));
      const stamp = ++this.stamp;
      for (const k of members) {
        const role = this.roleOf[open[k]!]!;
        const column = role < 0 ? this.roleCount : role;
        for (const person of options[k]!) {
          const cell = person * width + column;
          if (this.stamps[cell] === stamp) continue;
          this.stamps[cell] = stamp;
          counts[cell]! += 1;
        }
      }
    }
    let byPeople = 0;
    for (let person = 0; person < this.personCount && byPeople < byGroups; person++) {
      byPeople += counts[person * width + this.roleCount]! + this.personBound(person * width);
    }
    return Math.min(byGroups, byPeople);
  }

  /** The most role slots one person could still take, from their row of `counts`. */
  private personBound(row: number): number {
    let mask = 0;
    let key = "";
    for (let role = 0; role < this.roleCount; role++) {
      const count = this.counts[row + role]!;
      if (count === 0) continue;
      // One act in a role that excludes itself is all a person may do in it.
      const weight = this.selfExclusive & (1 << role) ? 1 : count;
      this.weights[role] = weight;
      mask |= 1 << role;
      key += `${role}:${weight},`;
    }
    if (mask === 0) return 0;
    if (this.adjacency !== null) {
      let found = this.bounds.get(key);
      if (found === undefined) {
        found = maxIndependentWeight(mask, this.weights, this.adjacency);
        // People often hold the same roles, so the same sets recur; the cache stays small.
        if (this.bounds.size > 10_000) this.bounds.clear();
        this.bounds.set(key, found);
      }
      if (found !== null) return found;
    }
    // Too many roles for the exact bound: the roles of one clique of the cover count as one.
    const cliques = new Map<number, number>();
    for (let role = 0; role < this.roleCount; role++) {
      const count = this.counts[row + role]!;
      if (count === 0) continue;
      const clique = this.cliqueOf[role]!;
      cliques.set(clique, Math.max(cliques.get(clique) ?? 0, count));
    }
    let sum = 0;
    for (const most of cliques.values()) sum += most;
    return sum;
  }

  /** Assigns (`delta` 1) or releases (`delta` -1) a person on a slot. */
  private take(index: number, person: number, delta: 1 | -1): void {
    this.current[index] = delta === 1 ? person : -1;
    this.used[this.groupOf[index]! * this.personCount + person] = delta === 1 ? 1 : 0;
    const role = this.roleOf[index]!;
    if (role < 0) return;
    for (const other of this.excludes[role]!) {
      this.blocked[person * this.roleCount + other]! += delta;
    }
  }
}
