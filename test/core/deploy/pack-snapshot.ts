/**
 * Snapshots over the finance pack as `gatehouse init` writes it (read from disk) for the
 * deployment rules: deployment files, change records at the base, a body that names a change.
 * The cast is the pack's: li-na and ops-1 hold ops-lead, zhao-min release-manager, qa-1 qa.
 */
import { readdirSync, readFileSync } from "node:fs";
import { stringify } from "yaml";
import type { Act, Snapshot } from "../../../src/core/types.js";
import { BASE, commit, HEAD, review } from "../evaluate/fixtures.js";

const PACK = new URL("../../../policies/finance/", import.meta.url);

export function packFiles(): Map<string, string> {
  return new Map(
    readdirSync(PACK).map((name) => [
      `policies/${name}`,
      readFileSync(new URL(name, PACK), "utf8"),
    ]),
  );
}

export const TEAMS = { "acme/qa": ["qa-1", "qa-2"], "acme/ops": ["ops-1"], "acme/architects": [] };
export const OPS = "example-li-na";
export const OPS2 = "ops-1";
export const RM = "example-zhao-min";
export const DEV = "example-wang-jun";
export const QA = "qa-1";
export const OPSMGR = "example-xu-hong";
export const DEVMGR = "example-huang-lei";

/** Thursday 2026-11-26, 22:00-23:30 in Shanghai: inside the pack's production window. */
export const WINDOW = { start: "2026-11-26T22:00:00+08:00", end: "2026-11-26T23:30:00+08:00" };
export const INSIDE = new Date("2026-11-26T22:30:00+08:00");

export function changeRecord(
  id: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: "gatehouse/v1",
    kind: "ChangeRequest",
    id,
    title: "Payments gateway 4.2",
    state: "scheduled",
    type: "normal",
    system: "payments-gateway",
    environment: "production",
    risk: "medium",
    window: WINDOW,
    covers: ["deploy/production/payments/**"],
    requirements: { scope: "Settle cross-border payments" },
    architecture: { review: "approved" },
    deployment: {
      version: "4.2.0",
      artifact: "registry.internal/payments/gateway:4.2.0",
      strategy: "blue-green",
      steps: ["switch 10% of traffic", "switch the rest"],
      rollback: ["switch traffic back to blue"],
    },
    testing: { conclusion: "passed", report: "QA-2026-311" },
    ...fields,
  };
}

export interface DeploySpec {
  /** Deployment (or other) files the pull request adds: path -> text. */
  files?: Record<string, string>;
  /** Change records at the base: id -> fields over {@link changeRecord}. */
  changes?: Record<string, Record<string, unknown>>;
  /** Change records the pull request writes: id -> {before (null: new), after}. */
  writes?: Record<
    string,
    { before: Record<string, unknown> | null; after: Record<string, unknown> }
  >;
  body?: string;
  author?: string;
  approvals?: string[];
  now?: Date;
  evidence?: Record<string, Act[]>;
  /** Leave the change records out, as an adapter that did not load them would. */
  noChangeRecords?: boolean;
  pack?: Map<string, string>;
}

export function deploySnapshot(spec: DeploySpec): Snapshot {
  const base = spec.pack ?? packFiles();
  const head = new Map<string, string>();
  const changed: Snapshot["changed"] = [];
  for (const [path, text] of Object.entries(
    spec.files ?? { "deploy/production/payments/app.yaml": "image: gateway:4.2.0\n" },
  )) {
    head.set(path, text);
    changed.push({ path, status: "added" });
  }
  const changeRecords = new Map<string, string>();
  for (const [id, fields] of Object.entries(spec.changes ?? { "CHG-2026-0001": {} })) {
    changeRecords.set(`changes/${id}.yaml`, stringify(changeRecord(id, fields)));
  }
  const recordPaths = [...changeRecords.keys()];
  for (const [id, { before, after }] of Object.entries(spec.writes ?? {})) {
    const path = `changes/${id}.yaml`;
    if (before) base.set(path, stringify(changeRecord(id, before)));
    head.set(path, stringify(changeRecord(id, after)));
    changed.push({ path, status: before ? "modified" : "added" });
    if (!recordPaths.includes(path)) recordPaths.push(path);
  }
  const author = spec.author ?? OPS;
  const snapshot: Snapshot = {
    repo: "acme/payments",
    author,
    base: { sha: BASE, files: base },
    head: { sha: HEAD, files: head },
    changed,
    commits: [commit("d".repeat(40), author)],
    approvals: (spec.approvals ?? [QA]).map((u) => review(u)),
    teams: TEAMS,
    labels: [],
    checks: {},
    now: spec.now ?? INSIDE,
    body: spec.body ?? "Deploy the gateway.\n\nChange: CHG-2026-0001\n",
    recordPaths,
  };
  if (!spec.noChangeRecords) snapshot.changeRecords = changeRecords;
  if (spec.evidence) {
    snapshot.evidence = Object.entries(spec.evidence).map(([record, acts]) => ({ record, acts }));
  }
  return snapshot;
}
