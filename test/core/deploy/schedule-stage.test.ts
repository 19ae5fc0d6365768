/**
 * The schedule stage over the finance pack: scheduling a change into a window another change of
 * the same system and environment holds is a conflict; a standard change is scheduled only inside
 * its list entry; overdue emergency changes show in every verdict that touches their system.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/evaluate/evaluate.js";
import { scheduleStage } from "../../../src/core/deploy/stage.js";
import type { RuleResult } from "../../../src/core/types.js";
import { deploySnapshot, OPS, RM, type DeploySpec } from "./pack-snapshot.js";

const judge = (spec: DeploySpec) => evaluate(deploySnapshot(spec), { stages: [scheduleStage] });

function reasons(node: RuleResult): string {
  return [node.reason, ...node.children.map(reasons)].join("\n");
}

// Scheduling requested -> scheduled on Tuesday morning 2026-11-24, for Thursday night.
const NOW = new Date("2026-11-24T10:00:00+08:00");
const schedule = (extra: Partial<DeploySpec> = {}): DeploySpec => ({
  files: {},
  body: "Schedule the gateway.",
  writes: { "CHG-2026-0005": { before: { state: "requested" }, after: {} } },
  author: RM,
  approvals: [OPS],
  now: NOW,
  ...extra,
});

describe("the schedule stage", () => {
  it("refuses to schedule a change into a window another change of its system holds", async () => {
    const verdict = await judge(
      schedule({
        changes: {
          "CHG-2026-0001": {
            window: { start: "2026-11-26T23:00:00+08:00", end: "2026-11-27T01:00:00+08:00" },
          },
        },
      }),
    );
    expect(verdict.conclusion).toBe("failure");
    expect(reasons(verdict.rules)).toMatch(
      /CHG-2026-0005 conflicts with CHG-2026-0001 \(2026-11-26T23:00:00\+08:00 to 2026-11-27T01:00:00\+08:00\): another change of payments-gateway in production in an overlapping window/,
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ["another system", { system: "ledger" }],
    ["another environment", { environment: "staging" }],
    ["a change that is not scheduled", { state: "requested" }],
    ["a cancelled change", { state: "cancelled" }],
  ])("lets a window overlap that of %s", async (_name, fields) => {
    const verdict = await judge(schedule({ changes: { "CHG-2026-0001": fields } }));
    expect(verdict.conclusion).toBe("success");
  });

  it("fails closed when the adapter gave no change records", async () => {
    const verdict = await judge(schedule({ changes: {}, noChangeRecords: true }));
    expect(verdict.conclusion).toBe("failure");
    expect(reasons(verdict.rules)).toMatch(
      /cannot show that no other change overlaps CHG-2026-0005/,
    );
  });

  it("refuses to schedule a standard change whose covers reach outside its list entry", async () => {
    const verdict = await judge(
      schedule({
        changes: {},
        writes: {
          "CHG-2026-0005": {
            before: { state: "requested", type: "standard", standard: "os-security-patch-monthly" },
            after: {
              type: "standard",
              standard: "os-security-patch-monthly",
              covers: ["deploy/**"],
            },
          },
        },
      }),
    );
    expect(reasons(verdict.rules)).toMatch(
      /CHG-2026-0005 is the standard change "os-security-patch-monthly", but its covers deploy\/\*\* reach outside/,
    );
  });

  const EMERGENCY = {
    type: "emergency",
    state: "done",
    window: { start: "2026-11-10T22:00:00+08:00", end: "2026-11-10T23:00:00+08:00" },
  };

  it("names an overdue emergency change of the system in the summary, without blocking", async () => {
    const verdict = await judge(schedule({ changes: { "CHG-2026-0002": EMERGENCY } }));
    expect(verdict.conclusion).toBe("success");
    expect(verdict.summary).toBe(
      "All requirements met; overdue review: CHG-2026-0002; holds until 2026-11-26 23:30 (Asia/Shanghai)",
    );
    expect(reasons(verdict.rules)).toMatch(
      /overdue: the post-implementation review of emergency change CHG-2026-0002 \(payments-gateway, done\) was due to be closed by 2026-11-15 23:00 \(Asia\/Shanghai\), 5 days after its window/,
    );
  });

  it.each<[string, Record<string, unknown>, Date]>([
    ["closed", { ...EMERGENCY, state: "closed" }, NOW],
    ["of another system", { ...EMERGENCY, system: "ledger" }, NOW],
    ["still within its 5 days", EMERGENCY, new Date("2026-11-15T22:59:00+08:00")],
    ["not an emergency", { ...EMERGENCY, type: "normal" }, NOW],
  ])("says nothing of an emergency change %s", async (_name, fields, now) => {
    const verdict = await judge(
      schedule({
        changes: { "CHG-2026-0002": fields },
        now,
        writes: {
          "CHG-2026-0005": {
            before: { state: "requested" },
            after: {
              window: { start: "2026-11-19T22:00:00+08:00", end: "2026-11-19T23:00:00+08:00" },
            },
          },
        },
      }),
    );
    expect(reasons(verdict.rules)).not.toMatch(/overdue/);
  });
});
