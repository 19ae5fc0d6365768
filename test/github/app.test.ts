import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOKEN, createApp, examplePayload, github, receive } from "./helpers/app.js";
import {
  AUTHOR,
  CHANGE_PATH,
  QA,
  RELEASE_MANAGER,
  SECURITY_ADMINS,
  approve,
  changeRequest,
  pushCommit,
  requestChangePull,
} from "./helpers/pull-fixture.js";

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** A judgement's GitHub traffic: token, config (repo then organisation), two queries, two writes. */
function judgement(pull: Awaited<ReturnType<typeof requestChangePull>>) {
  return github(pull).graphql(2).checks();
}

/** A review the example payload reports as approving (the first example only comments). */
function approvedReview(pull: Awaited<ReturnType<typeof requestChangePull>>) {
  const payload = examplePayload("pull_request_review", "submitted", pull);
  payload.review.state = "approved";
  return payload;
}

function done(gh: ReturnType<typeof github>): void {
  expect(gh.scope.pendingMocks()).toStrictEqual([]);
  expect(gh.contractErrors).toStrictEqual([]);
}

describe("the gatehouse check run", () => {
  it("waits for qa and release-manager, in one write", async () => {
    const pull = await requestChangePull();
    const gh = judgement(pull);
    const app = createApp();

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));

    done(gh);
    expect(gh.checkRuns).toHaveLength(1);
    const end = gh.checkRuns[0];
    expect(end?.body).toMatchObject({
      name: "gatehouse",
      head_sha: pull.headSha,
      status: "in_progress",
    });
    expect(end?.body.conclusion).toBeUndefined();
    expect(end?.body.output.title).toMatch(/Waiting for release-manager, qa/);
    expect(end?.body.output.summary).toContain(RELEASE_MANAGER);
    expect(end?.body.output.summary).toContain(QA);
    // The log says what happened without personal data: no commit e-mail, no file contents.
    const logs = app.logs.join("");
    expect(logs).toContain('"msg":"judged"');
    expect(logs).not.toContain("users.noreply.github.com");
    expect(logs).not.toContain("Raise the daily transfer limit");
  });

  it("succeeds once a release-manager and qa approve the head", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = judgement(pull);

    await receive(createApp(), "pull_request_review", approvedReview(pull));

    done(gh);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("waits again after a push, because approvals bind to the head they were given on", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    await pushCommit(pull, "Fix a typo");
    const gh = judgement(pull);

    await receive(createApp(), "pull_request", examplePayload("pull_request", "synchronize", pull));

    done(gh);
    expect(gh.checkRuns[0]?.body.head_sha).toBe(pull.headSha);
    expect(gh.last().body.status).toBe("in_progress");
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });

  it("ignores the author's own approval, even when the author holds the role", async () => {
    const pull = await requestChangePull();
    pull.teams["acme/qa"] = [QA, AUTHOR];
    approve(pull, RELEASE_MANAGER);
    approve(pull, AUTHOR);
    const gh = judgement(pull);

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    done(gh);
    expect(gh.last().body.status).toBe("in_progress");
    expect(gh.last().body.output.title).toMatch(/\bqa\b/);
    expect(gh.last().body.output.title).not.toMatch(/release-manager/);
  });

  it.each([
    { approvers: [] as string[], status: "in_progress", conclusion: undefined },
    { approvers: [SECURITY_ADMINS[0]], status: "in_progress", conclusion: undefined },
    { approvers: [...SECURITY_ADMINS], status: "completed", conclusion: "success" },
  ])(
    "a policy change approved by $approvers.length security admins is $status $conclusion",
    async ({ approvers, status, conclusion }) => {
      const roles = (await requestChangePull()).baseFiles.get("policies/roles.yml") ?? "";
      const pull = await requestChangePull({
        changeRecord: false,
        headFiles: new Map([
          [
            "policies/roles.yml",
            roles.replace('["@example-zhao-min"]', '["@example-zhao-min", "@example-sun-li"]'),
          ],
        ]),
      });
      for (const login of approvers) approve(pull, login);
      const gh = judgement(pull);

      await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

      done(gh);
      expect(gh.last().body.status).toBe(status);
      expect(gh.last().body.conclusion).toBe(conclusion);
      if (status === "in_progress") expect(gh.last().body.output.title).toMatch(/security-admin/);
    },
  );

  it("fails a malformed record with an annotation on its line", async () => {
    const broken = changeRequest("requested").replace("risk: medium", "risk: extreme");
    const pull = await requestChangePull({ headFiles: new Map([[CHANGE_PATH, broken]]) });
    const gh = judgement(pull);

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    done(gh);
    const end = gh.last().body;
    expect(end).toMatchObject({ status: "completed", conclusion: "failure" });
    const line = broken.split("\n").findIndex((l) => l.startsWith("risk:")) + 1;
    expect(end.output.annotations).toContainEqual(
      expect.objectContaining({ path: CHANGE_PATH, start_line: line, annotation_level: "failure" }),
    );
  });

  it("reports a failing check that says why when GitHub cannot answer", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).token();
    gh.scope.post("/graphql").reply(502, { message: "Server Error" });
    gh.scope.post("/repos/acme/payments/check-runs").reply(201, (_path, body) => {
      gh.checkRuns.push({ method: "POST", path: _path, body: body as Record<string, unknown> });
      return { id: 7 };
    });
    const app = createApp({ appAuth: true });

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(gh.last().body).toMatchObject({
      head_sha: pull.headSha,
      status: "completed",
      conclusion: "failure",
      output: { title: "gatehouse could not judge this pull request" },
    });
    expect(gh.last().body.output.summary).toMatch(/GitHub answered 502/);
    expect(app.logs.join("")).not.toContain(TOKEN);
  });
});

describe("reliability", () => {
  it("retries a 502 and then judges", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    gh.scope.post("/graphql").reply(502, { message: "Server Error" });
    gh.graphql(2).checks();

    await receive(
      createApp({ retries: true }),
      "pull_request",
      examplePayload("pull_request", "opened", pull),
    );

    done(gh);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });

  it("waits out a rate limit and then judges", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    gh.scope.post("/graphql").reply(
      403,
      { message: "API rate limit exceeded" },
      {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)),
      },
    );
    gh.graphql(2).checks();

    await receive(
      createApp({ throttle: true }),
      "pull_request",
      examplePayload("pull_request", "opened", pull),
    );

    done(gh);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });

  it("judges a duplicate delivery again with the same result on the same head", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = github(pull).graphql(3).checks(2);
    const app = createApp();
    const payload = approvedReview(pull);

    await app.probot.receive({ id: "same-delivery", name: "pull_request_review", payload });
    await app.probot.receive({ id: "same-delivery", name: "pull_request_review", payload });

    done(gh);
    // The second judgement reads the run the first one wrote, and its verdict is the same:
    // it writes nothing. It reads in one query: the policy is cached, and the first query
    // asks for the files and teams the first judgement needed.
    expect(gh.checkRuns.map((c) => [c.method, c.body.head_sha, c.body.conclusion])).toEqual([
      ["POST", pull.headSha, "success"],
    ]);
    expect(gh.graphqlRequests).toBe(2 + 1);
  });

  it("judges the current head when a late event names an older one", async () => {
    const pull = await requestChangePull();
    const stale = examplePayload("pull_request", "synchronize", pull);
    await pushCommit(pull, "A newer commit");
    const gh = judgement(pull);

    await receive(createApp(), "pull_request", stale);

    done(gh);
    expect(gh.checkRuns.map((c) => c.body.head_sha)).toEqual([pull.headSha]);
    expect(stale.pull_request.head.sha).not.toBe(pull.headSha);
  });
});

describe("changes requested", () => {
  it.each([
    { qaReview: "CHANGES_REQUESTED" as const, conclusion: undefined, status: "in_progress" },
    { qaReview: "DISMISSED" as const, conclusion: "success", status: "completed" },
  ])(
    "a qa holder's $qaReview review leaves the check $status $conclusion",
    async ({ qaReview, conclusion, status }) => {
      const pull = await requestChangePull();
      pull.teams["acme/qa"] = [QA, "qa-two"];
      approve(pull, RELEASE_MANAGER);
      approve(pull, "qa-two");
      pull.reviews.push({
        login: QA,
        state: qaReview,
        commit: pull.headSha,
        submittedAt: "2026-01-02T00:00:00Z",
      });
      const gh = judgement(pull);

      await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

      done(gh);
      expect(gh.last().body.status).toBe(status);
      expect(gh.last().body.conclusion).toBe(conclusion);
      if (status === "in_progress")
        expect(gh.last().body.output.summary).toContain(`${QA} requested changes`);
    },
  );
});
