/**
 * The finance pack as `gatehouse init` writes it, read from disk, and records of its three kinds,
 * for the tests that judge pull requests under it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { stringify } from "yaml";
import type { CheckWindow } from "../../../src/core/evaluate/judge-record.js";
import type { Act, Snapshot } from "../../../src/core/types.js";
import { BASE, commit, HEAD, review } from "./fixtures.js";

export const PACK = new URL("../../../policies/finance/", import.meta.url);
export const packFiles = (): Map<string, string> =>
  new Map(
    readdirSync(PACK).map((name) => [
      `policies/${name}`,
      readFileSync(new URL(name, PACK), "utf8"),
    ]),
  );

// The pack's example members, plus the members of its teams.
export const TEAMS = { "acme/qa": ["qa-1", "qa-2"], "acme/ops": ["ops-1"], "acme/architects": [] };
export const [LIAISON, DEV, RM, OPS, DEVMGR, OPSMGR, TEST] = [
  "example-liu-yang",
  "example-wang-jun",
  "example-zhao-min",
  "example-li-na",
  "example-huang-lei",
  "example-xu-hong",
  "example-chen-jie",
];

export const windowOk: CheckWindow = (_c, record) => ({
  id: "w",
  status: "satisfied",
  reason: `${record.id} is inside its window`,
  children: [],
});
export const windowFrozen: CheckWindow = (_c, record) => ({
  id: "w",
  status: "failed",
  reason: `${record.id} falls in the year-end close`,
  children: [],
});

export interface Row {
  path: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  author: string;
  approvals: string[];
  evidence?: Act[];
  window?: CheckWindow;
}

export function snapshotOf(row: Row): Snapshot {
  const base = packFiles();
  if (row.before) base.set(row.path, stringify(row.before));
  const snap: Snapshot = {
    repo: "acme/changes",
    author: row.author,
    base: { sha: BASE, files: base },
    head: { sha: HEAD, files: new Map([[row.path, stringify(row.after)]]) },
    changed: [{ path: row.path, status: row.before ? "modified" : "added" }],
    commits: [commit("d".repeat(40), row.author)],
    approvals: row.approvals.map((u) => review(u)),
    teams: TEAMS,
    labels: [],
    checks: {},
    now: new Date("2026-03-03T15:00:00Z"),
    recordPaths: [row.path],
  };
  if (row.evidence) snap.evidence = [{ record: String(row.after.id), acts: row.evidence }];
  return snap;
}

export const CHG = "CHG-2026-0042";
export const CHG_PATH = `changes/${CHG}.yaml`;
export const FULL = {
  apiVersion: "gatehouse/v1",
  kind: "ChangeRequest",
  id: CHG,
  title: "Raise the transfer limit",
  type: "normal",
  environment: "production",
  window: { start: "2026-03-03T22:00:00+08:00", end: "2026-03-03T23:00:00+08:00" },
  requirements: { scope: "Raise the daily transfer limit" },
  architecture: { review: "approved" },
  deployment: {
    version: "1.2.0",
    artifact: "registry/pay@sha256:abc",
    strategy: "rolling",
    steps: ["helm upgrade"],
    rollback: ["helm rollback"],
  },
  testing: { conclusion: "passed", report: "https://ci.example/r/1" },
};
export const chg = (state: string, extra: Record<string, unknown> = {}) => ({
  ...FULL,
  state,
  ...extra,
});
export const EXECUTED = (result: string) => ({
  execution: { result, executedAt: "2026-03-03T22:40:00+08:00" },
});
export const REVIEWED = { review: { summary: "Went as planned" } };
/** A row builder for the record at `path`: its versions, its author and its approvals. */
const rowAt =
  (path: string, defaults: Partial<Row> = {}) =>
  (
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
    author: string,
    approvals: string[],
    more: Partial<Row> = {},
  ): Row => ({ path, before, after, author, approvals, ...defaults, ...more });

export const c = rowAt(CHG_PATH, { window: windowOk });

export const INC = "INC-2026-0107";
export const incident = (state: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "gatehouse/v1",
  kind: "IncidentAnalysis",
  id: INC,
  title: "Payments timeout",
  state,
  severity: "P2",
  collection: {
    occurredAt: "2026-03-01T10:00:00+08:00",
    detectedAt: "2026-03-01T10:05:00+08:00",
    symptoms: "Timeouts on transfers",
  },
  ...extra,
});
export const ANALYSIS = {
  analysis: {
    rootCause: "Pool exhausted",
    category: "capacity",
    handlingStrategy: "Raise the pool",
  },
};
export const i = rowAt(`incidents/${INC}.yaml`);

export const IMP = "IMP-2026-0011";
export const improvement = (state: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "gatehouse/v1",
  kind: "ImprovementPlan",
  id: IMP,
  title: "Pool sizing",
  state,
  opportunity: { description: "Size pools from load tests" },
  ...extra,
});
export const PLAN = {
  plan: { actions: ["Load test monthly"], owner: "example-wang-jun", due: "2026-06-30" },
};
export const p = rowAt(`improvements/${IMP}.yaml`);
