import { describe, expect, it } from "vitest";
import { evaluateWithPolicy } from "../../../src/core/evaluate/evaluate.js";
import type { Status } from "../../../src/core/types.js";
import { change, loaded, node, READY, review, snapshot, type SnapshotSpec } from "./fixtures.js";

const ID = "CHG-2026-0042";
const P = `changes/${ID}.yaml`;
const R = `records/${P}`;
const edit = (
  from: string,
  to: string,
  before: object = READY,
  after: object = before,
): SnapshotSpec => ({
  base: { [P]: change(ID, from, before as Record<string, unknown>) },
  head: { [P]: change(ID, to, after as Record<string, unknown>) },
  approvals: [
    review("zhao-min"),
    review("li-na"),
    review("sun-li"),
    review("qian-bo"),
    review("xu-lei"),
  ],
});

describe("record transitions", () => {
  it.each<[string, SnapshotSpec, string, Status, RegExp]>([
    [
      "a new record may start as draft",
      { head: { [P]: change(ID, "draft") } },
      `${R}/transition`,
      "satisfied",
      /\(new\) -> draft/,
    ],
    [
      "a new record may not start as requested",
      { head: { [P]: change(ID, "requested") } },
      `${R}/transition`,
      "failed",
      /\(new\) -> requested is not a legal transition; from \(new\) a change may go to draft$/,
    ],
    [
      "an illegal transition names the legal targets",
      edit("draft", "closed"),
      `${R}/transition`,
      "failed",
      /^CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled$/,
    ],
    [
      "a complete draft may be requested",
      edit("draft", "requested"),
      `${R}/transition`,
      "satisfied",
      /draft -> requested/,
    ],
    [
      "an emergency change may go straight to scheduled",
      edit("draft", "scheduled", { ...READY, type: "emergency" }),
      `${R}/transition`,
      "satisfied",
      /draft -> scheduled/,
    ],
    [
      "a normal change may not go straight to scheduled, and is told why",
      edit("draft", "scheduled"),
      `${R}/transition`,
      "failed",
      /draft -> scheduled is not a legal transition; .*; draft -> scheduled applies only where \/type must be emergency$/,
    ],
    [
      "an incomplete section names its empty fields",
      edit("draft", "requested", { ...READY, testing: { conclusion: "passed" } }),
      `${R}/complete`,
      "failed",
      /^section \/testing is incomplete: report is empty; fill it in/,
    ],
    [
      "a missing section is named",
      edit("draft", "requested", { testing: READY.testing }),
      `${R}/complete`,
      "failed",
      /^section \/requirements is missing/,
    ],
    [
      "blank text does not complete a section",
      edit("draft", "requested", { ...READY, requirements: { scope: "  " } }),
      `${R}/complete`,
      "failed",
      /\/requirements is incomplete: scope is empty/,
    ],
    [
      "complete sections satisfy the transition",
      edit("draft", "requested"),
      `${R}/complete`,
      "satisfied",
      /complete/,
    ],
    [
      "a failed condition names the field and the expected value",
      edit("draft", "requested", { ...READY, testing: { conclusion: "failed", report: "r" } }),
      `${R}/conditions`,
      "failed",
      /^\/testing\/conclusion must be passed for draft -> requested$/,
    ],
    [
      "a check that has not reported keeps the transition pending",
      edit("requested", "scheduled"),
      `${R}/checks/ci`,
      "pending",
      /waiting for the check "ci"/,
    ],
    [
      "a running check keeps the transition pending",
      { ...edit("requested", "scheduled"), checks: { ci: "in_progress" } },
      `${R}/checks/ci`,
      "pending",
      /in_progress/,
    ],
    [
      "a failed check fails the transition",
      { ...edit("requested", "scheduled"), checks: { ci: "failure" } },
      `${R}/checks/ci`,
      "failed",
      /ended in failure/,
    ],
    [
      "a successful check satisfies the transition",
      { ...edit("requested", "scheduled"), checks: { ci: "success" } },
      `${R}/checks/ci`,
      "satisfied",
      /succeeded/,
    ],
    [
      "a record may be cancelled from any open state",
      edit("requested", "cancelled"),
      `${R}/transition`,
      "satisfied",
      /requested -> cancelled/,
    ],
    [
      "a record may not be cancelled once done",
      edit("done", "cancelled"),
      `${R}/transition`,
      "failed",
      /done -> cancelled is not a legal transition; from done a change may go to closed/,
    ],
    [
      "a section edit without a state change is no transition",
      edit("draft", "draft", READY, { ...READY, requirements: { scope: "More" } }),
      `${R}/transition`,
      "satisfied",
      /stays draft/,
    ],
    [
      "a closed record cannot change at all",
      edit("closed", "closed", READY, { ...READY, requirements: { scope: "More" } }),
      `${R}/transition`,
      "failed",
      /is closed, which is final/,
    ],
    [
      "a deleted record fails",
      { base: { [P]: change(ID, "draft") }, removed: [P] },
      `${R}/removed`,
      "failed",
      /records are never deleted; move it to cancelled or closed/,
    ],
    [
      "a renamed record fails",
      {
        base: { [P]: change(ID, "draft") },
        head: { "changes/CHG-2026-0043.yaml": change("CHG-2026-0043", "draft") },
        renamed: [{ from: P, to: "changes/CHG-2026-0043.yaml" }],
      },
      "records/changes/CHG-2026-0043.yaml/identity",
      "failed",
      /records are never renamed/,
    ],
    [
      "a new record whose id another record file already carries fails",
      {
        head: { [P]: change(ID, "draft") },
        recordPaths: [P, `changes/2025/${ID}.yml`, "changes/CHG-2026-0041.yaml"],
      },
      `${R}/identity`,
      "failed",
      /^CHG-2026-0042 is already the id of changes\/2025\/CHG-2026-0042\.yml; an id names one record only, so give this record the next free id \(gatehouse new numbers it\)$/,
    ],
    [
      "a new record whose id no other record carries passes",
      { head: { [P]: change(ID, "draft") }, recordPaths: [P, "changes/CHG-2026-0041.yaml"] },
      `${R}/transition`,
      "satisfied",
      /\(new\) -> draft/,
    ],
    [
      "a new record fails closed when the adapter did not list the head's records",
      { head: { [P]: change(ID, "draft") }, recordPaths: undefined },
      `${R}/identity`,
      "failed",
      /cannot show that the id CHG-2026-0042 is new/,
    ],
    [
      "an edited record is not held to the listing (two ids were there before it)",
      { ...edit("draft", "requested"), recordPaths: [P, `changes/old/${ID}.yaml`] },
      `${R}/transition`,
      "satisfied",
      /draft -> requested/,
    ],
    [
      "a record whose content is not YAML is invalid",
      { head: { [P]: "id: [unclosed\n" } },
      `${R}/valid`,
      "failed",
      /is not a valid record/,
    ],
  ])("%s", async (_name, spec, id, status, reason) => {
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded());
    const found = node(verdict.rules, id);
    expect(found.status).toBe(status);
    expect(found.reason).toMatch(reason);
  });

  it("points a failed transition at the state line of the record", async () => {
    const verdict = await evaluateWithPolicy(snapshot(edit("draft", "closed")), loaded());
    expect(verdict.findings).toContainEqual(
      expect.objectContaining({ path: P, code: "record/transition", line: 5, column: 8 }),
    );
  });

  it("treats a changed record missing from the head files as invalid", async () => {
    const spec = snapshot({ base: { [P]: change(ID, "draft") } });
    spec.changed.push({ path: P, status: "modified" });
    const verdict = await evaluateWithPolicy(spec, loaded());
    expect(node(verdict.rules, `${R}/valid`).status).toBe("failed");
    expect(verdict.findings.map((f) => f.code)).toContain("record/unreadable");
  });

  it("reports how each record moves", async () => {
    const verdict = await evaluateWithPolicy(snapshot(edit("draft", "requested")), loaded());
    expect(verdict.records).toEqual([
      { path: P, kind: "ChangeRequest", id: ID, from: "draft", to: "requested" },
    ]);
  });

  it("asks the window hook for a transition that needs a window, and takes its verdict", async () => {
    const policy = loaded();
    if (!policy.ok) throw new Error("fixture");
    const t = policy.policy.workflows.kinds.ChangeRequest!.transitions.find(
      (x) => x.to === "scheduled" && x.from.includes("requested"),
    )!;
    t.window = "required";
    const seen: string[] = [];
    const verdict = await evaluateWithPolicy(
      snapshot({ ...edit("requested", "scheduled"), checks: { ci: "success" } }),
      policy,
      {
        checkWindow: (_ctx, record, transition) => {
          seen.push(`${record.id} ${transition.to}`);
          return { id: "anything", status: "failed", reason: "inside the Q1 freeze", children: [] };
        },
      },
    );
    expect(seen).toEqual([`${ID} scheduled`]);
    expect(node(verdict.rules, `${R}/window`)).toMatchObject({
      status: "failed",
      reason: "inside the Q1 freeze",
    });
    expect(verdict.conclusion).toBe("failure");
  });
});
