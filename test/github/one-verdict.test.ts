/**
 * Issue 13, "one verdict per protected branch": the holes where gatehouse's verdict and
 * GitHub's idea of "the check on this commit" came apart. Each test drives the real app through
 * nock with real webhook payloads, and every REST body it sends is checked against GitHub's
 * OpenAPI description.
 */
import { describe, expect, it } from "vitest";
import { evaluate as coreEvaluate } from "../../src/core/evaluate/evaluate.js";
import type { Evaluate } from "../../src/github/judge-pull-request.js";
import { memoryStore } from "../../src/github/judge-store.js";
import { PullPages } from "../../src/github/pull-pages.js";
import type { PullRequestNode } from "../../src/github/graphql-types.js";
import { MAX_LISTED_FILES, answerGraphQL as answer, type FakePull } from "./helpers/fake-github.js";
import { API, createApp, examplePayload, github, receive } from "./helpers/app.js";
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

/** An approved pull request whose record change sits behind `padding` harmless files. */
async function paddedPull(padding: number): Promise<FakePull> {
  const pull = await requestChangePull();
  approve(pull, RELEASE_MANAGER);
  approve(pull, QA);
  const record = pull.changed.filter((f) => f.path === CHANGE_PATH);
  pull.changed = [];
  for (let i = 0; i < padding; i++) {
    const path = `docs/page-${String(i).padStart(4, "0")}.md`;
    pull.headFiles.set(path, `page ${i}\n`);
    pull.changed.push({ path, changeType: "ADDED" });
  }
  pull.changed.push(...record);
  return pull;
}

describe("everything a pull request changes is read, or the check fails", () => {
  it("fails a pull request of 3,001 files, whose last file GitHub does not list", async () => {
    const pull = await paddedPull(MAX_LISTED_FILES);
    const gh = github(pull).graphql(100).checks();

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    const check = gh.last().body;
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check.output.summary).toContain(
      "GitHub listed 3,000 of the 3,001 files this pull request changes",
    );
    expect(check.output.summary).toContain("Split the pull request");
  });

  it("judges a pull request of exactly 3,000 files as usual", async () => {
    const pull = await paddedPull(MAX_LISTED_FILES - 1);
    const gh = github(pull).graphql(100).checks();

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("fails when a team the policy names has more members than GitHub listed", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    // 150 members: two pages. The fake answers only the first page here, as a GitHub whose
    // answer was cut short would, so the count and the list disagree.
    pull.teams["acme/qa"] = [QA, ...Array.from({ length: 149 }, (_, i) => `member-${i}`)];
    const gh = github(pull);
    let queries = 0;
    gh.scope
      .post("/graphql")
      .times(10)
      .reply(200, (_uri, body) => {
        queries += 1;
        const request = body as { query: string; variables?: Record<string, unknown> };
        // From the third query on, pretend the next page of members is empty.
        if (queries >= 3) request.variables = { ...request.variables, t0after: "150" };
        return answer(pull, request);
      });
    gh.checks();

    await receive(createApp(), "pull_request", examplePayload("pull_request", "opened", pull));

    const check = gh.last().body;
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check.output.summary).toContain(
      "GitHub listed 100 of the 150 members of the team @acme/qa",
    );
  });
});

describe("every paged connection is compared with its total", () => {
  const page = <T>(nodes: T[], totalCount = nodes.length) => ({
    totalCount,
    pageInfo: { hasNextPage: false, endCursor: null },
    nodes,
  });
  const commit = (parents: number) => ({
    commit: {
      oid: "a".repeat(40),
      message: "m",
      tree: { oid: "t" },
      parents: page([{ oid: "p" }], parents),
      author: null,
      committer: null,
      signature: null,
    },
  });
  const pull = (patch: Partial<PullRequestNode>): PullRequestNode => ({
    number: 1,
    state: "OPEN",
    body: "",
    changedFiles: 0,
    author: null,
    headRefOid: "h",
    baseRefName: "main",
    baseRef: null,
    files: page([]),
    commits: page([commit(1)]),
    latestOpinionatedReviews: page([]),
    labels: page([]),
    headCommit: { nodes: [] },
    ...patch,
  });

  it.each([
    { what: "nothing is missing", patch: {}, says: null },
    {
      what: "commits past GitHub's cap",
      patch: { commits: page([commit(1)], 300) },
      says: /listed 1 of the pull request's 300 commits.*Split/,
    },
    {
      what: "reviews GitHub did not list",
      patch: { latestOpinionatedReviews: page([], 2) },
      says: /listed 0 of the pull request's 2 reviews/,
    },
    {
      what: "labels GitHub did not list",
      patch: { labels: page([{ name: "x" }], 101) },
      says: /listed 1 of the pull request's 101 labels/,
    },
    {
      what: "checks on the head GitHub did not list",
      patch: {
        headCommit: {
          nodes: [{ commit: { oid: "h", statusCheckRollup: { contexts: page([], 5) } } }],
        },
      },
      says: /listed 0 of the pull request's 5 checks on the head commit/,
    },
    {
      what: "an octopus merge with more parents than read",
      patch: { commits: page([commit(21)]) },
      says: /merges 21 parents/,
    },
    {
      what: "files counted by changedFiles but not listed",
      patch: { changedFiles: 4 },
      says: /listed 0 of the 4 files/,
    },
  ])("$what", ({ patch, says }) => {
    const missing = new PullPages(pull(patch), "gatehouse").incomplete();
    if (says === null) expect(missing).toBeNull();
    else expect(missing).toMatch(says);
  });
});

function command(pull: FakePull, who: string, association: string, body = "/gatehouse recheck") {
  const payload = examplePayload("issue_comment", "created", pull);
  payload.issue.number = pull.number;
  payload.issue.state = "open";
  payload.issue.user.login = pull.author;
  payload.issue.pull_request = { url: `${API}/repos/acme/payments/pulls/${pull.number}` };
  payload.comment.body = body;
  payload.comment.user.type = "User";
  payload.comment.user.login = who;
  payload.comment.author_association = association;
  return payload;
}

describe("commands from outsiders cost nothing", () => {
  it("ignores a flood of commands by a commenter with no association, without a request", async () => {
    const pull = await requestChangePull();
    const app = createApp();

    for (let i = 0; i < 50; i++) {
      const body = i % 2 === 0 ? "/gatehouse recheck" : "/gatehouse explain";
      await receive(app, "issue_comment", command(pull, "drive-by", "NONE", body));
    }

    expect(unmatched()).toStrictEqual([]);
    expect(app.logs.join("")).toContain('"why":"none commenter"');
  });

  it("asks once whether an organisation member may write, and ignores one who may not", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    gh.scope
      .get("/repos/acme/payments/collaborators/reader/permission")
      .reply(200, { permission: "read", role_name: "triage", user: null });
    const app = createApp();

    for (let i = 0; i < 20; i++) {
      await receive(app, "issue_comment", command(pull, "reader", "MEMBER"));
    }

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
  });

  it("honours a writer's command, and one command per pull request in the window", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(2).checks();
    gh.scope
      .get("/repos/acme/payments/collaborators/release-bot/permission")
      .reply(200, { permission: "write", role_name: "write", user: null });
    const app = createApp();

    for (let i = 0; i < 10; i++) {
      await receive(app, "issue_comment", command(pull, "release-bot", "COLLABORATOR"));
    }

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });

  it("honours the pull request's author without asking GitHub who they are", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(2).checks();

    await receive(createApp(), "issue_comment", command(pull, pull.author, "CONTRIBUTOR"));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
  });
});

/** GraphQL over several fake pull requests of one repository, routed as GitHub would. */
function graphqlOver(gh: ReturnType<typeof github>, pulls: FakePull[], times = 50) {
  const seen: number[] = [];
  gh.alsoCommitsOf(...pulls);
  gh.scope
    .post("/graphql")
    .times(times)
    .optionally()
    .reply(200, (_uri, body) => {
      const request = body as { query: string; variables?: Record<string, unknown> };
      const vars = JSON.stringify(request.variables ?? {});
      const pull =
        pulls.find((p) => p.number === request.variables?.number) ??
        pulls.find((p) => vars.includes(p.headSha)) ??
        pulls.find((p) => vars.includes(p.baseSha)) ??
        (pulls[0] as FakePull);
      seen.push(pull.number);
      return answer(pull, request);
    });
  return seen;
}

/** A second pull request from the same head into `base`, approved by a friendly pair. */
function sameHeadInto(pull: FakePull, base: string, number = 43): FakePull {
  const other: FakePull = {
    ...structuredClone({ ...pull, baseFiles: undefined, headFiles: undefined }),
    baseFiles: new Map(pull.baseFiles),
    headFiles: new Map(pull.headFiles),
    number,
    baseRef: base,
    baseSha: "b".repeat(40),
  } as FakePull;
  approve(other, RELEASE_MANAGER);
  approve(other, QA);
  // One commit, one set of runs: both pull requests see the same head checks.
  other.checks = pull.checks;
  pull.otherOpenPulls = [{ number, headRefOid: pull.headSha, baseRefName: base }];
  other.otherOpenPulls = [{ number: pull.number, headRefOid: pull.headSha, baseRefName: "main" }];
  return other;
}

/** The run GitHub shows on the head: the newest gatehouse run of the App. */
function shown(pull: FakePull) {
  return pull.checks
    .filter((c) => c.name === "gatehouse")
    .sort((a, b) => (b.databaseId ?? 0) - (a.databaseId ?? 0))[0];
}

function opened(pull: FakePull, number = pull.number) {
  const payload = examplePayload("pull_request", "opened", pull);
  payload.pull_request.number = number;
  return payload;
}

describe("the same head in several pull requests", () => {
  it("never passes the head because a pull request into another base was approved", async () => {
    const main = await requestChangePull();
    const release = sameHeadInto(main, "release");
    const later = main.otherOpenPulls ?? [];
    main.otherOpenPulls = [];
    const gh = github(main).checks(2);
    graphqlOver(gh, [main, release]);
    const app = createApp();
    await receive(app, "pull_request", opened(main));
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);

    // The author opens #43 from the same head into a branch a friendly pair approves.
    main.otherOpenPulls = later;
    await receive(app, "pull_request", opened(main, release.number));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    expect(shown(main)).toMatchObject({ status: "COMPLETED", conclusion: "FAILURE" });
    const check = gh.last().body;
    expect(check.output.title).toBe(
      "Blocked: this commit heads 2 open pull requests (#42 into main, #43 into release)",
    );
    expect(check.output.summary).toContain(
      "This commit is the head of 2 open pull requests (#42 into main, #43 into release). A check belongs to a commit, not to a pull request, so gatehouse passes a commit only while it heads one open pull request: close the others (gatehouse then judges this one again), or give each pull request a commit of its own.",
    );
  });

  it.each([
    { order: "main's first", first: 42 },
    { order: "release's first", first: 43 },
  ])("fails the shared head whichever pull request is judged last ($order)", async ({ first }) => {
    const main = await requestChangePull();
    const release = sameHeadInto(main, "release");
    const gh = github(main).checks(2);
    graphqlOver(gh, [main, release]);
    const app = createApp();
    const order = first === 42 ? [42, 43] : [43, 42];

    for (const number of order) await receive(app, "pull_request", opened(main, number));

    expect(shown(main)).toMatchObject({ status: "COMPLETED", conclusion: "FAILURE" });
    expect(gh.checkRuns.every((c) => c.body.conclusion === "failure")).toBe(true);
  });

  it("judges the remaining pull request again when the other one is closed", async () => {
    const main = await requestChangePull();
    const release = sameHeadInto(main, "release");
    const gh = github(main).checks(3);
    graphqlOver(gh, [main, release]);
    const app = createApp();
    await receive(app, "pull_request", opened(main));
    expect(gh.last().body.conclusion).toBe("failure");

    // #43 is closed: #42 heads its commit alone again, and waits for its own approvals.
    main.otherOpenPulls = [];
    const closed = examplePayload("pull_request", "closed", main);
    closed.pull_request.number = 43;
    closed.pull_request.state = "closed";
    await receive(app, "pull_request", closed);

    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
    expect(gh.last().body.status).toBe("in_progress");
  });
});

describe("a late write never overturns a newer verdict", () => {
  const slowly =
    (ms: number): Evaluate =>
    async (snapshot) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return coreEvaluate(snapshot);
    };
  /** The first evaluation takes `ms` longer; the others are as quick as usual. */
  const slowOnce = (ms: number): Evaluate => {
    let first = true;
    return async (snapshot) => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      return coreEvaluate(snapshot);
    };
  };
  const review = (pull: FakePull, action: "submitted" | "dismissed") => {
    const payload = examplePayload("pull_request_review", "submitted", pull);
    payload.action = action;
    payload.review.state = action === "submitted" ? "approved" : "dismissed";
    return payload;
  };
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it("drops a slow judgement's success that read an approval dismissed since", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = github(pull).graphql(4).checks(2);
    gh.scope.post("/repos/acme/payments/issues/42/comments").reply(201, { id: 1 });
    // `/gatehouse explain` judges on its own (it needs its own verdict), so it is not coalesced
    // with the review's judgement: only the write order keeps the newer verdict.
    const app = createApp({ evaluate: slowOnce(500) });

    const explain = receive(
      app,
      "issue_comment",
      command(pull, pull.author, "CONTRIBUTOR", "/gatehouse explain"),
    );
    await until(() => gh.graphqlRequests === 2); // the slow judgement has read the approval
    pull.reviews = pull.reviews.filter((r) => r.login !== QA); // qa's review is dismissed
    await receive(app, "pull_request_review", review(pull, "dismissed"));
    await explain;

    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    expect(gh.checkRuns).toHaveLength(1);
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
    expect(app.logs.join("")).toContain('"write":"superseded"');
  });

  it("coalesces events across replicas that share a store, and judges the newest state", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = github(pull).graphql(3).checks(2);
    const store = memoryStore();
    const busy = createApp({ store, evaluate: slowOnce(300) });
    const other = createApp({ store });
    await Promise.all([busy.probot.ready(), other.probot.ready()]);

    const approval = receive(busy, "pull_request_review", review(pull, "submitted"));
    await until(() => gh.graphqlRequests === 2);
    pull.reviews = pull.reviews.filter((r) => r.login !== QA);
    await receive(other, "pull_request_review", review(pull, "dismissed"));
    await approval;

    expect(unmatched()).toStrictEqual([]);
    expect(other.logs.join("")).not.toContain('"msg":"judged"'); // left to the run under way
    expect(gh.graphqlRequests).toBe(2 + 1); // the run once more re-judges in one query
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
  });

  it("judges a burst of events once more after the judgement under way, on the newest state", async () => {
    const pull = await requestChangePull();
    approve(pull, RELEASE_MANAGER);
    const gh = github(pull).graphql(3).checks(2);
    const app = createApp({ evaluate: slowly(200) });

    const first = receive(app, "pull_request_review", review(pull, "submitted"));
    await until(() => gh.graphqlRequests === 2);
    approve(pull, QA); // qa approves while the first judgement still evaluates
    await Promise.all(
      Array.from({ length: 5 }, () =>
        receive(app, "pull_request_review", review(pull, "submitted")),
      ),
    );
    await first;

    expect(unmatched()).toStrictEqual([]);
    expect(gh.graphqlRequests).toBe(2 + 1); // two judgements for six events, the second warm
    expect(shown(pull)).toMatchObject({ status: "COMPLETED", conclusion: "SUCCESS" });
  });

  it("writes nothing when the verdict has not changed, and updates the run when it has", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(6).checks(3);
    const app = createApp();

    await receive(app, "pull_request", opened(pull));
    await receive(app, "pull_request", opened(pull));
    expect(gh.checkRuns.map((c) => c.method)).toEqual(["POST"]);

    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    await receive(app, "pull_request_review", review(pull, "submitted"));

    expect(gh.checkRuns.map((c) => c.method)).toEqual(["POST", "PATCH"]);
    expect(gh.last().path).toBe("/repos/acme/payments/check-runs/1000");
    expect(shown(pull)).toMatchObject({ status: "COMPLETED", conclusion: "SUCCESS" });
  });
});

describe("a merge group is judged as what will be merged", () => {
  const GROUP_HEAD = "c".repeat(40);

  /** #42 (the change request) is ahead of #43 in the queue; the group tested is #43's. */
  async function queue(options: { approveFirst: boolean; secondChangesRecord: boolean }) {
    const first = await requestChangePull();
    if (options.approveFirst) {
      approve(first, RELEASE_MANAGER);
      approve(first, QA);
    }
    const second = await requestChangePull(
      options.secondChangesRecord
        ? {}
        : { changeRecord: false, headFiles: new Map([["docs/runbook.md", "steps\n"]]) },
    );
    second.number = 43;
    await pushCommit(second, "Second pull request");
    approve(second, RELEASE_MANAGER);
    approve(second, QA);
    first.mergeQueue = [
      { number: 42, headRefOid: first.headSha, groupHead: "d".repeat(40) },
      { number: 43, headRefOid: second.headSha, groupHead: GROUP_HEAD },
    ];
    const gh = github(first).checks();
    graphqlOver(gh, [first, second]);
    const payload = examplePayload("merge_group", "checks_requested", first);
    payload.merge_group.head_sha = GROUP_HEAD;
    payload.merge_group.head_ref = `refs/heads/gh-readonly-queue/main/pr-43-${second.headSha}`;
    payload.merge_group.base_ref = "refs/heads/main";
    return { first, second, gh, payload };
  }

  it("fails a group of an approved pull request and an unapproved one ahead of it", async () => {
    const { gh, payload } = await queue({ approveFirst: false, secondChangesRecord: false });

    await receive(createApp(), "merge_group", payload);

    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    const check = gh.last().body;
    expect(check).toMatchObject({
      head_sha: GROUP_HEAD,
      status: "completed",
      conclusion: "failure",
    });
    expect(check.output.title).toMatch(/^Blocked: #42 waiting for release-manager, qa/);
  });

  it("passes the group when every pull request in it passes", async () => {
    const { gh, payload } = await queue({ approveFirst: true, secondChangesRecord: false });

    await receive(createApp(), "merge_group", payload);

    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body).toMatchObject({ head_sha: GROUP_HEAD, conclusion: "success" });
    expect(gh.last().body.output.title).toBe("Merge group of #42, #43: all requirements met");
  });

  it("fails a group in which two pull requests change the same record", async () => {
    const { gh, payload } = await queue({ approveFirst: true, secondChangesRecord: true });

    await receive(createApp(), "merge_group", payload);

    expect(gh.last().body).toMatchObject({ head_sha: GROUP_HEAD, conclusion: "failure" });
    expect(gh.last().body.output.summary).toContain(
      `${CHANGE_PATH} is changed by #42 and #43 in one merge group`,
    );
  });

  it("fails a group the merge queue does not list", async () => {
    const { first, gh, payload } = await queue({ approveFirst: true, secondChangesRecord: false });
    first.mergeQueue = [];

    await receive(createApp(), "merge_group", payload);

    expect(gh.last().body).toMatchObject({ head_sha: GROUP_HEAD, conclusion: "failure" });
    expect(gh.last().body.output.summary).toContain("cannot tell which pull requests it holds");
  });
});
