/**
 * Snapshots and policies as object literals for the evaluator's tests: no git, no GitHub.
 * The cast: wang-jun (dev-lead) usually opens the pull request; li-na and chen-jie are qa;
 * zhao-min holds qa and release-manager; sun-li is ops-lead; zhou-hui holds dev-lead and
 * ops-lead; sec-a and sec-b are security admins; zhang-wei is an architect through a team.
 */
import { stringify } from "yaml";
import {
  DEFAULT_CONFIG,
  type Condition,
  type Policy,
  type PolicyLoad,
  type Transition,
} from "../../../src/core/policy/model.js";
import type {
  Commit,
  Review,
  ReviewState,
  RuleResult,
  Snapshot,
  SourceLocation,
} from "../../../src/core/types.js";

export const HEAD = "a".repeat(40);
export const BASE = "b".repeat(40);
export const OLD_HEAD = "c".repeat(40);

const at = (path = "policies/workflows.yml"): SourceLocation => ({ path, line: 1, column: 1 });

function transition(t: Partial<Transition> & Pick<Transition, "from" | "to">): Transition {
  return {
    when: [],
    requires: [],
    complete: [],
    conditions: [],
    checks: [],
    window: "none",
    writes: [],
    at: at(),
    ...t,
  };
}

const is = (field: string, equals: unknown): Condition => ({ field, equals, at: at() });

/** A small policy in the shape of the finance pack. */
export function testPolicy(): Policy {
  const role = (id: string, members: Array<{ login: string } | { team: string }>) =>
    [id, { id, members, at: at("policies/roles.yml") }] as const;
  return {
    config: DEFAULT_CONFIG,
    roles: {
      roles: new Map([
        role("dev-lead", [{ login: "wang-jun" }, { login: "zhou-hui" }]),
        role("qa", [{ login: "li-na" }, { login: "chen-jie" }, { login: "zhao-min" }]),
        role("release-manager", [{ login: "zhao-min" }]),
        role("ops-lead", [{ login: "sun-li" }, { login: "zhou-hui" }]),
        role("test-lead", [{ login: "ma-tao" }]),
        role("requirements-liaison", [{ login: "wang-jun" }, { login: "he-yan" }]),
        role("architect", [{ team: "acme/architects" }]),
        role("dev-manager", [{ login: "qian-bo" }]),
        role("ops-manager", [{ login: "xu-lei" }]),
        role("security-admin", [{ login: "sec-a" }, { login: "sec-b" }]),
      ]),
      separationOfDuties: [
        { roles: ["dev-lead", "ops-lead"], at: at("policies/roles.yml") },
        { roles: ["release-manager", "ops-lead"], at: at("policies/roles.yml") },
        { roles: ["dev-lead", "test-lead"], at: at("policies/roles.yml") },
      ],
    },
    owners: [
      { pattern: "/policies/", owners: [{ role: "security-admin" }], at: at("policies/OWNERS") },
      { pattern: "docs/", owners: [{ login: "li-na" }], at: { ...at("policies/OWNERS"), line: 2 } },
      {
        pattern: "docs/api/",
        owners: [{ team: "acme/architects" }],
        at: { ...at("policies/OWNERS"), line: 3 },
      },
      { pattern: "docs/free/", owners: [], at: { ...at("policies/OWNERS"), line: 4 } },
    ],
    workflows: {
      fourEyes: true,
      kinds: {
        ChangeRequest: {
          kind: "ChangeRequest",
          initial: "draft",
          states: ["draft", "requested", "scheduled", "done", "closed", "cancelled"],
          openStates: ["draft", "requested", "scheduled"],
          sections: [
            {
              pointer: "/requirements",
              owner: "requirements-liaison",
              required: ["scope"],
              at: at(),
            },
            { pointer: "/architecture", owner: "architect", required: ["review"], at: at() },
            { pointer: "/deployment", owner: "dev-lead", required: ["version", "steps"], at: at() },
            {
              pointer: "/testing",
              owner: "test-lead",
              required: ["conclusion", "report"],
              at: at(),
            },
            { pointer: "/execution", owner: "ops-lead", required: ["result"], at: at() },
            { pointer: "/review", owner: "qa", required: ["summary"], at: at() },
          ],
          transitions: [
            transition({ from: ["(new)"], to: "draft" }),
            transition({
              from: ["draft"],
              to: "requested",
              requires: ["release-manager", "qa"],
              complete: ["/requirements", "/testing"],
              conditions: [is("/testing/conclusion", "passed")],
            }),
            transition({
              from: ["draft"],
              to: "scheduled",
              when: [is("/type", "emergency")],
              requires: ["dev-manager", "ops-manager"],
            }),
            transition({
              from: ["requested"],
              to: "scheduled",
              requires: ["ops-lead"],
              checks: ["ci"],
            }),
            transition({ from: ["scheduled"], to: "done" }),
            transition({ from: ["done"], to: "closed", requires: ["qa"], complete: ["/review"] }),
            transition({ from: ["*"], to: "cancelled", requires: ["release-manager"] }),
          ],
          free: [],
          fixed: [],
          at: at(),
        },
      },
      rules: [
        {
          name: "policy change",
          paths: ["policies/**", ".github/gatehouse.yml"],
          requires: ["security-admin", "security-admin"],
          checks: [],
          at: at(),
        },
      ],
      signatures: { required: false, paths: [], trustGithubWebCommits: false },
      lists: {},
      links: [],
    },
    files: new Map(),
    keys: new Map(),
  };
}

export const loaded = (policy: Policy = testPolicy()): PolicyLoad => ({
  ok: true,
  policy,
  findings: [],
});

/** A valid ChangeRequest's YAML with the given state and extra fields. */
export function change(id: string, state: string, extra: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: "gatehouse/v1",
    kind: "ChangeRequest",
    id,
    title: `Change ${id}`,
    state,
    type: "normal",
    ...extra,
  });
}

export const READY = {
  requirements: { scope: "Raise the transfer limit" },
  testing: { conclusion: "passed", report: "https://ci.example/r/1" },
};

/** A review on the head unless another commit is named. */
export function review(user: string, state: ReviewState = "APPROVED", commit = HEAD): Review {
  return { user, state, commit, submittedAt: new Date("2026-03-01T10:00:00Z") };
}

export function commit(
  sha: string,
  author: string,
  email = `${author}@users.noreply.github.com`,
): Commit {
  const person = { name: author, email, date: new Date("2026-03-01T09:00:00Z") };
  return { sha, parents: [], author: person, committer: person, message: "change" };
}

export interface SnapshotSpec {
  author?: string;
  /** Path -> content at the base (records that existed, policy files). */
  base?: Record<string, string>;
  /** Path -> content at the head; a path absent here but present in base is not changed. */
  head?: Record<string, string>;
  removed?: string[];
  renamed?: Array<{ from: string; to: string }>;
  approvals?: Review[];
  commits?: Commit[];
  checks?: Record<string, string>;
  evidence?: Snapshot["evidence"];
  identities?: Record<string, string>;
  /**
   * Record files at the head; by default the YAML files of the base and head, less removals.
   * Given as undefined, the snapshot has none, as from an adapter that did not list them.
   */
  recordPaths?: string[] | undefined;
}

/** A snapshot whose changed files are the head files (added or modified), removals and renames. */
export function snapshot(spec: SnapshotSpec = {}): Snapshot {
  const author = spec.author ?? "wang-jun";
  const base = new Map(Object.entries(spec.base ?? {}));
  const head = new Map(Object.entries(spec.head ?? {}));
  const renamedTo = new Set((spec.renamed ?? []).map((r) => r.to));
  const changed: Snapshot["changed"] = [...head.keys()]
    .filter((path) => !renamedTo.has(path))
    .map((path) => ({ path, status: base.has(path) ? ("modified" as const) : ("added" as const) }));
  for (const path of spec.removed ?? []) changed.push({ path, status: "removed" });
  for (const r of spec.renamed ?? [])
    changed.push({ path: r.to, status: "renamed", previousPath: r.from });
  const snap: Snapshot = {
    repo: "acme/changes",
    number: 7,
    author,
    base: { sha: BASE, files: base },
    head: { sha: HEAD, files: head },
    changed,
    commits: spec.commits ?? [commit("d".repeat(40), author)],
    approvals: spec.approvals ?? [],
    teams: { "acme/architects": ["zhang-wei"] },
    labels: [],
    checks: spec.checks ?? {},
    now: new Date("2026-03-02T10:00:00Z"),
  };
  if (spec.evidence) snap.evidence = spec.evidence;
  if (spec.identities) snap.identities = spec.identities;
  const gone = new Set([...(spec.removed ?? []), ...(spec.renamed ?? []).map((r) => r.from)]);
  const listed =
    "recordPaths" in spec
      ? spec.recordPaths
      : [...new Set([...base.keys(), ...head.keys()])].filter(
          (path) => /\.ya?ml$/.test(path) && !gone.has(path),
        );
  if (listed !== undefined) snap.recordPaths = listed;
  return snap;
}

/** A node of a verdict tree by id; throws when absent so a test cannot pass on a missing node. */
export function node(root: RuleResult, id: string): RuleResult {
  const visit = (n: RuleResult): RuleResult | undefined =>
    n.id === id ? n : n.children.map(visit).find((x) => x !== undefined);
  const found = visit(root);
  if (!found) throw new Error(`no node ${id} in the verdict`);
  return found;
}
