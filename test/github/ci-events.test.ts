/**
 * Events from CI: commit statuses (Jenkins and most bank CI) and check runs of pull requests
 * from forks, whose payload names no pull request. Both re-judge the open pull requests whose
 * head the event names, found by listing the open pull requests (one GraphQL query, answered
 * by the fake GitHub like the snapshot queries).
 */
import { describe, expect, it } from "vitest";
import type { FakePull } from "./helpers/fake-github.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { QA, RELEASE_MANAGER, approve, requestChangePull } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();

/** The request-change pull request, approved by both roles, under a policy that also asks `ci`. */
async function pullNeedingCi(): Promise<FakePull> {
  const plain = await requestChangePull();
  const workflows = plain.baseFiles.get("policies/workflows.yml") ?? "";
  const transition =
    "      - from: draft\n        to: requested\n        requires: [release-manager, qa]\n";
  expect(workflows).toContain(transition);
  const pull = await requestChangePull({
    extraBase: new Map([
      [
        "policies/workflows.yml",
        workflows.replace(transition, `${transition}        checks: [ci]\n`),
      ],
    ]),
  });
  approve(pull, RELEASE_MANAGER);
  approve(pull, QA);
  return pull;
}

function statusEvent(pull: FakePull, state: string, context = "ci") {
  const payload = examplePayload("status", undefined, pull);
  payload.sha = pull.headSha;
  payload.context = context;
  payload.state = state;
  return payload;
}

/** Another open pull request of the repository, from another branch. */
const otherPull = { number: 41, headRefOid: "0123456789abcdef0123456789abcdef01234567" };

describe("a commit status", () => {
  it("re-judges the open pull request it heads: success lets it through", async () => {
    const pull = await pullNeedingCi();
    pull.statuses = [{ context: "ci", state: "SUCCESS" }];
    pull.otherOpenPulls = [otherPull];
    const gh = github(pull)
      .graphql(1 + 2)
      .checks();

    await receive(createApp(), "status", statusEvent(pull, "success"));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    expect(gh.checkRuns[0]?.body.head_sha).toBe(pull.headSha);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("takes a success back when CI runs again and reports pending", async () => {
    const pull = await pullNeedingCi();
    pull.statuses = [{ context: "ci", state: "SUCCESS" }];
    // Each status costs the lookup; the first judgement two queries, the second one.
    const gh = github(pull)
      .graphql(1 + 2 + (1 + 1))
      .checks(2);
    const app = createApp();

    await receive(app, "status", statusEvent(pull, "success"));
    expect(gh.last().body.conclusion).toBe("success");

    pull.statuses = [{ context: "ci", state: "PENDING" }];
    await receive(app, "status", statusEvent(pull, "pending"));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body.status).toBe("in_progress");
    expect(gh.last().body.conclusion).toBeUndefined();
    expect(gh.last().body.output.summary).toContain('waiting for the check "ci" (pending)');
  });

  it("costs only the lookup on a commit that heads no open pull request", async () => {
    const pull = await pullNeedingCi();
    pull.otherOpenPulls = [otherPull];
    const gh = github(pull).graphql(1);
    const payload = statusEvent(pull, "success");
    payload.sha = pull.baseSha; // a build of the base branch

    await receive(createApp(), "status", payload);

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.graphqlRequests).toBe(1);
    expect(gh.checkRuns).toStrictEqual([]);
  });
});

describe("a check run of a pull request from a fork", () => {
  function forkRun(pull: FakePull, name: string) {
    const payload = examplePayload("check_run", "completed", pull);
    payload.check_run.name = name;
    payload.check_run.head_sha = pull.headSha;
    payload.check_run.pull_requests = []; // what GitHub sends for a fork's pull request
    return payload;
  }

  it("is found from its head commit when the finished run names no pull request", async () => {
    const pull = await pullNeedingCi();
    pull.checks = [{ name: "ci", status: "COMPLETED", conclusion: "SUCCESS" }];
    pull.otherOpenPulls = [otherPull];
    const gh = github(pull)
      .graphql(1 + 2)
      .checks();

    await receive(createApp(), "check_run", forkRun(pull, "ci"));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("still ignores gatehouse's own finished run, without a lookup", async () => {
    const pull = await pullNeedingCi();

    await receive(createApp(), "check_run", forkRun(pull, "gatehouse"));

    expect(unmatched()).toStrictEqual([]);
  });
});
