/**
 * Separation of duties across pull requests, from evidence that real merges wrote into real git
 * notes of a real repository, read back by `gatehouse check`'s loader.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHG, CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { node } from "../core/evaluate/fixtures.js";
import { branchCommit, ledgerRepo, type LedgerRepo } from "./ledger-repo.js";

const RECORD_NODE = `records/${CHG_PATH}`;

describe("evidence of earlier merges in a local clone", () => {
  let repo: LedgerRepo;
  let scheduleNumber: number;

  beforeAll(async () => {
    repo = await ledgerRepo();
    branchCommit(repo, "schedule", "li-na", {
      [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)),
    });
    const schedule = await repo.judge("schedule", "li-na", ["chen-jie"]);
    expect(schedule.verdict.conclusion).toBe("success");
    scheduleNumber = schedule.number;
    await repo.merge(schedule, "li-na");
    branchCommit(repo, "cancel", "liu-yang", {
      [CHG_PATH]: yamlOf(changeAt.cancelled(DEMO_WINDOW)),
    });
  }, 60_000);
  afterAll(() => repo.dispose());

  it("writes the merge's document as a git note on the merge commit", () => {
    const log = repo.git("log", "-1", "--show-notes=gatehouse", "--format=%N", "main");
    const envelope = JSON.parse(log.trim()) as { payloadType: string; payload: string };
    expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
    expect(statement.subject[0].digest.gitCommit).toBe(repo.git("rev-parse", "main").trim());
    expect(statement.predicate.records).toMatchObject([
      // Its chain starts at the baseline, which listed it when the ledger began.
      { id: CHG, from: "requested", to: "scheduled", previous: expect.stringMatching(/^sha256:/) },
    ]);
    expect(statement.predicate.acts).toContainEqual({
      record: CHG,
      role: "ops-lead",
      login: "chen-jie",
      action: "approval",
    });
  });

  it("refuses the ops lead who approved the schedule as release manager later, naming the act", async () => {
    const cancel = await repo.judge("cancel", "liu-yang", ["chen-jie"]);
    expect(cancel.verdict.conclusion).toBe("pending");
    const slot = node(cancel.verdict.rules, `${RECORD_NODE}/requires/release-manager`);
    expect(slot.reason).toContain(
      `chen-jie approved ${CHG} as ops-lead in #${scheduleNumber}; ops-lead and release-manager may not be combined`,
    );
    expect(node(cancel.verdict.rules, `${RECORD_NODE}/evidence`)).toMatchObject({
      status: "satisfied",
      reason: expect.stringContaining(`#${scheduleNumber}`),
    });
  });

  it("lets another release manager cancel it", async () => {
    const cancel = await repo.judge("cancel", "liu-yang", ["li-na"]);
    expect(cancel.verdict.conclusion).toBe("success");
  });
});
