/**
 * Two App replicas sharing one real Redis (redis-server on 127.0.0.1, started here), each with
 * its own Redis connection and its own memory, driven through nock with real webhook payloads:
 * the order of writes, the coalescing of events and the policy cache hold across them.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluate as coreEvaluate } from "../../src/core/evaluate/evaluate.js";
import type { Evaluate } from "../../src/github/judge-pull-request.js";
import type { JudgeStore } from "../../src/github/judge-store.js";
import { redisStore } from "../../src/github/redis-store.js";
import type { FakePull } from "./helpers/fake-github.js";
import { API, createApp, examplePayload, github, receive, type TestApp } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { hasRedis, startRedis } from "./helpers/redis-server.js";
import { QA, RELEASE_MANAGER, approve, requestChangePull } from "./helpers/pull-fixture.js";

const ROLES = "policies/roles.yml";

const unmatched = noNetwork();
const redisTests = hasRedis || process.env.CI ? describe : describe.skip;

/** The first evaluation takes `ms` longer; the others are as quick as usual. */
function slowOnce(ms: number): Evaluate {
  let first = true;
  return async (snapshot) => {
    if (first) {
      first = false;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    return coreEvaluate(snapshot);
  };
}

function review(pull: FakePull, action: "submitted" | "dismissed") {
  const payload = examplePayload("pull_request_review", "submitted", pull);
  payload.action = action;
  payload.review.state = action === "submitted" ? "approved" : "dismissed";
  return payload;
}

function explain(pull: FakePull) {
  const payload = examplePayload("issue_comment", "created", pull);
  payload.issue.number = pull.number;
  payload.issue.state = "open";
  payload.issue.user.login = pull.author;
  payload.issue.pull_request = { url: `${API}/repos/acme/payments/pulls/${pull.number}` };
  payload.comment.body = "/gatehouse explain";
  payload.comment.user.type = "User";
  payload.comment.user.login = pull.author;
  payload.comment.author_association = "CONTRIBUTOR";
  return payload;
}

/** The run GitHub shows on the head: the newest of gatehouse's. */
function shown(pull: FakePull) {
  return pull.checks
    .filter((c) => c.name === "gatehouse")
    .sort((a, b) => (b.databaseId ?? 0) - (a.databaseId ?? 0))[0];
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

redisTests("two replicas sharing a real Redis", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let client: Redis;
  const stores: JudgeStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await client.quit();
    await redis.stop();
  });
  // Each test starts from an empty Redis, as a fresh deployment would.
  beforeEach(async () => {
    await client.flushall();
  });
  /** The slow judgement has read everything and told Redis what it read. */
  const readAll = async (gh: { graphqlRequests: number }) =>
    gh.graphqlRequests === 2 &&
    (await client.exists("gatehouse:cache:hint:acme/payments#42")) === 1;

  /** A replica: its own Redis connection, its own memory, the same Redis. */
  async function replica(options: { evaluate?: Evaluate } = {}): Promise<TestApp> {
    const store = redisStore(redis.url);
    stores.push(store);
    const app = createApp({ store, ...options });
    await app.probot.ready();
    return app;
  }

  it("re-judges in one query on one replica the pull request the other one read", async () => {
    const pull = await requestChangePull();
    pull.repoId = 7001;
    const gh = github(pull).graphql(3).checks(2);
    const [a, b] = [await replica(), await replica()];

    await receive(a, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(gh.graphqlRequests).toBe(2);
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    await receive(b, "pull_request_review", review(pull, "submitted"));

    // b's memory was empty: the policy's texts and the hint came from Redis.
    expect(gh.graphqlRequests).toBe(3);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    expect(shown(pull)).toMatchObject({ status: "COMPLETED", conclusion: "SUCCESS" });
  });

  it("drops one replica's late success that read an approval the other judged dismissed", async () => {
    const pull = await requestChangePull();
    pull.repoId = 7002;
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = github(pull).graphql(3).checks(2);
    gh.scope.post("/repos/acme/payments/issues/42/comments").reply(201, { id: 1 });
    const slow = await replica({ evaluate: slowOnce(500) });
    const quick = await replica();

    // `/gatehouse explain` judges on its own (not coalesced): only the tickets in Redis order
    // the two writes.
    const late = receive(slow, "issue_comment", explain(pull));
    await until(() => readAll(gh)); // the slow judgement has read the approval
    pull.reviews = pull.reviews.filter((r) => r.login !== QA);
    await receive(quick, "pull_request_review", review(pull, "dismissed"));
    await late;

    expect(unmatched()).toStrictEqual([]);
    expect(gh.checkRuns).toHaveLength(1);
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
    expect(slow.logs.join("")).toContain('"write":"superseded"');
  });

  it("coalesces one replica's event into the other's judgement under way, which judges the newest state", async () => {
    const pull = await requestChangePull();
    pull.repoId = 7003;
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = github(pull).graphql(3).checks(2);
    const busy = await replica({ evaluate: slowOnce(300) });
    const other = await replica();

    const approval = receive(busy, "pull_request_review", review(pull, "submitted"));
    await until(() => readAll(gh));
    pull.reviews = pull.reviews.filter((r) => r.login !== QA);
    await receive(other, "pull_request_review", review(pull, "dismissed"));
    await approval;

    expect(unmatched()).toStrictEqual([]);
    expect(other.logs.join("")).not.toContain('"msg":"judged"'); // left to the run under way
    expect(gh.graphqlRequests).toBe(2 + 1); // once more, in one query
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
  });
  it("never judges with the other replica's cached policy once the base's policy changed", async () => {
    const pull = await requestChangePull();
    pull.repoId = 7004;
    approve(pull, RELEASE_MANAGER);
    approve(pull, QA);
    const gh = github(pull)
      .graphql(2 + 3)
      .checks(2);
    const [a, b] = [await replica(), await replica()];

    await receive(a, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(shown(pull)).toMatchObject({ conclusion: "SUCCESS" });
    expect(await client.keys("gatehouse:cache:tree:policy:7004:*")).toHaveLength(1);

    // A policy push to main: qa is now held by another team, so QA's approval no longer counts.
    const roles = pull.baseFiles.get(ROLES) as string;
    pull.baseFiles.set(ROLES, roles.replace('"@acme/qa"', '"@acme/release-qa"'));
    pull.teams["acme/release-qa"] = ["example-someone-else"];
    await receive(b, "pull_request", examplePayload("pull_request", "synchronize", pull));

    // b asked by id, found no proved entry for the new id in Redis or memory, read the texts,
    // then the members of the team the new policy names.
    expect(gh.graphqlRequests).toBe(2 + 3);
    expect(unmatched()).toStrictEqual([]);
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
    // Both policies are in Redis now, each under its own id.
    expect(await client.keys("gatehouse:cache:tree:policy:7004:*")).toHaveLength(2);
  });

  it("reads the policy again when the entry in Redis was tampered with, never judging by it", async () => {
    const pull = await requestChangePull();
    pull.repoId = 7005;
    approve(pull, RELEASE_MANAGER);
    approve(pull, "example-mallory");
    const gh = github(pull)
      .graphql(2 + 1)
      .checks(2);
    const [a, b] = [await replica(), await replica()];
    await receive(a, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS" });

    // Someone with access to Redis makes a friendly reviewer a qa, in the cached text.
    const [key] = await client.keys("gatehouse:cache:tree:policy:7005:*");
    const kept = (await client.get(key as string)) as string;
    const planted = kept.replace('\\"@acme/qa\\"', `\\"@acme/qa\\", \\"@example-mallory\\"`);
    expect(planted).not.toBe(kept);
    await client.set(key as string, planted, "EX", 600);
    await receive(b, "pull_request", examplePayload("pull_request", "synchronize", pull));

    expect(gh.graphqlRequests).toBe(2 + 1); // b read the texts in its first query
    expect(unmatched()).toStrictEqual([]);
    expect(shown(pull)).toMatchObject({ status: "IN_PROGRESS", conclusion: null });
    expect(gh.last().body.output.title).toMatch(/Waiting for qa/);
    // And b kept the proved texts again, over the planted ones.
    expect(await client.get(key as string)).toBe(kept);
  });
});
