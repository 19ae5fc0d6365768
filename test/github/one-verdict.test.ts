/**
 * Issue 13, "one verdict per protected branch": the holes where gatehouse's verdict and
 * GitHub's idea of "the check on this commit" came apart. Each test drives the real app through
 * nock with real webhook payloads, and every REST body it sends is checked against GitHub's
 * OpenAPI description.
 */
import { describe, expect, it } from "vitest";
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
    const gh = github(pull).noConfig().graphql(100).checks();

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
    const gh = github(pull).noConfig().graphql(100).checks();

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
    const gh = github(pull).noConfig();
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

describe("commands from outsiders cost nothing", () => {
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
    const gh = github(pull).noConfig().graphql(2).checks();
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
    const gh = github(pull).noConfig().graphql(2).checks();

    await receive(createApp(), "issue_comment", command(pull, pull.author, "CONTRIBUTOR"));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
  });
});
