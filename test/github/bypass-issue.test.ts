/**
 * A merge while gatehouse's check was not a success is a bypass: its evidence says so, and the
 * App opens an issue labelled `gatehouse:bypass` naming who merged and what was missing.
 * The bypass issue is opened at least once and never twice. When opening it fails after the
 * evidence was written, the delivery fails, and a redelivery, which finds the evidence written,
 * opens it from what the document records. Only an issue this App opened counts as opened: one
 * a person or another App opened with the same marker does not suppress the real one.
 */
import { describe, expect, it } from "vitest";
import { CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { noteLines } from "../../src/core/evidence/append.js";
import { ProbotOctokit } from "probot";
import type { EvidencePredicate } from "../../src/core/evidence/model.js";
import type { Verdict } from "../../src/core/types.js";
import { ensureBypassIssue } from "../../src/github/bypass-issue.js";
import { API, APP_ID, TOKEN } from "./helpers/app.js";
import { FakeTracker } from "./helpers/fake-tracker.js";
import type { FakePull } from "./helpers/fake-github.js";
import { appEvidenceKey, deliverMerge, mergeWithEvidence } from "./helpers/ledger-merge.js";
import { LedgerWorld } from "./helpers/ledger-world.js";
import { noNetwork } from "./helpers/no-network.js";
import { memoryStore } from "../../src/github/judge-store.js";

const unmatched = noNetwork();
const key = appEvidenceKey();
const LABEL = "gatehouse:bypass";

/** A world whose ledger began with a merge that passed the gate (returned). */
async function adoptedWorld(): Promise<{ world: LedgerWorld; pull: FakePull; merge: string }> {
  const world = await LedgerWorld.create({ [CHG_PATH]: yamlOf(changeAt.requested) });
  const pull = world.pull("li-na", { "policies/keys/gatehouse-evidence.asc": key().publicKey }, [
    "xu-ming",
    "guo-fang",
  ]);
  return { world, pull, merge: await mergeWithEvidence(world, pull, "xu-ming") };
}

/** A pull request an admin merges with a red check, into a world whose ledger has begun. */
async function bypassWorld(): Promise<{ world: LedgerWorld; pull: FakePull; merge: string }> {
  const { world } = await adoptedWorld();
  const pull = world.pull(
    "li-na",
    { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) },
    [],
    "FAILURE",
  );
  return { world, pull, merge: world.merge(pull) };
}

const marker = (merge: string) => `<!-- gatehouse:bypass merge=${merge} -->`;

/** The merge's document, as written. */
function documentOf(world: LedgerWorld, merge: string) {
  const [line] = noteLines(
    world.git.read("refs/notes/gatehouse", `${merge.slice(0, 2)}/${merge.slice(2)}`) ?? null,
  );
  const envelope = JSON.parse(line!) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
}

describe("a merge that bypassed the gate", () => {
  it("says so in its evidence and opens an issue naming who merged and what was missing", async () => {
    // Nobody approved, and the check was red when an admin merged anyway.
    const { world, pull, merge } = await bypassWorld();
    expect((await deliverMerge(world, pull, merge)).failed).toBeNull();
    const document = documentOf(world, merge);
    expect(document.predicate.bypass).toMatchObject({
      reason: expect.stringMatching(/^merged while its check was failure; missing: \S/),
    });
    expect(document.predicate.check).toMatchObject({ conclusion: "failure" });
    expect(world.git.issues).toHaveLength(1);
    const [issue] = world.git.issues;
    expect(issue!.labels).toStrictEqual([LABEL]);
    expect(issue!.title).toBe(
      `gatehouse: #${pull.number} was merged without a passing gatehouse check`,
    );
    expect(issue!.body).toContain("by @xu-ming");
    expect(issue!.body).toMatch(
      /waiting: needs an approval from ops-lead; chen-jie or zhou-qiang can give it/,
    );
    expect(issue!.body.split("\n")).toContain(marker(merge));
    expect(world.git.contractErrors).toStrictEqual([]);
  });
});

describe("a bypass issue that could not be opened", () => {
  it("fails the delivery, and the redelivery opens it once", async () => {
    const { world, pull, merge } = await bypassWorld();
    world.git.tracker.failures.createIssue = 1;
    const first = await deliverMerge(world, pull, merge);
    expect(String(first.failed)).toMatch(/could not open the bypass issue/);
    expect(first.app.logs.join("")).toContain('"msg":"could not open the bypass issue"');
    // The evidence was written all the same, and records the bypass.
    expect(documentOf(world, merge).predicate.bypass).toMatchObject({
      reason: expect.stringMatching(/^merged while/),
    });
    expect(world.git.issues).toStrictEqual([]);

    const again = await deliverMerge(world, pull, merge);
    expect(again.failed).toBeNull();
    expect(again.app.logs.join("")).toContain('"msg":"evidence already written"');
    expect(world.git.issues).toHaveLength(1);
    const [issue] = world.git.issues;
    expect(issue!.labels).toStrictEqual([LABEL]);
    expect(issue!.body.split("\n")).toContain(marker(merge));
    expect(issue!.body).toContain("by @xu-ming");

    // Delivered once more: the App's issue is found, nothing is opened.
    const opened = world.git.tracker.requests.createIssue;
    expect((await deliverMerge(world, pull, merge)).failed).toBeNull();
    expect(world.git.tracker.requests.createIssue).toBe(opened);
    expect(world.git.issues).toHaveLength(1);
    expect(world.git.contractErrors).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
  });

  it("fails the delivery, opening nothing, when GitHub cannot list the issues", async () => {
    const { world, pull, merge } = await bypassWorld();
    expect((await deliverMerge(world, pull, merge)).failed).toBeNull();
    expect(world.git.issues).toHaveLength(1);
    world.git.tracker.failures.listIssues = 1;
    const again = await deliverMerge(world, pull, merge);
    expect(String(again.failed)).toMatch(/could not open the bypass issue/);
    expect(world.git.issues).toHaveLength(1);
  });
});

describe("an issue that names the merge but was not opened by the App", () => {
  it.each([
    ["a person", { user: { login: "mallory", type: "User" as const } }],
    [
      "another App",
      {
        user: { login: "helper[bot]", type: "Bot" as const },
        performed_via_github_app: { id: 99, slug: "helper" },
      },
    ],
  ])("does not stand for the bypass issue when %s opened it", async (_who, author) => {
    const { world, pull, merge } = await bypassWorld();
    world.git.tracker.failures.createIssue = 1;
    await deliverMerge(world, pull, merge);
    const fake = world.git.tracker.opened({
      title: `gatehouse: #${pull.number} was merged without a passing gatehouse check`,
      body: `Already handled.\n\n${marker(merge)}`,
      labels: [LABEL],
      state: "closed",
      ...author,
    });
    expect((await deliverMerge(world, pull, merge)).failed).toBeNull();
    const real = world.git.issues.filter((i) => i !== fake);
    expect(real).toHaveLength(1);
    expect(real[0]!.performed_via_github_app).toMatchObject({ id: 1 });
  });
});

describe("the bypass issue of a merge delivered twice at once", () => {
  it("is opened once, though both look before either opens", async () => {
    const tracker = new FakeTracker();
    tracker.serve(API, "acme", "payments");
    // GitHub answers slowly: without the lock, both deliveries would find no issue and open one.
    tracker.listDelayMs = 100;
    const octokit = new ProbotOctokit({
      auth: { token: TOKEN },
      retry: { enabled: false },
      throttle: { enabled: false },
    });
    // Two replicas sharing their store (Redis in production) take the same delivery.
    const deps = { store: memoryStore(), appId: APP_ID };
    const merge = "c".repeat(40);
    const issue = {
      pull: {
        owner: "acme",
        repo: "payments",
        number: 12,
        merge,
        mergedBy: "xu-ming",
        mergedAt: "2026-11-24T03:00:00Z",
      },
      written: {
        base: { ref: "main" },
        check: { conclusion: "failure" },
        sequence: 3,
        merge: { sha: merge },
      } as EvidencePredicate,
      verdict: {
        summary: "Waiting for ops-lead",
        rules: { id: "root", status: "pending", reason: "", children: [] },
      } as unknown as Verdict,
    };
    const repo = { owner: "acme", repo: "payments" };
    const [one, two] = await Promise.all([
      ensureBypassIssue(octokit, deps, repo, issue),
      ensureBypassIssue(octokit, deps, repo, issue),
    ]);
    expect(tracker.issues).toHaveLength(1);
    expect([one.kind, two.kind].sort()).toStrictEqual(["found", "opened"]);
    expect(two.number).toBe(one.number);
  });
});

describe("a merge that was no bypass", () => {
  it("asks nothing about bypass issues, however often it is delivered", async () => {
    const { world, pull, merge } = await adoptedWorld();
    const again = await deliverMerge(world, pull, merge);
    expect(again.failed).toBeNull();
    expect(again.app.logs.join("")).toContain('"msg":"evidence already written"');
    expect(world.git.tracker.requests).toMatchObject({ listIssues: 0, createIssue: 0 });
    expect(world.git.issues).toStrictEqual([]);
  });
});
