/**
 * Issue 15 from the attacker's side: the caches it added (the verdict's fingerprint on the run,
 * the policy by object id, the push and judgement hints, coalesced events) must never make the
 * App reuse a verdict, a policy or a text that is not the one of the base and head it judges.
 * Each test drives the real App through nock with real webhook payloads; the App keeps its
 * memory between the deliveries of one test, as a running replica does.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { evaluate as coreEvaluate } from "../../src/core/evaluate/evaluate.js";
import type { Evaluate } from "../../src/github/judge-pull-request.js";
import { API, APP_ID, createApp, examplePayload, github, receive } from "./helpers/app.js";
import type { FakePull } from "./helpers/fake-github.js";
import { noNetwork } from "./helpers/no-network.js";
import {
  CHANGE_PATH,
  QA,
  RELEASE_MANAGER,
  approve,
  pushCommit,
  requestChangePull,
} from "./helpers/pull-fixture.js";

const unmatched = noNetwork();

const ROLES = "policies/roles.yml";

/** The run GitHub now shows for gatehouse on the head: the newest by id, whoever made it. */
function shown(pull: FakePull, app = APP_ID) {
  return pull.checks
    .filter((c) => c.name === "gatehouse" && c.app === app)
    .sort((a, b) => (b.databaseId ?? 0) - (a.databaseId ?? 0))[0];
}

const event = (pull: FakePull, action: "opened" | "synchronize") =>
  examplePayload("pull_request", action, pull);

function review(pull: FakePull, action: "submitted" | "dismissed") {
  const payload = examplePayload("pull_request_review", "submitted", pull);
  payload.action = action;
  payload.review.state = action === "submitted" ? "approved" : "dismissed";
  return payload;
}

async function approvedPull(): Promise<FakePull> {
  const pull = await requestChangePull();
  approve(pull, RELEASE_MANAGER);
  approve(pull, QA);
  return pull;
}

/** The `external_id` the App writes for the verdict on `pull` as it stands (a fresh App). */
async function fingerprintOf(pull: FakePull): Promise<string> {
  const checks = pull.checks;
  pull.checks = [];
  const probe = github(pull).graphql(4).checks();
  await receive(createApp(), "pull_request", event(pull, "opened"));
  const id = probe.last().body.external_id as string;
  nock.cleanAll();
  pull.checks = checks;
  return id;
}

describe("the verdict's fingerprint is only believed from the App's own run", () => {
  it("writes its own run when another app's run of the same name carries the fingerprint of the verdict", async () => {
    const pull = await approvedPull();
    const externalId = await fingerprintOf(pull);
    // Any app (or a workflow) may create a run named "gatehouse" and set its external_id.
    pull.checks = [
      {
        name: "gatehouse",
        status: "COMPLETED",
        conclusion: "SUCCESS",
        databaseId: 900,
        externalId,
        app: 99,
      },
    ];
    const gh = github(pull).graphql(4).checks();

    await receive(createApp(), "pull_request", event(pull, "opened"));

    expect(gh.checkRuns.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /repos/acme/payments/check-runs",
    ]);
    expect(gh.last().body).toMatchObject({ head_sha: pull.headSha, conclusion: "success" });
    expect(unmatched()).toStrictEqual([]);
  });

  it("replaces its own earlier success when the verdict is now to wait, whatever the title says", async () => {
    const pull = await approvedPull();
    const success = await fingerprintOf(pull);
    pull.reviews = [];
    // A replica that never judged this pull request: only GitHub's run tells what is shown.
    pull.checks = [
      {
        name: "gatehouse",
        status: "COMPLETED",
        conclusion: "SUCCESS",
        databaseId: 900,
        externalId: success,
        app: APP_ID,
      },
    ];
    const gh = github(pull).graphql(4).checks();

    await receive(createApp(), "pull_request", event(pull, "opened"));

    // GitHub keeps a completed run completed: a new run replaces it.
    expect(gh.checkRuns.map((c) => c.method)).toEqual(["POST"]);
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for/);
  });

  it("updates its own success run whose summary is stale, though the conclusion is the same", async () => {
    const pull = await approvedPull();
    const current = await fingerprintOf(pull);
    pull.checks = [
      {
        name: "gatehouse",
        status: "COMPLETED",
        conclusion: "SUCCESS",
        databaseId: 900,
        // Written by an older release, or for an older policy: another text, another print.
        externalId: `gatehouse:${"0".repeat(24)}`,
        app: APP_ID,
      },
    ];
    const gh = github(pull).graphql(4).checks();

    await receive(createApp(), "pull_request", event(pull, "opened"));

    expect(gh.checkRuns.map((c) => `${c.method} ${c.path}`)).toEqual([
      "PATCH /repos/acme/payments/check-runs/900",
    ]);
    expect(gh.last().body.external_id).toBe(current);
  });

  it("writes again when GitHub shows a verdict whose answer never reached the App", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    const app = createApp();
    const gh = github(pull).graphql(8);
    // GitHub applies the update to success, but its answer is lost (a reset, a timeout), and
    // reporting that failure finds GitHub down too: the App never learns what the run shows.
    let lost = 0;
    nock(API)
      .patch("/repos/acme/payments/check-runs/1000")
      .times(2)
      .reply((_path, body) => {
        lost += 1;
        const b = body as { status: string; conclusion?: string; external_id: string };
        if (lost === 1) {
          Object.assign(pull.checks[0] as object, {
            status: "COMPLETED",
            conclusion: String(b.conclusion).toUpperCase(),
            externalId: b.external_id,
          });
        }
        return [502, { message: "Bad Gateway" }];
      });
    gh.checks(2);

    await receive(app, "pull_request", event(pull, "opened"));
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS" });
    approve(pull, QA);
    await receive(app, "pull_request_review", review(pull, "submitted"));
    expect(lost).toBe(2);
    expect(shown(pull)).toMatchObject({ status: "COMPLETED", conclusion: "SUCCESS" });

    // qa's approval is dismissed: the verdict is the first one again, which the App remembers
    // writing. GitHub shows a success, so "unchanged" would leave the pull request mergeable.
    pull.reviews = pull.reviews.filter((r) => r.login !== QA);
    await receive(app, "pull_request_review", review(pull, "dismissed"));

    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
  });
});

/** Main moves on and its roles change: qa is now held by the ops team only. */
function qaMovesToOps(pull: Awaited<ReturnType<typeof approvedPull>>): void {
  pull.baseSha = "b".repeat(40);
  pull.baseFiles.set(ROLES, (pull.baseFiles.get(ROLES) as string).replace("@acme/qa", "@acme/ops"));
}

describe("a verdict is never carried over to another base or head", () => {
  it("judges a head force-pushed back under the base's new policy, not by its earlier success", async () => {
    const pull = await approvedPull();
    const app = createApp();
    const gh = github(pull).graphql(12).checks(4);
    const earlier = { sha: pull.headSha, commits: [...pull.commits] };
    await receive(app, "pull_request", event(pull, "opened"));
    expect(shown(pull)).toMatchObject({ conclusion: "SUCCESS" });
    const successRun = shown(pull)?.databaseId;

    // GitHub keeps runs per commit: the new head has none, and the earlier one keeps its own.
    const runsOfEarlier = pull.checks;
    pull.checks = [];
    await pushCommit(pull, "Something else");
    await receive(app, "pull_request", event(pull, "synchronize"));
    // Meanwhile main's roles change: qa is now held by the ops team only.
    qaMovesToOps(pull);
    // The author force-pushes the approved head back; GitHub still shows its success run.
    pull.headSha = earlier.sha;
    pull.commits = earlier.commits;
    pull.checks = runsOfEarlier;
    expect(shown(pull)).toMatchObject({ databaseId: successRun, conclusion: "SUCCESS" });
    await receive(app, "pull_request", event(pull, "synchronize"));

    expect(gh.last()).toMatchObject({ method: "POST", body: { head_sha: earlier.sha } });
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
  });

  it("reads a policy file that has the same path but another text at the new base", async () => {
    const pull = await approvedPull();
    const app = createApp();
    const gh = github(pull).graphql(8).checks(2);
    await receive(app, "pull_request", event(pull, "opened"));
    expect(shown(pull)).toMatchObject({ conclusion: "SUCCESS" });

    qaMovesToOps(pull);
    await receive(app, "pull_request", event(pull, "synchronize"));

    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
  });

  it("fails a base whose policy was deleted, though the policy it had is cached", async () => {
    const pull = await approvedPull();
    const app = createApp();
    const gh = github(pull).graphql(8).checks(2);
    await receive(app, "pull_request", event(pull, "opened"));
    expect(shown(pull)).toMatchObject({ conclusion: "SUCCESS" });

    pull.baseSha = "b".repeat(40);
    for (const path of [...pull.baseFiles.keys()]) {
      if (path.startsWith("policies/")) pull.baseFiles.delete(path);
    }
    await receive(app, "pull_request", event(pull, "synchronize"));

    expect(shown(pull)).toMatchObject({ status: "COMPLETED", conclusion: "FAILURE" });
    expect(gh.last().body.output.summary).toContain("policies/roles.yml is missing");
  });
});

describe("a push is a guess, never a fact", () => {
  it("judges the head's texts when a push of the head claims the record was removed", async () => {
    const plain = await requestChangePull();
    const reference = github(plain).graphql(4).checks();
    await receive(createApp(), "pull_request", event(plain, "opened"));
    const expected = reference.last().body.output as { title: string; summary: string };
    nock.cleanAll();

    const pull = await requestChangePull();
    const app = createApp();
    const gh = github(pull).graphql(4).checks();
    const push = examplePayload("push", undefined, pull);
    Object.assign(push, {
      ref: "refs/heads/raise-limit",
      deleted: false,
      after: pull.headSha,
      // GitHub's own push, but of another branch that points at the same commit: its list says
      // nothing about what the pull request changes.
      commits: [{ id: pull.headSha, added: [], modified: ["README.md"], removed: [CHANGE_PATH] }],
    });
    await receive(app, "push", push);
    await receive(app, "pull_request", event(pull, "opened"));

    expect(gh.last().body.output).toMatchObject(expected);
    expect(gh.last().body.output.summary).toContain("CHG-2026-0042");
  });
});

describe("events that arrive while a judgement runs", () => {
  it("are judged once more, together, at the newest head", async () => {
    const pull = await requestChangePull();
    const judgedHeads: string[] = [];
    let reached!: () => void;
    const firstReached = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const evaluate: Evaluate = async (snapshot) => {
      judgedHeads.push(snapshot.head.sha);
      if (judgedHeads.length === 1) {
        reached();
        await held;
      }
      return coreEvaluate(snapshot);
    };
    const app = createApp({ evaluate });
    const gh = github(pull).graphql(8).checks(3);
    const first = pull.headSha;

    const running = receive(app, "pull_request", event(pull, "synchronize"));
    await firstReached;
    // Three pushes while the first judgement evaluates; each sends "synchronize".
    const heads: string[] = [];
    for (let i = 0; i < 3; i++) {
      await pushCommit(pull, `Push ${i}`);
      heads.push(pull.headSha);
      await receive(app, "pull_request", event(pull, "synchronize"));
    }
    release();
    await running;

    expect(judgedHeads).toEqual([first, heads[2]]);
    // Nothing was written on the heads in between.
    const written = gh.checkRuns.flatMap((c) => (c.method === "POST" ? [c.body.head_sha] : []));
    expect(written.every((sha) => sha === first || sha === heads[2])).toBe(true);
    expect(written).toContain(first);
    expect(unmatched()).toStrictEqual([]);
  });
});
