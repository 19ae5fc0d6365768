/**
 * The evaluator on synthetic pull requests built with the finance pack: 1x = 750 changed files,
 * 60 commits, 25 reviews, 50 records, 30 roles; then 4x and 16x. The records move in turn: new
 * ones, plain edits, and transitions with and without a change window. Prints the median time per
 * evaluation with the policy load cold (fresh caches) and warm (the base policy loaded before, by
 * digest), the memory high-water mark and the 16x/1x ratio; then adversarial assignments
 * (everyone holds every role, no complete assignment exists) to show the search stays bounded.
 */
import { readdirSync, readFileSync } from "node:fs";
import { stringify } from "yaml";
import { assign } from "../src/core/evaluate/assign.js";
import { changedRecords } from "../src/core/evaluate/changed-records.js";
import { evaluate, evaluateWithPolicy } from "../src/core/evaluate/evaluate.js";
import { forgetLoadedPolicies, loadPolicy } from "../src/core/policy/load-policy.js";
import type { Slot } from "../src/core/evaluate/slot.js";
import { fastMap } from "../src/core/yaml/fast-map.js";
import { parseYaml } from "../src/core/yaml/parse-yaml.js";
import type { ChangedFile, Commit, Review, Snapshot } from "../src/core/types.js";

const HEAD = "a".repeat(40);
const PACK = new URL("../policies/finance/", import.meta.url);
const EXTRA_ROLES = 20; // the pack has 10; 30 in all

function packFiles(): Map<string, string> {
  const files = new Map(
    readdirSync(PACK).map((n) => [`policies/${n}`, readFileSync(new URL(n, PACK), "utf8")]),
  );
  const roles = files.get("policies/roles.yml")!;
  const extra = Array.from(
    { length: EXTRA_ROLES },
    (_, i) => `  extra-${i}:\n    members: ["@person-${i}", "@acme/qa"]\n`,
  ).join("");
  files.set("policies/roles.yml", roles.replace(/^roles:\n/m, `roles:\n${extra}`));
  return files;
}

const FULL = {
  apiVersion: "gatehouse/v1",
  kind: "ChangeRequest",
  title: "Synthetic change",
  type: "normal",
  environment: "production",
  requirements: { scope: "Scope" },
  architecture: { review: "approved" },
  deployment: { version: "1", artifact: "a", strategy: "rolling", steps: ["s"], rollback: ["r"] },
  testing: { conclusion: "passed", report: "r" },
};
/** How the records move, in turn: new ones, edits, transitions with and without a window. */
const MOVES: Array<[string | null, string]> = [
  ["draft", "requested"],
  ["requested", "cancelled"],
  ["draft", "draft"],
  ["done", "closed"],
  [null, "draft"],
  ["requested", "scheduled"],
];
/** A Thursday night inside the finance calendar's production window. */
const WINDOW = { start: "2026-03-05T22:30:00+08:00", end: "2026-03-05T23:30:00+08:00" };

export function synthetic(scale: number): Snapshot {
  const base = packFiles();
  const head = new Map<string, string>();
  const changed: ChangedFile[] = [];
  const records = 50 * scale;
  for (let n = 0; n < records; n++) {
    const id = `CHG-2026-${String(n + 1).padStart(5, "0")}`;
    const path = `changes/${id}.yaml`;
    const [from, to] = MOVES[n % MOVES.length]!;
    const review =
      from === "done"
        ? {
            review: { summary: "ok" },
            execution: { result: "done", executedAt: "2026-03-03T22:40:00+08:00" },
          }
        : {};
    const window = to === "scheduled" ? { window: WINDOW } : {};
    if (from !== null) base.set(path, stringify({ ...FULL, id, state: from, ...review }));
    head.set(
      path,
      stringify({
        ...FULL,
        id,
        state: to,
        ...review,
        ...window,
        requirements: { scope: `Scope ${n}` },
      }),
    );
    changed.push({ path, status: from === null ? "added" : "modified" });
  }
  const others = 750 * scale - records;
  for (let n = 0; n < others; n++) {
    const path = n % 100 === 0 ? `policies/extra-${n}.yml` : `src/module-${n % 37}/file-${n}.ts`;
    head.set(path, "x");
    changed.push({ path, status: n % 10 === 0 ? "added" : "modified" });
  }
  const people = [
    "example-zhao-min",
    "qa-1",
    "qa-2",
    "example-li-na",
    "ops-1",
    "example-liu-yang",
    "example-zhang-wei",
    "example-chen-jie",
    "example-guo-qiang",
    "example-he-fang",
  ];
  const approvals: Review[] = [];
  for (let n = 0; n < 25 * scale; n++) {
    const user = n < people.length ? people[n]! : `reviewer-${n}`;
    approvals.push({
      user,
      state: n % 9 === 8 ? "COMMENTED" : "APPROVED",
      commit: HEAD,
      submittedAt: new Date(2026, 2, 1, 0, n),
    });
  }
  const commits: Commit[] = [];
  for (let n = 0; n < 60 * scale; n++) {
    const who = {
      name: `dev ${n % 7}`,
      email: n % 13 === 0 ? `dev${n}@bank.example` : `dev-${n % 7}@users.noreply.github.com`,
      date: new Date(0),
    };
    commits.push({
      sha: n.toString(16).padStart(40, "0"),
      parents: [],
      author: who,
      committer: who,
      message: "m",
    });
  }
  return {
    repo: "acme/bench",
    author: "example-wang-jun",
    base: { sha: "b".repeat(40), files: base },
    head: { sha: HEAD, files: head },
    changed,
    commits,
    approvals,
    teams: { "acme/qa": ["qa-1", "qa-2", "qa-3"], "acme/ops": ["ops-1"], "acme/architects": [] },
    labels: [],
    checks: {},
    now: new Date("2026-03-03T15:00:00Z"),
    recordPaths: changed.map((f) => f.path).filter((path) => path.startsWith("changes/")),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface Figures {
  cold: number;
  warm: number;
}

/**
 * Cold runs forget the loaded policies first, as a process meeting a new base policy does; warm
 * runs find the base policy loaded by digest, as production re-judging pull requests against
 * the same base does. Records are parsed afresh in both: nothing of a pull request is cached.
 */
async function measure(scale: number, runs: number): Promise<Figures> {
  const snap = synthetic(scale);
  await evaluate(snap, { stages: [] }); // warm up: ajv, picomatch, JIT
  const cold: number[] = [];
  const warm: number[] = [];
  let rss = 0;
  let heap = 0;
  let verdict = "";
  for (let n = 0; n < runs; n++) {
    // Alternate, so that load from other work on the machine falls on both alike.
    for (const times of [cold, warm]) {
      if (times === cold) forgetLoadedPolicies();
      const start = performance.now();
      const result = await evaluate(snap, { stages: [] });
      times.push(performance.now() - start);
      const memory = process.memoryUsage();
      rss = Math.max(rss, memory.rss);
      heap = Math.max(heap, memory.heapUsed);
      verdict = `${result.conclusion}, ${result.records.length} records`;
    }
  }
  const figures = { cold: median(cold), warm: median(warm) };
  console.log(
    `${String(scale).padStart(2)}x  ${String(750 * scale).padStart(6)} files  median cold ${figures.cold.toFixed(1).padStart(7)} ms, warm ${figures.warm.toFixed(1).padStart(7)} ms  peak rss ${mb(rss)}, heap ${mb(heap)}  (${verdict})`,
  );
  return figures;
}

/** Runs one adversarial assignment and prints how long it took and how far it got. */
function timeAssignment(what: string, slots: Slot[], sod: Array<[string, string]>): void {
  const start = performance.now();
  const result = assign({ slots, sod, history: [] });
  const ms = performance.now() - start;
  console.log(
    `${what}${result.filled.size} filled in ${ms.toFixed(0)} ms after ${result.steps} steps` +
      (result.exhausted ? " (step bound reached; best assignment kept)" : ""),
  );
}

function adversarial(): void {
  // 16 people hold all 24 roles and every two roles are joined by separation of duties, so one
  // person may act in one role only: 24 slots on one record can never all be filled. Each slot
  // is its own group, so the matching bound cannot see it; only the step budget stops the search.
  const people = Array.from({ length: 16 }, (_, i) => `p${i}`);
  const roles = Array.from({ length: 24 }, (_, i) => `r${i}`);
  const sod = roles.flatMap((a, i) => roles.slice(i + 1).map((b): [string, string] => [a, b]));
  const slots: Slot[] = roles.map((role, i) => ({
    id: `s${i}`,
    kind: "requires",
    role,
    label: role,
    record: "CHG-2026-0001",
    group: `g${i}`,
    candidates: people,
    eligible: people,
  }));
  timeAssignment(
    `adversarial: ${slots.length} slots, ${people.length} people holding every role, all roles exclusive: `,
    slots,
    sod,
  );
}

/** A conflict graph (an odd cycle) on which the clique bound is loose: only the budget stops it. */
export function adversarialLoose(): void {
  const people = ["p0", "p1"];
  const roles = Array.from({ length: 11 }, (_, i) => `r${i}`);
  const sod = roles.map((r, i): [string, string] => [r, roles[(i + 1) % roles.length]!]);
  const slots: Slot[] = roles.flatMap((role, i) =>
    [0, 1, 2, 3].map((n) => ({
      id: `s${i}-${n}`,
      kind: "requires" as const,
      role,
      label: role,
      record: "CHG-2026-0001",
      group: `g${i}-${n}`,
      candidates: people,
      eligible: people,
    })),
  );
  timeAssignment(
    `adversarial, loose bound: ${slots.length} slots on an 11-cycle of exclusive roles, 2 people: `,
    slots,
    sod,
  );
}

/**
 * Far beyond a real record: 48 slots on one record, 7 people holding all 13 roles, three in four
 * pairs of roles exclusive. Neither bound is tight here, so the step budget decides the time.
 */
export function adversarialDense(): void {
  const people = Array.from({ length: 7 }, (_, i) => `p${i}`);
  const roles = Array.from({ length: 13 }, (_, i) => `r${i}`);
  const sod = roles.flatMap((a, i) =>
    roles
      .slice(i + 1)
      .flatMap((b, j): Array<[string, string]> => ((i + j) % 4 === 0 ? [] : [[a, b]])),
  );
  const slots: Slot[] = Array.from({ length: 48 }, (_, n) => ({
    id: `s${n}`,
    kind: "requires" as const,
    role: roles[(n * 5) % roles.length]!,
    label: "role",
    record: "CHG-2026-0001",
    group: `g${n % 13}`,
    candidates: people.filter((_, p) => (n + p) % 4 !== 0),
    eligible: people,
  }));
  timeAssignment(
    `adversarial, dense: ${slots.length} slots on one record, ${people.length} people, ${sod.length} exclusive pairs of ${roles.length} roles: `,
    slots,
    sod,
  );
}

/** Where the time of one evaluation goes at 1x: the policy load and record parsing are not the evaluator's own. */
async function breakdown(): Promise<void> {
  const snap = synthetic(1);
  const time = (f: () => unknown, runs = 10) => {
    f();
    const start = performance.now();
    for (let n = 0; n < runs; n++) f();
    return (performance.now() - start) / runs;
  };
  const load = loadPolicy(snap.base.files);
  if (!load.ok) throw new Error("the finance pack does not load");
  const parse = time(() => changedRecords(snap, load.policy.config));
  // Record reading: the quick reader's share of it, and what the full parse would cost instead.
  const texts = snap.changed.flatMap((f) =>
    [snap.base.files.get(f.path), snap.head.files.get(f.path)].filter(
      (t): t is string => t !== undefined && f.path.startsWith("changes/"),
    ),
  );
  const quick = texts.filter((t) => fastMap(t) !== undefined).length;
  const quickOnly = time(() => texts.forEach((t) => fastMap(t)));
  const fullOnly = time(() => texts.forEach((t) => parseYaml("r.yaml", t)));
  await evaluateWithPolicy(snap, load, { stages: [] });
  const start = performance.now();
  for (let n = 0; n < 10; n++) await evaluateWithPolicy(snap, load, { stages: [] });
  const whole = (performance.now() - start) / 10;
  const cold = time(() => {
    forgetLoadedPolicies();
    loadPolicy(snap.base.files);
  });
  console.log(
    `1x breakdown: loadPolicy cold ${cold.toFixed(1)} ms, warm ${time(() => loadPolicy(snap.base.files)).toFixed(2)} ms; ` +
      `evaluateWithPolicy ${whole.toFixed(1)} ms, of which reading ${texts.length} record versions ${parse.toFixed(1)} ms ` +
      `and the evaluator's own rules and assignment ${(whole - parse).toFixed(1)} ms; ` +
      `the quick reader answered for ${quick} of ${texts.length} versions (${quickOnly.toFixed(1)} ms), ` +
      `where the full position-keeping parse takes ${fullOnly.toFixed(1)} ms`,
  );
}

export async function run(): Promise<void> {
  const one = await measure(1, 30);
  await measure(4, 12);
  const sixteen = await measure(16, 5);
  console.log(
    `ratio 16x/1x: cold ${(sixteen.cold / one.cold).toFixed(1)}, warm ${(sixteen.warm / one.warm).toFixed(1)} (linear would be 16)`,
  );
  await breakdown();
  adversarial();
  adversarialLoose();
  adversarialDense();
}
