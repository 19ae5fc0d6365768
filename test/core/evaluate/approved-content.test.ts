/**
 * An approved record stays approved only as it was approved: under the finance pack, an edit
 * of a record past its initial state needs the approvals that brought it there again, its
 * window is checked again, and the fields that pick its route never change. Each row is a pull
 * request with one friendly approval, the way someone would try to slip an edit through.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/core/evaluate/evaluate.js";
import type { Conclusion } from "../../../src/core/types.js";
import { node } from "./fixtures.js";
import {
  ANALYSIS,
  c,
  chg,
  CHG,
  DEV,
  EXECUTED,
  i,
  incident,
  OPS,
  OPSMGR,
  RM,
  snapshotOf,
  windowFrozen,
  type Row,
} from "./finance-fixtures.js";

const R = `records/changes/${CHG}.yaml`;
const LATER = { start: "2026-03-05T22:00:00+08:00", end: "2026-03-05T23:00:00+08:00" };
const NEW_VERSION = (state: string) =>
  chg(state, { deployment: { ...chg(state).deployment, version: "1.3.0" } });

type Case = [string, Row, Conclusion, RegExp];

describe("an approved change stays approved only as it was approved", () => {
  it.each<Case>([
    [
      "a scheduled change's window moves: the ops lead schedules it again",
      c(chg("scheduled"), chg("scheduled", { window: LATER }), DEV, [RM]),
      "pending",
      /^Waiting for ops-lead$/,
    ],
    [
      "a scheduled change's window moves into a freeze",
      c(chg("scheduled"), chg("scheduled", { window: LATER }), DEV, [RM, OPS], {
        window: windowFrozen,
      }),
      "failure",
      /falls in the year-end close/,
    ],
    [
      "a scheduled change's deployed version changes",
      c(chg("scheduled"), NEW_VERSION("scheduled"), DEV, [RM]),
      "pending",
      /^Waiting for ops-lead$/,
    ],
    [
      "the scheduled version changes with the ops lead's approval",
      c(chg("scheduled"), NEW_VERSION("scheduled"), DEV, [OPS]),
      "success",
      /All requirements met/,
    ],
    [
      "a scheduled change's covers grow",
      c(chg("scheduled"), chg("scheduled", { covers: ["deploy/production/**"] }), DEV, [RM]),
      "pending",
      /^Waiting for ops-lead$/,
    ],
    [
      "a requested change's deployment changes: initiation again",
      c(chg("requested"), NEW_VERSION("requested"), DEV, [RM]),
      "pending",
      /^Waiting for qa$/,
    ],
    [
      "an emergency change's deployment changes: both managers again",
      c(
        chg("scheduled", { type: "emergency" }),
        { ...NEW_VERSION("scheduled"), type: "emergency" },
        DEV,
        [RM],
      ),
      "pending",
      /^Waiting for dev-manager and ops-manager$/,
    ],
    [
      "the execution is recorded and the version changed on the way",
      c(chg("scheduled"), { ...NEW_VERSION("done"), ...EXECUTED("done") }, OPS, [RM]),
      "pending",
      /^Waiting for dev-lead and ops-lead$/,
    ],
    [
      "the execution is recorded as the move writes it",
      c(chg("scheduled"), chg("done", EXECUTED("done")), OPS, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "a done emergency change is turned into a normal one",
      c(
        chg("done", { type: "emergency", ...EXECUTED("done") }),
        chg("done", { type: "normal", ...EXECUTED("done") }),
        DEV,
        [RM],
      ),
      "failure",
      /^Blocked: CHG-2026-0042's \/type may not change after draft: it was approved with the record and decides which rules apply to it$/,
    ],
    [
      "a scheduled change moves to another environment",
      c(chg("scheduled"), chg("scheduled", { environment: "staging" }), DEV, [RM, OPS]),
      "failure",
      /\/environment may not change after draft/,
    ],
    [
      "a requested change names another system",
      c(chg("requested", { system: "payments" }), chg("requested", { system: "cards" }), DEV, [RM]),
      "failure",
      /\/system may not change after draft/,
    ],
    [
      "a scheduled change's title is corrected (a free field)",
      c(chg("scheduled"), chg("scheduled", { title: "Raise the daily limit" }), DEV, [RM]),
      "success",
      /All requirements met/,
    ],
    [
      "a draft is edited freely",
      c(chg("draft"), { ...NEW_VERSION("draft"), window: LATER }, DEV, [RM]),
      "success",
      /All requirements met/,
    ],
  ])("%s", async (_name, row, conclusion, summary) => {
    const verdict = await evaluate(snapshotOf(row), { stages: [], checkWindow: row.window! });
    expect(verdict.summary).toMatch(summary);
    expect(verdict.conclusion).toBe(conclusion);
  });

  it("names the move it judges again and what changed", async () => {
    const row = c(chg("scheduled"), NEW_VERSION("scheduled"), DEV, [RM]);
    const verdict = await evaluate(snapshotOf(row), { stages: [], checkWindow: row.window! });
    expect(node(verdict.rules, `${R}/again`).reason).toBe(
      `${CHG} is scheduled as approved; /deployment changed, so requested -> scheduled is judged again on the new content (it needs ops-lead)`,
    );
    expect(node(verdict.rules, `${R}/again/requires/ops-lead`).status).toBe("pending");
  });

  it("checks a moved window against the real calendar and its freezes", async () => {
    const frozen = { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:00:00+08:00" };
    const row = c(chg("scheduled"), chg("scheduled", { window: frozen }), DEV, [RM, OPS]);
    const verdict = await evaluate(snapshotOf(row), { stages: [] });
    expect(node(verdict.rules, `${R}/again/window`)).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/freeze "year-end close"/) as unknown,
    });
  });

  it("checks a window set on a requested change before it is scheduled", async () => {
    const frozen = { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:00:00+08:00" };
    const row = c(
      chg("requested", { window: undefined }),
      chg("requested", { window: frozen }),
      DEV,
      [RM],
    );
    const verdict = await evaluate(snapshotOf(row), { stages: [] });
    expect(verdict.conclusion).toBe("failure");
    expect(node(verdict.rules, `${R}/again/window`).reason).toMatch(/freeze "year-end close"/);
  });
});

describe("an approved incident analysis stays approved only as it was approved", () => {
  const confirmed = incident("confirmed", {
    ...ANALYSIS,
    confirmation: { decision: "confirmed" },
  });
  const arbitrated = incident("confirmed", {
    ...ANALYSIS,
    confirmation: { decision: "disputed", reason: "The pool was not the cause" },
    arbitration: { decision: "accept-analysis", reason: "Load tests confirm it" },
  });
  const rewritten = { rootCause: "Network", category: "network", handlingStrategy: "Retry" };

  it.each<Case>([
    [
      "a confirmed analysis is rewritten: the ops lead confirms it again",
      i(confirmed, { ...confirmed, analysis: rewritten }, DEV, [RM]),
      "pending",
      /^Waiting for ops-lead$/,
    ],
    [
      "an analysis confirmed by arbitration is rewritten: the ops manager arbitrates again",
      i(arbitrated, { ...arbitrated, analysis: rewritten }, DEV, [RM]),
      "pending",
      /^Waiting for ops-manager$/,
    ],
    [
      "the arbitrated analysis is rewritten with the ops manager's approval",
      i(arbitrated, { ...arbitrated, analysis: rewritten }, DEV, [OPSMGR]),
      "success",
      /All requirements met/,
    ],
  ])("%s", async (_name, row, conclusion, summary) => {
    const verdict = await evaluate(snapshotOf(row), { stages: [] });
    expect(verdict.summary).toMatch(summary);
    expect(verdict.conclusion).toBe(conclusion);
  });
});
