/**
 * The deployment-file rule over the finance pack: a file under deploy/<environment>/ changes only
 * under a named change scheduled for that environment, covering it, inside its window and clear
 * of freezes, executed by an ops lead with no other hand in the change. Every verdict here is
 * judged at a fixed `now`, as `gatehouse check --now` would.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/evaluate/evaluate.js";
import type { RuleResult, Verdict } from "../../../src/core/types.js";
import {
  deploySnapshot,
  DEV,
  OPS,
  OPS2,
  QA,
  RM,
  WINDOW,
  type DeploySpec,
} from "./pack-snapshot.js";

const judge = (spec: DeploySpec) => evaluate(deploySnapshot(spec), { stages: [] });

function find(node: RuleResult, id: string): RuleResult | undefined {
  if (node.id === id) return node;
  for (const child of node.children) {
    const found = find(child, id);
    if (found) return found;
  }
  return undefined;
}

/** Every reason under the deployments node, one a line. */
function deployments(verdict: Verdict): string {
  const node = find(verdict.rules, "deployments");
  if (!node) throw new Error(`no deployments node in ${JSON.stringify(verdict.rules, null, 1)}`);
  const lines: string[] = [];
  const visit = (n: RuleResult) => {
    lines.push(n.reason);
    n.children.forEach(visit);
  };
  visit(node);
  return lines.join("\n");
}

const FROZEN = { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:30:00+08:00" };
const IN_FREEZE = new Date("2026-12-29T22:30:00+08:00");

describe("deployment files", () => {
  it("pass inside the window, and the verdict names the change, its window and the executor", async () => {
    const verdict = await judge({});
    expect(verdict.conclusion).toBe("success");
    expect(find(verdict.rules, "deployments/production")?.reason).toBe(
      "production: deploy/production/payments/app.yaml under CHG-2026-0001 (window 2026-11-26 22:00–23:30 (Asia/Shanghai)), executed by example-li-na",
    );
    expect(verdict.acts).toContainEqual({
      record: "CHG-2026-0001",
      role: "ops-lead",
      login: OPS,
      action: "execution",
    });
    // A passing verdict holds until the window closes, and says so.
    expect(verdict.recheckAt).toEqual(new Date(WINDOW.end));
    expect(verdict.summary).toBe(
      "All requirements met; holds until 2026-11-26 23:30 (Asia/Shanghai)",
    );
  });

  it("say when a refused deployment is judged again: the instant its window opens", async () => {
    const verdict = await judge({ now: new Date("2026-11-26T21:00:00+08:00") });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.recheckAt).toEqual(new Date(WINDOW.start));
    expect(verdict.summary).toMatch(/; judged again at 2026-11-26 22:00 \(Asia\/Shanghai\)$/);
  });

  it("say nothing of a recheck once the window has closed: only a new window helps", async () => {
    const verdict = await judge({ now: new Date("2026-11-26T23:30:00+08:00") });
    expect(verdict.recheckAt).toBeUndefined();
    expect(verdict.summary).not.toMatch(/holds until|judged again/);
  });

  it.each<[string, DeploySpec, RegExp]>([
    [
      "before the window opens",
      { now: new Date("2026-11-26T21:59:00+08:00") },
      /window 2026-11-26 22:00–23:30 \(Asia\/Shanghai\) opens at 2026-11-26 22:00/,
    ],
    [
      "after the window closed",
      { now: new Date("2026-11-26T23:30:00+08:00") },
      /closed at 2026-11-26 23:30; schedule a new window/,
    ],
    [
      "during the year-end freeze",
      { changes: { "CHG-2026-0001": { window: FROZEN } }, now: IN_FREEZE },
      /falls in the freeze "year-end close"/,
    ],
    [
      "for a file outside the change's covers",
      { files: { "deploy/production/ledger/app.yaml": "x: 1\n" } },
      /deploy\/production\/ledger\/app.yaml is not covered by CHG-2026-0001 \(CHG-2026-0001 covers deploy\/production\/payments\/\*\*\)/,
    ],
    [
      "for a folder spelt in other case, which deploys but is not covered",
      { files: { "Deploy/Production/payments/app.yaml": "x: 1\n" } },
      /Deploy\/Production\/payments\/app.yaml is not covered/,
    ],
    [
      "without a change named",
      { body: "Deploy the gateway." },
      /deployment file of production, which change only under a change scheduled for production: name it with a line "Change: CHG-…"/,
    ],
    [
      "under a change for another environment",
      { changes: { "CHG-2026-0001": { environment: "staging" } } },
      /CHG-2026-0001 is for staging, not production/,
    ],
    [
      "under a change that is not scheduled",
      { changes: { "CHG-2026-0001": { state: "requested" } } },
      /CHG-2026-0001 is requested, not scheduled/,
    ],
    [
      "under a change the base branch does not hold",
      { body: "Change: CHG-2026-0099" },
      /CHG-2026-0099 is named in the pull request, but the base branch holds no change record with that id/,
    ],
    [
      "when the adapter gave no change records (fail closed)",
      { noChangeRecords: true },
      /gatehouse was not given the base branch's change records/,
    ],
    [
      "when the same pull request widens the covers of the scheduled change",
      {
        writes: {
          "CHG-2026-0001": {
            before: {},
            after: { covers: ["deploy/production/**"] },
          },
        },
      },
      /CHG-2026-0001 is scheduled, and this pull request changes its covers; a deployment must not change the change that authorises it/,
    ],
    [
      "when another change of the system is scheduled in an overlapping window",
      {
        changes: {
          "CHG-2026-0001": {},
          "CHG-2026-0002": {
            window: { start: "2026-11-26T23:00:00+08:00", end: "2026-11-27T01:00:00+08:00" },
          },
        },
      },
      /CHG-2026-0001 conflicts with CHG-2026-0002 \(2026-11-26T23:00:00\+08:00 to 2026-11-27T01:00:00\+08:00\)/,
    ],
  ])("are refused %s", async (_name, spec, reason) => {
    const verdict = await judge(spec);
    expect(verdict.conclusion).toBe("failure");
    expect(deployments(verdict)).toMatch(reason);
  });

  it("say that no new window helps when a closed window is judged in a freeze", async () => {
    const verdict = await judge({ now: IN_FREEZE });
    expect(verdict.conclusion).toBe("failure");
    expect(find(verdict.rules, "deployments/production/CHG-2026-0001/window")?.reason).toBe(
      'CHG-2026-0001: the window 2026-11-26 22:00–23:30 (Asia/Shanghai) closed at 2026-11-26 23:30, and production is in the freeze "year-end close" (2026-12-28 to 2027-01-04): no window opens before it ends, only an emergency change deploys',
    );
  });

  it("pass for an emergency change in a freeze: windows apply, freezes do not", async () => {
    const verdict = await judge({
      changes: { "CHG-2026-0001": { type: "emergency", window: FROZEN } },
      now: IN_FREEZE,
    });
    expect(verdict.conclusion).toBe("success");
    expect(find(verdict.rules, "deployments/production/CHG-2026-0001/window")?.reason).toMatch(
      /the freeze "year-end close" is waived for an emergency change/,
    );
  });

  it("do not conflict with a change of another system or a window that does not overlap", async () => {
    const verdict = await judge({
      changes: {
        "CHG-2026-0001": {},
        "CHG-2026-0002": { system: "ledger" },
        "CHG-2026-0003": {
          window: { start: "2026-11-26T23:30:00+08:00", end: "2026-11-27T01:00:00+08:00" },
        },
      },
    });
    expect(verdict.conclusion).toBe("success");
  });

  it("wait for an executor when the ops lead who opened them initiated the change", async () => {
    const verdict = await judge({
      evidence: {
        "CHG-2026-0001": [
          { record: "CHG-2026-0001", role: "release-manager", login: OPS, action: "approval" },
        ],
      },
    });
    expect(verdict.conclusion).toBe("pending");
    expect(find(verdict.rules, "deployments/production/CHG-2026-0001/executor")?.reason).toMatch(
      /example-li-na approved CHG-2026-0001 as release-manager in an earlier pull request; the executor of a change may have no other hand in it/,
    );
  });

  it.each<[string, string, string]>([
    ["provided a section", "dev-lead", "consent"],
    ["approved the change as QA", "qa", "approval"],
    ["approved its emergency as ops manager", "ops-manager", "approval"],
  ])("refuse an executor who %s", async (_name, role, action) => {
    const verdict = await judge({
      evidence: {
        "CHG-2026-0001": [
          { record: "CHG-2026-0001", role, login: OPS, action: action as "consent" | "approval" },
        ],
      },
    });
    expect(verdict.conclusion).toBe("pending");
    expect(verdict.acts.some((a) => a.action === "execution")).toBe(false);
  });

  it("pass with another ops lead as executor when the author may not execute", async () => {
    const verdict = await judge({
      author: RM,
      approvals: [OPS2],
      evidence: {
        "CHG-2026-0001": [
          { record: "CHG-2026-0001", role: "release-manager", login: RM, action: "approval" },
          { record: "CHG-2026-0001", role: "ops-lead", login: OPS, action: "approval" },
        ],
      },
    });
    expect(verdict.conclusion).toBe("success");
    expect(verdict.acts).toContainEqual({
      record: "CHG-2026-0001",
      role: "ops-lead",
      login: OPS2,
      action: "execution",
    });
  });

  it("fail when the evidence of the change they deploy under cannot be trusted", async () => {
    const snapshot = deploySnapshot({});
    snapshot.evidence = [
      {
        record: "CHG-2026-0001",
        acts: [],
        verification: { status: "failed", reason: "evidence #3 of CHG-2026-0001 was edited" },
      },
    ];
    const verdict = await evaluate(snapshot, { stages: [] });
    expect(verdict.conclusion).toBe("failure");
    expect(find(verdict.rules, "deployments/production/CHG-2026-0001/evidence")?.reason).toBe(
      "the evidence of CHG-2026-0001 cannot be trusted: evidence #3 of CHG-2026-0001 was edited",
    );
  });

  it("refuse an ops lead who approved the change's schedule as its executor", async () => {
    const verdict = await judge({
      evidence: {
        "CHG-2026-0001": [
          {
            record: "CHG-2026-0001",
            role: "ops-lead",
            login: OPS,
            action: "approval",
            pullRequest: 12,
          },
        ],
      },
    });
    expect(verdict.conclusion).not.toBe("success");
    expect(deployments(verdict)).toMatch(
      /example-li-na approved CHG-2026-0001 as ops-lead in #12; the executor of a change may have no other hand in it/,
    );
    expect(verdict.acts.some((a) => a.action === "execution")).toBe(false);
  });

  it("let the executor of a change execute it again (a second deployment in its window)", async () => {
    const verdict = await judge({
      evidence: {
        "CHG-2026-0001": [
          { record: "CHG-2026-0001", role: "ops-lead", login: OPS2, action: "approval" },
          { record: "CHG-2026-0001", role: "ops-lead", login: OPS, action: "execution" },
        ],
      },
    });
    expect(verdict.conclusion).toBe("success");
  });

  it("need a second ops lead to execute a change the same pull request schedules", async () => {
    const spec = {
      body: "Deploy the gateway.",
      changes: {},
      writes: { "CHG-2026-0001": { before: { state: "requested" }, after: {} } },
      author: DEV,
      now: new Date("2026-11-26T22:10:00+08:00"),
    };
    const one = await judge({ ...spec, approvals: [OPS, QA] });
    expect(find(one.rules, "deployments/production")?.status).not.toBe("satisfied");
    const two = await judge({ ...spec, approvals: [OPS, OPS2, QA] });
    expect(find(two.rules, "deployments/production")?.status).toBe("satisfied");
  });

  it("govern both sides of a rename out of a deployment folder", async () => {
    const snapshot = deploySnapshot({ files: {} });
    snapshot.changed.push({
      path: "archive/app.yaml",
      status: "renamed",
      previousPath: "deploy/production/ledger/app.yaml",
    });
    const verdict = await evaluate(snapshot, { stages: [] });
    expect(deployments(verdict)).toMatch(/deploy\/production\/ledger\/app.yaml is not covered/);
  });

  it("govern a deployment file whose name holds a control character", async () => {
    const verdict = await judge({ files: { "deploy/production/payments/app\n.yaml": "x: 1\n" } });
    expect(verdict.conclusion).toBe("failure");
    // picomatch's ** does not cross a newline, so the change's covers leave the file out.
    expect(find(verdict.rules, "deployments/production/covers")?.status).toBe("failed");
  });

  it("govern a deployment file with a control character when no change is named", async () => {
    const verdict = await judge({
      files: { "deploy/production/\u0000app.yaml": "x: 1\n" },
      body: "",
    });
    expect(find(verdict.rules, "deployments/production/change")?.status).toBe("failed");
  });

  it("leave pull requests without deployment files alone", async () => {
    const verdict = await judge({ files: { "docs/readme.md": "hello\n" }, approvals: [QA] });
    expect(find(verdict.rules, "deployments")).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, "success" | "failure"]>([
    [
      "inside its list entry",
      { standard: "tls-certificate-renewal", covers: ["deploy/production/certificates/**"] },
      "success",
    ],
    [
      "reaching outside its list entry",
      { standard: "tls-certificate-renewal", covers: ["deploy/production/**"] },
      "failure",
    ],
    [
      "naming no entry",
      { standard: "friday-hotfix", covers: ["deploy/production/certificates/**"] },
      "failure",
    ],
  ])("judge a standard change %s", async (_name, fields, conclusion) => {
    const verdict = await judge({
      files: { "deploy/production/certificates/gateway.pem.yaml": "cert: x\n" },
      changes: { "CHG-2026-0001": { type: "standard", ...fields } },
    });
    expect(verdict.conclusion).toBe(conclusion);
  });

  it("refuse the standard change with the entry's limits named", async () => {
    const verdict = await judge({
      files: { "deploy/production/certificates/gateway.pem.yaml": "cert: x\n" },
      changes: {
        "CHG-2026-0001": {
          type: "standard",
          standard: "tls-certificate-renewal",
          covers: ["deploy/production/**"],
        },
      },
    });
    expect(find(verdict.rules, "deployments/production/CHG-2026-0001/standard")?.reason).toBe(
      'CHG-2026-0001 is the standard change "tls-certificate-renewal", but its covers deploy/production/** reach outside what the pre-approved entry allows (it may cover deploy/*/certificates/**); narrow the covers or raise a normal change',
    );
  });
});
