/**
 * GitHub's rate limits while judging. Probot's throttling plugin recognises them; gatehouse's own
 * handlers decide how long to wait: as GitHub asks, but at most three retries per request and
 * 40 seconds per judgement (it ends within its one-minute deadline), then a failing check that says when to try again. The test app
 * waits one millisecond for each second GitHub asks for.
 */
import { describe, expect, it } from "vitest";
import {
  RATE_LIMIT_BUDGET,
  rateLimitHandlers,
  rateLimitReason,
} from "../../src/github/github-client.js";
import type { FakePull } from "./helpers/fake-github.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();

const inSeconds = (seconds: number) => String(Math.floor(Date.now() / 1000) + seconds);
const utc = (epochSeconds: string) =>
  `${new Date(Number(epochSeconds) * 1000).toISOString().slice(11, 16)} UTC`;

type Reply = [number, Record<string, unknown>, Record<string, string>];

/** GitHub's GraphQL answer for a used-up hourly limit: HTTP 200 with a RATE_LIMITED error. */
const primary = (reset: string, type = "RATE_LIMITED"): Reply => [
  200,
  { data: null, errors: [{ type, message: "API rate limit exceeded for installation ID 4242." }] },
  { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
];

/** GitHub's answer for a secondary limit: 403 and how long to wait. */
const secondary = (retryAfter: number): Reply => [
  403,
  {
    message:
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  },
  { "retry-after": String(retryAfter) },
];

/** The first `times` GraphQL requests get `reply`; returns how many did. */
function limited(gh: ReturnType<typeof github>, reply: Reply, times: number) {
  const seen = { count: 0 };
  gh.scope
    .post("/graphql")
    .times(times)
    .reply(() => {
      seen.count += 1;
      return reply;
    });
  return seen;
}

/** The failing check gatehouse posts when it could not judge. */
function failure(gh: ReturnType<typeof github>, pull: FakePull) {
  gh.scope.post(`/repos/${pull.owner}/${pull.name}/check-runs`).reply(201, (path, body) => {
    gh.checkRuns.push({ method: "POST", path, body: body as Record<string, unknown> });
    return { id: 7 };
  });
}

const opened = (pull: FakePull) => examplePayload("pull_request", "opened", pull);

describe("GitHub's rate limits while judging", () => {
  it("waits for GitHub's reset when a query is answered RATE_LIMITED, then judges", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    const seen = limited(gh, primary(inSeconds(20)), 1);
    gh.graphql(2).checks();
    const app = createApp({ rateLimits: true });

    await receive(app, "pull_request", opened(pull));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(seen.count).toBe(1);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
    expect(app.logs.join("")).toMatch(/"limit":"primary".*"retryAfter":2[01].*"retry":true/);
  });

  it("waits out a secondary rate limit as its retry-after asks, then judges", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    const seen = limited(gh, secondary(30), 1);
    gh.graphql(2).checks();

    await receive(createApp({ rateLimits: true }), "pull_request", opened(pull));

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toStrictEqual([]);
    expect(seen.count).toBe(1);
    expect(gh.last().body.output.title).toMatch(/Waiting for release-manager, qa/);
  });

  it.each([
    {
      what: "a reset further away than the budget is not waited for at all",
      reply: primary(inSeconds(3600)),
      requests: 1,
      says: /rate limit for this installation is reached until \d\d:\d\d UTC/,
    },
    {
      what: "a request is retried three times, no more",
      reply: secondary(1),
      requests: 4,
      says: /secondary rate limit for this installation is reached until/,
    },
    {
      what: "the waits of one judgement add up to 40 seconds at most",
      reply: secondary(25),
      requests: 2,
      says: /waits at most 40 seconds and 3 retries/,
    },
    {
      what: "GitHub's RATE_LIMIT variant, which the plugin does not recognise, is named plainly",
      reply: primary(inSeconds(60), "RATE_LIMIT"),
      requests: 1,
      says: /rate limit for this installation is reached/,
    },
  ])("fails closed: $what", async ({ reply, requests, says }) => {
    const pull = await requestChangePull();
    const gh = github(pull);
    const seen = limited(gh, reply, 5);
    failure(gh, pull);

    await receive(createApp({ rateLimits: true }), "pull_request", opened(pull));

    expect(seen.count).toBe(requests);
    expect(unmatched()).toStrictEqual([]);
    expect(gh.checkRuns).toHaveLength(1);
    const check = gh.last().body;
    expect(check).toMatchObject({
      head_sha: pull.headSha,
      status: "completed",
      conclusion: "failure",
      output: { title: "gatehouse could not judge this pull request" },
    });
    expect(check.output.summary).toMatch(says);
    expect(check.output.summary).toContain("/gatehouse recheck");
  });
});

describe("GitHub's rate limits while finding the pull requests of an event", () => {
  it("gives up a status event's lookup within the same bound, rather than wait for the reset", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    const seen = limited(gh, primary(inSeconds(3600)), 5);
    const payload = examplePayload("status", undefined, pull);
    Object.assign(payload, { sha: pull.headSha, context: "ci", state: "success" });

    const outcome = await receive(createApp({ rateLimits: true }), "status", payload).then(
      () => "judged",
      (error: unknown) => String(error),
    );

    // Probot's own handlers would have retried three times, each after waiting for the reset.
    expect(seen.count).toBe(1);
    expect(outcome).toMatch(/rate limit/i);
    expect(gh.checkRuns).toHaveLength(0);
  });
});

describe("rateLimitHandlers", () => {
  const log = { warn: () => undefined };

  it.each([
    { what: "a wait that fits", waits: [30], retryCounts: [0], expected: [true] },
    { what: "a wait longer than the budget", waits: [41], retryCounts: [0], expected: [false] },
    {
      what: "waits that add up past it",
      waits: [25, 15, 1],
      retryCounts: [0, 0, 0],
      expected: [true, true, false],
    },
    {
      what: "a fourth retry",
      waits: [0, 0, 0, 0],
      retryCounts: [0, 1, 2, 3],
      expected: [true, true, true, false],
    },
  ])("$what", ({ waits, retryCounts, expected }) => {
    const { onRateLimit, onSecondaryRateLimit } = rateLimitHandlers(RATE_LIMIT_BUDGET, log);
    const answers = waits.map((wait, i) =>
      (i % 2 === 0 ? onRateLimit : onSecondaryRateLimit)(
        wait,
        { method: "POST", url: "/graphql" },
        null,
        retryCounts[i] ?? 0,
      ),
    );
    expect(answers).toEqual(expected);
  });
});

describe("rateLimitReason", () => {
  const now = new Date("2026-03-02T09:00:00Z");
  const reset = String(Date.parse("2026-03-02T10:00:00Z") / 1000);

  it.each([
    {
      what: "the plugin's error after a RATE_LIMITED answer",
      error: Object.assign(new Error("GraphQL Rate Limit Exceeded"), {
        response: { headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset } },
      }),
      says: `rate limit for this installation is reached until ${utc(reset)}`,
    },
    {
      what: "a 403 secondary limit with retry-after",
      error: Object.assign(new Error("You have exceeded a secondary rate limit."), {
        status: 403,
        response: { headers: { "retry-after": "90" } },
      }),
      says: "secondary rate limit for this installation is reached until 09:01 UTC",
    },
    {
      what: "a 403 that says rate limit without headers",
      error: Object.assign(new Error("API rate limit exceeded"), { status: 403 }),
      says: "comment `/gatehouse recheck` in a few minutes",
    },
  ])("names $what", ({ error, says }) => {
    expect(rateLimitReason(error, now)).toContain(says);
  });

  it.each([
    { what: "a server error", error: Object.assign(new Error("Bad gateway"), { status: 502 }) },
    {
      what: "a 403 for a missing permission",
      error: Object.assign(new Error("Resource not accessible by integration"), { status: 403 }),
    },
    {
      what: "a GraphQL error of another type",
      error: Object.assign(new Error("Not found"), { errors: [{ type: "NOT_FOUND" }] }),
    },
    { what: "no error object at all", error: undefined },
  ])("leaves $what to the usual description", ({ error }) => {
    expect(rateLimitReason(error, now)).toBeNull();
  });
});
