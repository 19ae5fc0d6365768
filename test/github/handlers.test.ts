/* eslint-disable @typescript-eslint/no-explicit-any -- example payloads are plain JSON that the tests patch */
import { describe, expect, it } from "vitest";
import type { FakePull } from "./helpers/fake-github.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { restBodyErrors } from "./helpers/openapi.js";
import { QA, RELEASE_MANAGER, requestChangePull } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();

function comment(pull: FakePull, body: string, patch: (p: any) => void = () => undefined) {
  const payload = examplePayload("issue_comment", "created", pull);
  payload.issue.number = pull.number;
  payload.issue.state = "open";
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/acme/payments/pulls/${pull.number}`,
  };
  payload.comment.body = body;
  payload.comment.user.type = "User";
  patch(payload);
  return payload;
}

function checkRun(pull: FakePull, action: string, name = "gatehouse") {
  const payload = examplePayload("check_run", action, pull);
  payload.check_run.name = name;
  payload.check_run.head_sha = pull.headSha;
  payload.check_run.pull_requests = [
    { number: pull.number, id: 1, url: "", head: { sha: pull.headSha }, base: {} },
  ];
  return payload;
}

function push(pull: FakePull, paths: string[], ref = "refs/heads/main") {
  const payload = examplePayload("push", undefined, pull);
  payload.ref = ref;
  payload.deleted = false;
  payload.commits =
    paths.length === 0 ? [] : [{ id: "c1", added: [], removed: [], modified: paths }];
  return payload;
}

describe("events that cannot change a verdict cost no API call", () => {
  it.each([
    {
      what: "a closed pull request",
      name: "pull_request",
      payload: (p: FakePull) => {
        const e = examplePayload("pull_request", "opened", p);
        e.pull_request.state = "closed";
        return e;
      },
    },
    {
      what: "a new title",
      name: "pull_request",
      payload: (p: FakePull) => {
        const e = examplePayload("pull_request", "opened", p);
        e.action = "edited";
        e.changes = { title: { from: "Old title" } };
        return e;
      },
    },
    {
      what: "a review that only comments",
      name: "pull_request_review",
      payload: (p: FakePull) => {
        const e = examplePayload("pull_request_review", "submitted", p);
        e.review.state = "commented";
        return e;
      },
    },
    {
      what: "an edited review",
      name: "pull_request_review",
      payload: (p: FakePull) => {
        const e = examplePayload("pull_request_review", "submitted", p);
        e.action = "edited";
        e.review.state = "approved";
        return e;
      },
    },
    {
      what: "a comment that is no command",
      name: "issue_comment",
      payload: (p: FakePull) => comment(p, "LGTM"),
    },
    {
      what: "a command on an issue that is no pull request",
      name: "issue_comment",
      payload: (p: FakePull) =>
        comment(p, "/gatehouse recheck", (e) => delete e.issue.pull_request),
    },
    {
      what: "a command from a bot",
      name: "issue_comment",
      payload: (p: FakePull) =>
        comment(p, "/gatehouse recheck", (e) => (e.comment.user.type = "Bot")),
    },
    {
      what: "gatehouse's own finished check run",
      name: "check_run",
      payload: (p: FakePull) => checkRun(p, "completed"),
    },
    {
      what: "a re-run request for another app's check",
      name: "check_run",
      payload: (p: FakePull) => checkRun(p, "rerequested", "ci"),
    },
    {
      what: "a pushed tag",
      name: "push",
      payload: (p: FakePull) => push(p, ["policies/roles.yml"], "refs/tags/v1"),
    },
    { what: "a push without commits", name: "push", payload: (p: FakePull) => push(p, []) },
  ])("$what", async ({ name, payload }) => {
    const pull = await requestChangePull();
    await receive(createApp(), name, payload(pull));
    expect(unmatched()).toStrictEqual([]);
  });
});

describe("commands and other triggers", () => {
  it("answers /gatehouse explain with the verdict and who can approve", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(2).checks();
    let posted: any;
    gh.scope.post("/repos/acme/payments/issues/42/comments").reply(201, (_path, body) => {
      posted = body;
      return { id: 1 };
    });

    await receive(createApp(), "issue_comment", comment(pull, "/gatehouse explain please"));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(
      restBodyErrors("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", posted),
    ).toStrictEqual([]);
    expect(posted.body).toContain("Who can approve");
    expect(posted.body).toContain(RELEASE_MANAGER);
    expect(posted.body).toContain(QA);
  });

  it.each([
    {
      what: "/gatehouse recheck",
      name: "issue_comment",
      payload: (p: FakePull) => comment(p, "/gatehouse recheck"),
    },
    {
      what: "a re-run request",
      name: "check_run",
      payload: (p: FakePull) => checkRun(p, "rerequested"),
    },
    {
      what: "the Re-check button",
      name: "check_run",
      payload: (p: FakePull) => {
        const e = checkRun(p, "requested_action");
        e.requested_action = { identifier: "recheck" };
        return e;
      },
    },
    {
      what: "another check finishing",
      name: "check_run",
      payload: (p: FakePull) => checkRun(p, "completed", "ci"),
    },
  ])("judges the pull request again on $what", async ({ name, payload }) => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(2).checks();

    await receive(createApp(), name, payload(pull));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });

  it("re-judges the open pull requests into a branch whose policy changed", async () => {
    const pull = await requestChangePull();
    // The pushed policy read once ahead, then the judgement's two queries.
    const gh = github(pull)
      .graphql(1 + 2)
      .checks();
    gh.scope
      .get("/repos/acme/payments/pulls")
      .query({ state: "open", base: "main", per_page: "100" })
      .reply(200, [{ number: 42, head: { sha: pull.headSha } }]);

    await receive(createApp(), "push", push(pull, ["policies/roles.yml"]));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body.output.title).toMatch(/Waiting for/);
  });

  it("reads a pushed policy once, ahead of the judgements it causes, which then ask one query each", async () => {
    const pull = await requestChangePull();
    const gh = github(pull)
      .graphql(2 + 1 + 1)
      .checks(2);
    gh.scope
      .get("/repos/acme/payments/pulls")
      .query({ state: "open", base: "main", per_page: "100" })
      .reply(200, [{ number: 42, head: { sha: pull.headSha } }]);
    const app = createApp();
    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(gh.graphqlRequests).toBe(2);

    // A second release manager on main: the waiting check names both.
    const roles = pull.baseFiles.get("policies/roles.yml") as string;
    pull.baseFiles.set(
      "policies/roles.yml",
      roles.replace(
        'members: ["@example-zhao-min"]',
        'members: ["@example-zhao-min", "@example-qian-rm"]',
      ),
    );
    const payload = push(pull, ["policies/roles.yml"]);
    payload.after = pull.baseSha;
    await receive(app, "push", payload);

    expect(gh.graphqlRequests).toBe(2 + 1 + 1);
    const judged = app.logs.filter((line) => line.includes('"msg":"judged"'));
    expect(judged.at(-1)).toContain('"requests":1,');
    expect(gh.last().body.output.summary).toContain("example-qian-rm");
    expect(unmatched()).toStrictEqual([]);
  });

  it("reads only the configuration for a push that leaves the policy alone", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);

    await receive(createApp(), "push", push(pull, ["src/app.ts"]));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
  });

  it("judges a merge group on the group's own head commit", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(3).checks();
    const payload = examplePayload("merge_group", "checks_requested", pull);
    payload.merge_group.head_ref = `refs/heads/gh-readonly-queue/main/pr-${pull.number}-${pull.headSha}`;
    payload.merge_group.base_ref = "refs/heads/main";
    pull.mergeQueue = [
      { number: pull.number, headRefOid: pull.headSha, groupHead: payload.merge_group.head_sha },
    ];

    await receive(createApp(), "merge_group", payload);

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(gh.checkRuns[0]?.body.head_sha).toBe(payload.merge_group.head_sha);
    expect(gh.checkRuns[0]?.body.head_sha).not.toBe(pull.headSha);
    // Waiting approvals are never waved through in the queue.
    expect(gh.last().body.conclusion).not.toBe("success");
  });

  it("fails a merge group it cannot tie to a pull request", async () => {
    const pull = await requestChangePull();
    let created: any;
    const scope = github(pull).graphql(1).scope;
    scope.post("/repos/acme/payments/check-runs").reply(201, (_path, body) => {
      created = body;
      return { id: 1 };
    });
    const payload = examplePayload("merge_group", "checks_requested", pull);
    payload.merge_group.head_ref = "refs/heads/some-branch";

    await receive(createApp(), "merge_group", payload);

    expect(scope.pendingMocks()).toStrictEqual([]);
    expect(created).toMatchObject({
      head_sha: payload.merge_group.head_sha,
      conclusion: "failure",
    });
    expect(created.output.summary).toMatch(/cannot tell which pull requests it holds/);
  });

  it("asks the people who can approve for a review when request-reviews is on", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).config("request-reviews: true\n").graphql(2).checks();
    let asked: any;
    gh.scope.post("/repos/acme/payments/pulls/42/requested_reviewers").reply(201, (_path, body) => {
      asked = body;
      return {};
    });

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(
      restBodyErrors(
        "POST",
        "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
        asked,
      ),
    ).toStrictEqual([]);
    expect([...asked.reviewers].sort()).toEqual([RELEASE_MANAGER, QA].sort());
  });
});

describe("review requests", () => {
  it("keeps the verdict when GitHub refuses a review request", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).config("request-reviews: true\n").graphql(2).checks();
    gh.scope
      .post("/repos/acme/payments/pulls/42/requested_reviewers")
      .reply(422, { message: "Reviews may only be requested from collaborators." });

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(gh.checkRuns.map((c) => c.method)).toEqual(["POST"]);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });
});

describe("a fork's pull request", () => {
  it("is found from its head commit when a re-run request does not name it", async () => {
    const pull = await requestChangePull();
    const gh = github(pull)
      .graphql(1 + 2)
      .checks(); // the lookup, then the judgement
    const payload = checkRun(pull, "rerequested");
    payload.check_run.pull_requests = []; // GitHub leaves out pull requests from forks

    await receive(createApp(), "check_run", payload);

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body.output.title).toMatch(/Waiting for/);
  });
});
