/**
 * An approved record stays approved only as it was approved, on a real repository: a change
 * scheduled on main is edited on a branch with one friendly approval, and `gatehouse check`
 * asks for the ops lead again, refuses a window in the year-end freeze, and refuses a new type.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../cli/capture-io.js";
import { as, contextFile, governedRepo } from "../cli/governed-repo.js";
import type { TempRepo } from "./temp-repo.js";

const PATH = "changes/CHG-2026-0007.yaml";
const SCHEDULED = `apiVersion: gatehouse/v1
kind: ChangeRequest
id: CHG-2026-0007
title: Rotate the gateway certificate
state: scheduled
type: normal
system: payments
environment: production
risk: low
window:
  start: "2026-12-08T22:00:00+08:00"
  end: "2026-12-08T23:00:00+08:00"
requirements:
  scope: Rotate the certificate before it expires.
architecture:
  review: approved
deployment:
  version: 2.4.1
  artifact: registry.example/gateway@sha256:abc
  strategy: rolling
  steps: [roll the pods]
  rollback: [roll back the pods]
testing:
  conclusion: passed
  report: https://ci.example/r/7
`;

describe("an edit of a scheduled change on a real repository", () => {
  let repo: TempRepo;
  let scratch: string;

  beforeAll(async () => {
    repo = await governedRepo();
    repo.write({ [PATH]: SCHEDULED });
    repo.commit("CHG-2026-0007 scheduled", as("li-na"));
    scratch = mkdtempSync(join(tmpdir(), "gatehouse-approved-"));
  });
  afterAll(() => {
    repo.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const check = async (branch: string, edit: (text: string) => string, approvers: string[]) => {
    repo.git("checkout", "-q", "-b", branch, "main");
    try {
      repo.write({ [PATH]: edit(SCHEDULED) });
      repo.commit(`edit on ${branch}`, as("wang-jun"));
      const ctx = contextFile(
        scratch,
        `${branch}.yml`,
        `author: wang-jun\napprovals: [${approvers.map((u) => `{ user: ${u} }`).join(", ")}]\n`,
      );
      const io = captureIO(repo.dir);
      const status = await main(
        ["check", "--context", ctx, "--now", "2026-12-02T10:00:00+08:00", "--format", "json"],
        io,
      );
      return { status, ...(JSON.parse(io.out()) as { conclusion: string; summary: string }) };
    } finally {
      repo.git("checkout", "-q", "main");
    }
  };

  it("asks the ops lead again when the deployed version changes", async () => {
    const judged = await check("new-version", (t) => t.replace("2.4.1", "2.5.0"), ["li-na"]);
    expect(judged).toMatchObject({ status: 1, conclusion: "pending" });
    expect(judged.summary).toBe("Waiting for ops-lead");
  });

  it("passes the new version once the ops lead approves it again", async () => {
    const judged = await check("new-version-approved", (t) => t.replace("2.4.1", "2.5.0"), [
      "example-li-na",
    ]);
    expect(judged).toMatchObject({ status: 0, conclusion: "success" });
  });

  it("refuses a window moved into the year-end freeze, whoever approves", async () => {
    const judged = await check("frozen-window", (t) => t.replaceAll("2026-12-08", "2026-12-29"), [
      "li-na",
      "example-li-na",
    ]);
    expect(judged.conclusion).toBe("failure");
    expect(judged.summary).toMatch(/the window falls in the freeze "year-end close"/);
  });

  it("refuses a change of type past draft", async () => {
    const judged = await check("emergency", (t) => t.replace("type: normal", "type: emergency"), [
      "li-na",
      "example-li-na",
    ]);
    expect(judged.conclusion).toBe("failure");
    expect(judged.summary).toMatch(/\/type may not change after draft/);
  });
});
