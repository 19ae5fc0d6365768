/**
 * The deployment protection rule's judgement: a deployment to an environment is approved only
 * under a named change scheduled for it, covering what it deploys, inside its window and clear
 * of freezes, triggered by an ops lead with no other hand in the change.
 */
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import {
  judgeDeploymentRequest,
  type DeploymentRequest,
} from "../../../src/core/deploy/judge-protection.js";
import { BASE, HEAD } from "../evaluate/fixtures.js";
import { changeRecord, INSIDE, OPS, packFiles, RM, TEAMS, WINDOW } from "./pack-snapshot.js";

function request(
  overrides: Partial<DeploymentRequest> = {},
  fields: Record<string, unknown> = {},
): DeploymentRequest {
  return {
    repo: "acme/payments",
    environment: "production",
    sha: HEAD,
    base: { sha: BASE, files: packFiles() },
    changeRecords: new Map([
      ["changes/CHG-2026-0001.yaml", stringify(changeRecord("CHG-2026-0001", fields))],
    ]),
    changes: ["CHG-2026-0001"],
    files: ["deploy/production/payments/app.yaml"],
    executor: OPS,
    teams: TEAMS,
    now: INSIDE,
    ...overrides,
  };
}

describe("judgeDeploymentRequest", () => {
  it("approves inside the window and names the change, its window and the executor", () => {
    const answer = judgeDeploymentRequest(request());
    expect(answer.approved).toBe(true);
    expect(answer.comment).toBe(
      "Approved: production: deploy/production/payments/app.yaml under CHG-2026-0001 (window 2026-11-26 22:00–23:30 (Asia/Shanghai)), executed by example-li-na.",
    );
    expect(answer.changesAt).toEqual(new Date(WINDOW.end));
  });

  it.each<[string, Partial<DeploymentRequest>, Record<string, unknown>, RegExp]>([
    [
      "in a freeze",
      { now: new Date("2026-12-29T22:30:00+08:00") },
      { window: { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:30:00+08:00" } },
      /falls in the freeze "year-end close"/,
    ],
    [
      "for an executor who initiated the change",
      {
        evidence: [
          {
            record: "CHG-2026-0001",
            acts: [
              { record: "CHG-2026-0001", role: "release-manager", login: OPS, action: "approval" },
            ],
          },
        ],
      },
      {},
      /example-li-na approved CHG-2026-0001 as release-manager in an earlier pull request; the executor of a change may have no other hand in it/,
    ],
    [
      "for a file outside the change's covers",
      { files: ["deploy/production/ledger/app.yaml"] },
      {},
      /deploy\/production\/ledger\/app.yaml is not covered by CHG-2026-0001/,
    ],
    [
      "for someone who is not an ops lead",
      { executor: RM },
      {},
      /needs its executor: a holder of ops-lead/,
    ],
    [
      "without a change",
      { changes: [] },
      {},
      /change only under a change scheduled for production/,
    ],
    ["outside the window", { now: new Date(WINDOW.end) }, {}, /closed at 2026-11-26 23:30/],
    [
      "when the default branch's policy cannot be loaded",
      { base: { sha: BASE, files: new Map([["policies/roles.yml", "version: [\n"]]) } },
      {},
      /the policy of the default branch cannot be loaded/,
    ],
  ])("rejects %s, saying why", (_name, overrides, fields, reason) => {
    const answer = judgeDeploymentRequest(request(overrides, fields));
    expect(answer.approved).toBe(false);
    expect(answer.comment).toMatch(/^Rejected: |cannot be loaded/);
    expect(answer.comment).toMatch(reason);
  });

  it("judges a deployment that brings no deployment file by its change and window alone", () => {
    expect(judgeDeploymentRequest(request({ files: [] })).approved).toBe(true);
    expect(judgeDeploymentRequest(request({ files: [], now: new Date(WINDOW.end) })).approved).toBe(
      false,
    );
  });
});
