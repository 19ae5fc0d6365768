/**
 * End-to-end: `evaluate` over the finance pack as `gatehouse init` writes it, read from disk, for
 * every transition of DESIGN.md's three tables, once allowed and once refused. Stages (signatures,
 * privacy) are left out; the window hook is a stand-in so that these rows do not depend on dates.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/evaluate/evaluate.js";
import type { Conclusion, Snapshot } from "../../../src/core/types.js";
import { commit, HEAD, node, review } from "./fixtures.js";
import {
  ANALYSIS,
  c,
  chg,
  CHG,
  DEV,
  DEVMGR,
  EXECUTED,
  i,
  IMP,
  improvement,
  incident,
  LIAISON,
  OPS,
  OPSMGR,
  p,
  PLAN,
  REVIEWED,
  RM,
  snapshotOf,
  TEST,
  windowFrozen,
  windowOk,
  type Row,
} from "./finance-fixtures.js";

type Case = [string, Row, Conclusion, RegExp];

describe("finance pack: ChangeRequest", () => {
  it.each<Case>([
    [
      "(new) -> draft with the author's own section",
      c(
        null,
        { ...chg("draft"), requirements: undefined, architecture: undefined, testing: undefined },
        DEV,
        [RM],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "(new) -> draft with every section consented by its owner",
      c(null, chg("draft"), LIAISON, ["example-zhang-wei", DEV, TEST]),
      "success",
      /All requirements met/,
    ],
    [
      "(new) -> draft writing another role's section waits for its consent",
      c(null, chg("draft"), DEV, [RM]),
      "pending",
      /Waiting for requirements-liaison, architect and test-lead/,
    ],
    [
      "draft -> requested with release-manager and qa",
      c(chg("draft"), chg("requested"), DEV, [RM, "qa-1"]),
      "success",
      /All requirements met/,
    ],
    [
      "draft -> requested with a rejected architecture review",
      c(chg("draft"), chg("requested", { architecture: { review: "rejected" } }), DEV, [
        RM,
        "qa-1",
        "example-zhang-wei",
      ]),
      "failure",
      /Blocked: \/architecture\/review must be approved/,
    ],
    [
      "draft -> requested without qa",
      c(chg("draft"), chg("requested"), DEV, [RM]),
      "pending",
      /Waiting for qa/,
    ],
    [
      "requested -> scheduled by ops-lead inside the window",
      c(chg("requested"), chg("scheduled"), DEV, ["ops-1"]),
      "success",
      /All requirements met/,
    ],
    [
      "requested -> scheduled in a freeze",
      c(chg("requested"), chg("scheduled"), DEV, ["ops-1"], { window: windowFrozen }),
      "failure",
      /Blocked: CHG-2026-0042 falls in the year-end close/,
    ],
    [
      "requested -> scheduled by an ops-lead who initiated the change",
      c(chg("requested"), chg("scheduled"), DEV, [OPS], {
        evidence: [{ record: CHG, role: "release-manager", login: OPS, action: "approval" }],
      }),
      "pending",
      /Waiting for ops-lead/,
    ],
    [
      "draft -> scheduled as an emergency with both managers",
      c(chg("draft", { type: "emergency" }), chg("scheduled", { type: "emergency" }), DEV, [
        DEVMGR,
        OPSMGR,
      ]),
      "success",
      /All requirements met/,
    ],
    [
      "draft -> scheduled as an emergency without the ops manager",
      c(chg("draft", { type: "emergency" }), chg("scheduled", { type: "emergency" }), DEV, [
        DEVMGR,
      ]),
      "pending",
      /Waiting for ops-manager/,
    ],
    [
      "draft -> scheduled as a listed standard change",
      c(
        chg("draft", { type: "standard", standard: "tls-certificate-renewal" }),
        chg("scheduled", { type: "standard", standard: "tls-certificate-renewal" }),
        DEV,
        ["ops-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "draft -> scheduled as a standard change not in the list",
      c(
        chg("draft", { type: "standard", standard: "schema-migration" }),
        chg("scheduled", { type: "standard", standard: "schema-migration" }),
        DEV,
        ["ops-1"],
      ),
      "failure",
      /Blocked: \/standard must name an entry of the list "standard-changes"/,
    ],
    [
      "draft -> scheduled as a normal change",
      c(chg("draft"), chg("scheduled"), DEV, ["ops-1"]),
      "failure",
      /Blocked: CHG-2026-0042 draft -> scheduled is not a legal transition/,
    ],
    [
      "scheduled -> done recorded by ops-lead",
      c(chg("scheduled"), chg("done", EXECUTED("done")), OPS, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "scheduled -> done recorded by someone else waits for ops-lead's consent",
      c(chg("scheduled"), chg("done", EXECUTED("done")), DEV, [RM]),
      "pending",
      /Waiting for ops-lead/,
    ],
    [
      "scheduled -> failed recorded by ops-lead",
      c(chg("scheduled"), chg("failed", EXECUTED("failed")), OPS, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "scheduled -> rolled-back recorded by ops-lead",
      c(chg("scheduled"), chg("rolled-back", EXECUTED("rolled-back")), OPS, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "scheduled -> done when the execution says failed",
      c(chg("scheduled"), chg("done", EXECUTED("failed")), OPS, [RM]),
      "failure",
      /Blocked: \/execution\/result must be done/,
    ],
    [
      "done -> closed with the review written and qa approving",
      c(
        chg("done", EXECUTED("done")),
        chg("closed", { ...EXECUTED("done"), ...REVIEWED }),
        "qa-1",
        ["qa-2"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "done -> closed without a post-implementation review",
      c(chg("done", EXECUTED("done")), chg("closed", EXECUTED("done")), "qa-1", ["qa-2"]),
      "failure",
      /Blocked: section \/review is missing/,
    ],
    [
      "an emergency closes only with qa and the ops manager",
      c(
        chg("done", { type: "emergency", ...EXECUTED("done") }),
        chg("closed", { type: "emergency", ...EXECUTED("done"), ...REVIEWED }),
        "qa-1",
        ["qa-2"],
      ),
      "pending",
      /Waiting for ops-manager/,
    ],
    [
      "requested -> cancelled by the release manager",
      c(chg("requested"), chg("cancelled"), DEV, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "closed -> cancelled",
      c(chg("closed"), chg("cancelled"), DEV, [RM]),
      "failure",
      /Blocked: CHG-2026-0042 closed -> cancelled is not a legal transition/,
    ],
  ])("%s", async (_name, row, conclusion, summary) => {
    const verdict = await evaluate(snapshotOf(row), {
      stages: [],
      checkWindow: row.window ?? windowOk,
    });
    expect(verdict.summary).toMatch(summary);
    expect(verdict.conclusion).toBe(conclusion);
  });
});

describe("finance pack: IncidentAnalysis", () => {
  it.each<Case>([
    [
      "(new) -> collected by ops-lead",
      i(null, incident("collected"), OPS, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "(new) -> collected without symptoms",
      i(
        null,
        incident("collected", {
          collection: {
            occurredAt: "2026-03-01T10:00:00+08:00",
            detectedAt: "2026-03-01T10:05:00+08:00",
          },
        }),
        OPS,
        [RM],
      ),
      "failure",
      /Blocked: section \/collection is incomplete: symptoms is empty/,
    ],
    [
      "collected -> analyzed by dev-lead with dev-manager and qa",
      i(incident("collected"), incident("analyzed", ANALYSIS), DEV, [DEVMGR, "qa-1"]),
      "success",
      /All requirements met/,
    ],
    [
      "collected -> analyzed without the dev-manager",
      i(incident("collected"), incident("analyzed", ANALYSIS), DEV, ["qa-1"]),
      "pending",
      /Waiting for dev-manager/,
    ],
    [
      "analyzed -> confirmed by ops-lead",
      i(
        incident("analyzed", ANALYSIS),
        incident("confirmed", { ...ANALYSIS, confirmation: { decision: "confirmed" } }),
        OPS,
        ["ops-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "analyzed -> confirmed when the decision disputes it",
      i(
        incident("analyzed", ANALYSIS),
        incident("confirmed", {
          ...ANALYSIS,
          confirmation: { decision: "disputed", reason: "no" },
        }),
        OPS,
        ["ops-1"],
      ),
      "failure",
      /Blocked: \/confirmation\/decision must be confirmed/,
    ],
    [
      "analyzed -> disputed with a reason",
      i(
        incident("analyzed", ANALYSIS),
        incident("disputed", {
          ...ANALYSIS,
          confirmation: { decision: "disputed", reason: "Logs show a deploy" },
        }),
        OPS,
        ["ops-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "analyzed -> disputed without a reason",
      i(
        incident("analyzed", ANALYSIS),
        incident("disputed", { ...ANALYSIS, confirmation: { decision: "disputed" } }),
        OPS,
        ["ops-1"],
      ),
      "failure",
      /Blocked: \/confirmation\/reason must be filled in/,
    ],
    [
      "disputed -> confirmed by the ops manager's arbitration",
      i(
        incident("disputed", ANALYSIS),
        incident("confirmed", {
          ...ANALYSIS,
          arbitration: { decision: "accept-analysis", reason: "Deploy unrelated" },
        }),
        OPS,
        [OPSMGR],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "disputed -> confirmed when the arbitration asks for re-analysis",
      i(
        incident("disputed", ANALYSIS),
        incident("confirmed", { ...ANALYSIS, arbitration: { decision: "reanalyze", reason: "r" } }),
        OPS,
        [OPSMGR],
      ),
      "failure",
      /Blocked: \/arbitration\/decision must be accept-analysis/,
    ],
    [
      "disputed -> collected sends it back for re-analysis",
      i(
        incident("disputed", ANALYSIS),
        incident("collected", {
          ...ANALYSIS,
          arbitration: { decision: "reanalyze", reason: "Look at the deploy" },
        }),
        OPS,
        [OPSMGR],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "disputed -> collected without the ops manager",
      i(
        incident("disputed", ANALYSIS),
        incident("collected", { ...ANALYSIS, arbitration: { decision: "reanalyze", reason: "r" } }),
        OPS,
        ["ops-1"],
      ),
      "pending",
      /Waiting for ops-manager/,
    ],
    [
      "confirmed -> closed with an improvement linked",
      i(
        incident("confirmed", ANALYSIS),
        incident("closed", { ...ANALYSIS, improvements: [IMP] }),
        OPS,
        ["qa-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "confirmed -> closed with none and a reason",
      i(
        incident("confirmed", ANALYSIS),
        incident("closed", { ...ANALYSIS, improvements: "none", improvementsReason: "One-off" }),
        OPS,
        ["qa-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "confirmed -> closed without improvements",
      i(incident("confirmed", ANALYSIS), incident("closed", ANALYSIS), OPS, ["qa-1"]),
      "failure",
      /Blocked: \/improvements\/0 must be filled in/,
    ],
  ])("%s", async (_name, row, conclusion, summary) => {
    const verdict = await evaluate(snapshotOf(row), { stages: [] });
    expect(verdict.summary).toMatch(summary);
    expect(verdict.conclusion).toBe(conclusion);
  });
});

describe("finance pack: ImprovementPlan", () => {
  it.each<Case>([
    [
      "(new) -> proposed by ops-lead",
      p(null, improvement("proposed"), OPS, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "(new) -> proposed by someone else waits for ops-lead's consent",
      p(null, improvement("proposed"), DEV, [RM]),
      "pending",
      /Waiting for ops-lead/,
    ],
    [
      "proposed -> planned by dev-lead",
      p(improvement("proposed"), improvement("planned", PLAN), DEV, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "proposed -> planned without a due date",
      p(
        improvement("proposed"),
        improvement("planned", { plan: { ...PLAN.plan, due: null } }),
        DEV,
        [RM],
      ),
      "failure",
      /Blocked: section \/plan is incomplete: due is empty/,
    ],
    [
      "planned -> approved by both managers",
      p(improvement("planned", PLAN), improvement("approved", PLAN), DEV, [DEVMGR, OPSMGR]),
      "success",
      /All requirements met/,
    ],
    [
      "planned -> approved by one manager",
      p(improvement("planned", PLAN), improvement("approved", PLAN), DEV, [DEVMGR]),
      "pending",
      /Waiting for ops-manager/,
    ],
    [
      "approved -> implemented with the result and qa",
      p(
        improvement("approved", PLAN),
        improvement("implemented", { ...PLAN, result: { summary: "Monthly tests run" } }),
        DEV,
        ["qa-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "approved -> implemented without a result",
      p(improvement("approved", PLAN), improvement("implemented", PLAN), DEV, ["qa-1"]),
      "failure",
      /Blocked: section \/result is missing/,
    ],
    [
      "implemented -> confirmed by ops-lead",
      p(
        improvement("implemented", PLAN),
        improvement("confirmed", { ...PLAN, confirmation: { decision: "confirmed" } }),
        OPS,
        ["ops-1"],
      ),
      "success",
      /All requirements met/,
    ],
    [
      "implemented -> confirmed when ops rejected it",
      p(
        improvement("implemented", PLAN),
        improvement("confirmed", { ...PLAN, confirmation: { decision: "rejected" } }),
        OPS,
        ["ops-1"],
      ),
      "failure",
      /Blocked: \/confirmation\/decision must be confirmed/,
    ],
    [
      "confirmed -> closed by qa",
      p(improvement("confirmed", PLAN), improvement("closed", PLAN), DEV, ["qa-1"]),
      "success",
      /All requirements met/,
    ],
    [
      "confirmed -> closed without qa",
      p(improvement("confirmed", PLAN), improvement("closed", PLAN), DEV, [RM]),
      "pending",
      /Waiting for qa/,
    ],
  ])("%s", async (_name, row, conclusion, summary) => {
    const verdict = await evaluate(snapshotOf(row), { stages: [] });
    expect(verdict.summary).toMatch(summary);
    expect(verdict.conclusion).toBe(conclusion);
  });
});

describe("finance pack: path rules", () => {
  const policyEdit = (approvals: string[]): Snapshot => ({
    ...snapshotOf(c(null, chg("draft"), DEV, [])),
    changed: [{ path: "policies/roles.yml", status: "modified" }],
    head: { sha: HEAD, files: new Map([["policies/roles.yml", "version: 1\nroles: {}\n"]]) },
    author: "example-guo-qiang",
    commits: [commit("d".repeat(40), "example-guo-qiang")],
    approvals: approvals.map((u) => review(u)),
  });

  it("a policy change by one security admin waits for two others", async () => {
    const verdict = await evaluate(policyEdit(["example-he-fang"]), { stages: [] });
    expect(verdict.conclusion).toBe("pending");
    expect(node(verdict.rules, "paths/policy change/security-admin#2").reason).toMatch(
      /example-he-fang already fills another security-admin entry; each entry needs a different person; example-guo-qiang holds security-admin but is the author/,
    );
  });

  it("a policy change is judged by the base policy, not the one it writes", async () => {
    const verdict = await evaluate(policyEdit(["example-he-fang"]), { stages: [] });
    expect(node(verdict.rules, "policy").status).toBe("satisfied");
  });
});
