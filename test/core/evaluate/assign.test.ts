import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cliqueCover,
  matchingSize,
  maxIndependentWeight,
} from "../../../src/core/evaluate/assign-bounds.js";
import { assign, DEFAULT_BUDGET } from "../../../src/core/evaluate/assign.js";
import type { Slot } from "../../../src/core/evaluate/slot.js";

const slot = (
  id: string,
  role: string,
  candidates: string[],
  group = "g",
  record: string | null = "R",
): Slot => ({
  id,
  kind: "requires",
  role,
  label: role,
  record,
  group,
  candidates,
  eligible: candidates,
});

describe("assign", () => {
  it.each<[string, Slot[], Array<[string, string]>, Record<string, string>]>([
    [
      "gives each slot of a group a different person",
      [slot("a", "qa", ["x", "y"]), slot("b", "rm", ["x"])],
      [],
      { a: "y", b: "x" },
    ],
    [
      "lets one person fill slots of different groups",
      [slot("a", "qa", ["x"], "g1"), slot("b", "rm", ["x"], "g2")],
      [],
      { a: "x", b: "x" },
    ],
    [
      "keeps a person out of two roles joined by separation of duties",
      [slot("a", "dev", ["x"], "g1"), slot("b", "ops", ["x", "y"], "g2")],
      [["dev", "ops"]],
      { a: "x", b: "y" },
    ],
    [
      "applies separation of duties per record only",
      [slot("a", "dev", ["x"], "g1", "R1"), slot("b", "ops", ["x"], "g2", "R2")],
      [["dev", "ops"]],
      { a: "x", b: "x" },
    ],
    [
      "leaves a slot open when no one is left",
      [slot("a", "qa", ["x"]), slot("b", "qa", ["x"])],
      [],
      { a: "x" },
    ],
  ])("%s", (_name, slots, sod, expected) => {
    const result = assign({ slots, sod, history: [] });
    expect(Object.fromEntries(result.filled)).toEqual(expected);
  });

  it("counts earlier acts on the record for separation of duties", () => {
    const result = assign({
      slots: [slot("a", "ops", ["x", "y"])],
      sod: [["dev", "ops"]],
      history: [{ record: "R", role: "dev", login: "X", action: "consent" }],
    });
    expect(result.filled.get("a")).toBe("y");
  });

  it("stops at its step budget, keeps the best found and says so", () => {
    const people = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const roles = Array.from({ length: 14 }, (_, i) => `r${i}`);
    const sod = roles.flatMap((a, i) => roles.slice(i + 1).map((b): [string, string] => [a, b]));
    const slots = roles.map((r, i) => slot(`s${i}`, r, people, `g${i}`));
    const result = assign({ slots, sod, history: [], budget: 5 });
    expect(result.exhausted).toBe(true);
    expect(result.steps).toBeLessThanOrEqual(16);
    expect(result.filled.size).toBe(12);
  });

  it("proves quickly that mutually exclusive roles need as many people as slots", () => {
    const people = Array.from({ length: 16 }, (_, i) => `p${i}`);
    const roles = Array.from({ length: 24 }, (_, i) => `r${i}`);
    const sod = roles.flatMap((a, i) => roles.slice(i + 1).map((b): [string, string] => [a, b]));
    const slots = roles.map((r, i) => slot(`s${i}`, r, people, `g${i}`));
    const result = assign({ slots, sod, history: [] });
    expect(result.exhausted).toBe(false);
    expect(result.filled.size).toBe(16);
    expect(new Set(result.filled.values()).size).toBe(16);
  });

  it("proves an odd cycle of exclusive roles short of full without spending its budget", () => {
    // Two people, eleven roles in a cycle of exclusions: each person can act in five of them,
    // so at most 40 of the 44 slots fill. The clique cover alone allows 48 and cannot prove it.
    const roles = Array.from({ length: 11 }, (_, i) => `r${i}`);
    const sod = roles.map((r, i): [string, string] => [r, roles[(i + 1) % roles.length]!]);
    const slots = roles.flatMap((r, i) =>
      [0, 1, 2, 3].map((n) => slot(`s${i}-${n}`, r, ["p0", "p1"], `g${i}-${n}`)),
    );
    const result = assign({ slots, sod, history: [] });
    expect(result.exhausted).toBe(false);
    expect(result.filled.size).toBe(40);
    expect(result.steps).toBeLessThan(1_000);
  });

  it("spends at most its default budget on a dense input far beyond a real record, and says so", () => {
    const people = Array.from({ length: 7 }, (_, i) => `p${i}`);
    const roles = Array.from({ length: 13 }, (_, i) => `r${i}`);
    const sod = roles.flatMap((a, i) =>
      roles
        .slice(i + 1)
        .flatMap((b, j): Array<[string, string]> => ((i + j) % 4 === 0 ? [] : [[a, b]])),
    );
    const slots = Array.from({ length: 48 }, (_, n) =>
      slot(
        `s${n}`,
        roles[(n * 5) % 13]!,
        people.filter((_, p) => (n + p) % 4 !== 0),
        `g${n % 13}`,
      ),
    );
    const result = assign({ slots, sod, history: [] });
    expect(result.exhausted).toBe(true);
    expect(result.steps).toBe(DEFAULT_BUDGET + 1);
    // Four times the steps find no better assignment here: the budget cuts time, not quality.
    const longer = assign({ slots, sod, history: [], budget: 4 * DEFAULT_BUDGET });
    expect(result.filled.size).toBe(longer.filled.size);
  });

  it("fills up after a search cut deep in a descent the slots it never came to", () => {
    // Found by the property below: the best node stood before slot s2 was tried, and z was free.
    const slots = [
      slot("s0", "a", [], "g1"),
      slot("s1", "c", ["x", "z"], "g1"),
      slot("s2", "d", ["x", "z"], "g1"),
      slot("s3", "a", ["y", "z"], "g1"),
      slot("s4", "c", ["x", "z"], "g3"),
      slot("s5", "a", ["y"], "g1"),
      slot("s6", "d", ["z"], "g4"),
      slot("s7", "a", ["w"], "g1"),
      slot("s8", "c", ["x", "w"], "g3"),
    ];
    const sod: Array<[string, string]> = [
      ["d", "a"],
      ["c", "a"],
    ];
    const result = assign({ slots, sod, history: [], budget: 18 });
    expect(result.exhausted).toBe(true);
    expect(result.filled.get("s2")).toBe("z");
    expect(result.filled.has("s3")).toBe(false);
  });

  it("leaves open after a cut search only slots no one can take beside the assignment found (property)", () => {
    const role = fc.constantFrom("a", "b", "c", "d");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            role,
            group: fc.constantFrom("g1", "g2", "g3", "g4"),
            candidates: fc.subarray(["x", "y", "z", "w"]),
          }),
          { minLength: 1, maxLength: 14 },
        ),
        fc.array(fc.tuple(role, role), { maxLength: 5 }),
        fc.integer({ min: 1, max: 30 }),
        (specs, sod, budget) => {
          const slots = specs.map((s, i) => slot(`s${i}`, s.role, s.candidates, s.group));
          const { filled } = assign({ slots, sod, history: [], budget });
          const excludes = (r1: string, r2: string) =>
            sod.some(([p, q]) => (p === r1 && q === r2) || (p === r2 && q === r1));
          const fits = (s: Slot, person: string) =>
            slots.every((other) => {
              if (filled.get(other.id) !== person) return true;
              return other.group !== s.group && !excludes(other.role!, s.role!);
            });
          for (const s of slots) {
            const person = filled.get(s.id);
            if (person !== undefined) {
              // What is filled stays valid: the person is a candidate and breaks no rule.
              expect(s.candidates).toContain(person);
              filled.delete(s.id);
              expect(fits(s, person)).toBe(true);
              filled.set(s.id, person);
            } else {
              expect(s.candidates.filter((c) => fits(s, c))).toEqual([]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fills every slot whenever a complete assignment exists (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray(["a", "b", "c", "d", "e"], { minLength: 1 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (candidateLists) => {
          const slots = candidateLists.map((c, i) => slot(`s${i}`, `r${i}`, c));
          const result = assign({ slots, sod: [], history: [] });
          // Without separation of duties the best assignment is a maximum matching.
          expect(result.filled.size).toBe(matchingSize(candidateLists));
          expect(new Set(result.filled.values()).size).toBe(result.filled.size);
        },
      ),
    );
  });
});

/** The most slots any valid assignment fills, by trying them all (small cases only). */
function bruteForce(slots: Slot[], sod: Array<[string, string]>): number {
  let best = 0;
  const chosen: Array<string | null> = [];
  const valid = () => {
    for (let a = 0; a < slots.length; a++) {
      for (let b = a + 1; b < slots.length; b++) {
        const pa = chosen[a];
        if (pa == null || pa !== chosen[b]) continue;
        if (slots[a]!.group === slots[b]!.group) return false;
        const ra = slots[a]!.role;
        const rb = slots[b]!.role;
        if (sod.some(([x, y]) => (x === ra && y === rb) || (x === rb && y === ra))) return false;
      }
    }
    return true;
  };
  const walk = (i: number) => {
    if (i === slots.length) {
      if (valid()) best = Math.max(best, chosen.filter((c) => c != null).length);
      return;
    }
    for (const option of [null, ...slots[i]!.candidates]) {
      chosen[i] = option;
      walk(i + 1);
    }
  };
  walk(0);
  return best;
}

describe("assign against brute force", () => {
  it("fills as many slots as the best valid assignment, with groups and separation of duties (property)", () => {
    const role = fc.constantFrom("a", "b", "c", "d");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            role,
            group: fc.constantFrom("g1", "g2", "g3"),
            candidates: fc.subarray(["x", "y", "z"]),
          }),
          { minLength: 1, maxLength: 7 },
        ),
        fc.array(fc.tuple(role, role), { maxLength: 4 }),
        (specs, sod) => {
          const slots = specs.map((s, i) => slot(`s${i}`, s.role, s.candidates, s.group));
          const result = assign({ slots, sod, history: [] });
          expect(result.filled.size).toBe(bruteForce(slots, sod));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("matchingSize", () => {
  it.each([
    ["is zero without slots", [], 0],
    ["re-routes an earlier choice to fit a later slot", [["x", "y"], ["x"]], 2],
    ["cannot exceed the people available", [["x"], ["x"], ["x"]], 1],
  ])("%s", (_name, options: string[][], size) => {
    expect(matchingSize(options)).toBe(size);
  });
});

describe("cliqueCover", () => {
  it("puts only roles that all exclude each other into one clique (property)", () => {
    const roles = ["a", "b", "c", "d", "e", "f"];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...roles), fc.constantFrom(...roles)), { maxLength: 12 }),
        (pairs) => {
          const conflicts = new Map<string, string[]>();
          for (const [x, y] of pairs) {
            conflicts.set(x, [...(conflicts.get(x) ?? []), y]);
            conflicts.set(y, [...(conflicts.get(y) ?? []), x]);
          }
          const cover = cliqueCover(roles, conflicts);
          expect([...cover.keys()].sort()).toEqual(roles);
          for (const x of roles) {
            for (const y of roles) {
              if (x !== y && cover.get(x) === cover.get(y))
                expect(conflicts.get(x) ?? []).toContain(y);
            }
          }
        },
      ),
    );
  });
});

describe("maxIndependentWeight", () => {
  /** The best weight over every subset of roles that holds no excluding pair. */
  function bruteForceWeight(weights: number[], adjacency: number[]): number {
    let best = 0;
    for (let set = 0; set < 1 << weights.length; set++) {
      let ok = true;
      let weight = 0;
      for (let v = 0; v < weights.length && ok; v++) {
        if (!(set & (1 << v))) continue;
        if (adjacency[v]! & set) ok = false;
        weight += weights[v]!;
      }
      if (ok) best = Math.max(best, weight);
    }
    return best;
  }

  it.each([
    ["takes every role when none excludes another", [2, 3, 1], [0, 0, 0], 6],
    ["takes the heavier of two excluding roles", [2, 3], [0b10, 0b01], 3],
    ["takes the two ends of a path over its middle", [2, 3, 2], [0b010, 0b101, 0b010], 4],
    ["takes one role of a triangle", [1, 4, 2], [0b110, 0b101, 0b011], 4],
  ])("%s", (_name, weights, adjacency, expected) => {
    expect(maxIndependentWeight((1 << weights.length) - 1, weights, adjacency)).toBe(expected);
  });

  it("matches a brute force on random conflict graphs (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 9 }),
        fc.array(fc.tuple(fc.nat(8), fc.nat(8)), { maxLength: 20 }),
        (weights, edges) => {
          const adjacency = weights.map(() => 0);
          for (const [a, b] of edges) {
            if (a === b || a >= weights.length || b >= weights.length) continue;
            adjacency[a]! |= 1 << b;
            adjacency[b]! |= 1 << a;
          }
          const mask = (1 << weights.length) - 1;
          expect(maxIndependentWeight(mask, weights, adjacency)).toBe(
            bruteForceWeight(weights, adjacency),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives up with null past its branch limit", () => {
    // A cycle of 20 roles needs more than two branches.
    const adjacency = Array.from(
      { length: 20 },
      (_, v) => (1 << ((v + 1) % 20)) | (1 << ((v + 19) % 20)),
    );
    const weights = adjacency.map(() => 1);
    expect(maxIndependentWeight((1 << 20) - 1, weights, adjacency, 2)).toBeNull();
    expect(maxIndependentWeight((1 << 20) - 1, weights, adjacency)).toBe(10);
  });
});
