/**
 * Injected faults (issue 15): every judgement ends within its bound with a failing check that
 * says what happened, in GitHub's own words where GitHub said something. Time limits are
 * shortened here (a request 5 s, a judgement's reads 15 s; 0.3 s and 2 s where nothing answers); the docs give the real ones.
 */
import { describe, expect, it } from "vitest";
import { INSTALLATION, createApp, examplePayload, github, receive } from "./helpers/app.js";
import { answerGraphQL } from "./helpers/fake-github.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();
const limits = { requestTimeoutMs: 5000, deadlineMs: 15_000 };

type Pull = Awaited<ReturnType<typeof requestChangePull>>;

async function judged(
  setup: (gh: ReturnType<typeof github>, pull: Pull) => void,
  app = createApp({ limits }),
) {
  const pull = await requestChangePull();
  const gh = github(pull);
  setup(gh, pull);
  gh.checks();
  await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
  return { gh, pull, app };
}

describe("faults", () => {
  it("fails the check, saying so, when a query never answers", async () => {
    let asked = 0;
    const quick = createApp({ limits: { requestTimeoutMs: 300, deadlineMs: 2000 } });
    const { gh } = await judged(
      (gh) =>
        gh.scope
          .post("/graphql")
          .times(3)
          .delay(60_000)
          .reply(() => {
            asked += 1;
            return [200, {}];
          }),
      quick,
    );

    expect(asked).toBeGreaterThan(0);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(gh.last().body.output.summary).toContain("api.github.com did not answer in time");
  });

  it("says a network failure is one, not that GitHub answered 500", async () => {
    const { gh } = await judged((gh) =>
      gh.scope
        .post("/graphql")
        .replyWithError(
          Object.assign(new Error("getaddrinfo ENOTFOUND api.github.com"), { code: "ENOTFOUND" }),
        ),
    );

    const summary = gh.last().body.output.summary as string;
    expect(summary).toContain("could not reach api.github.com: DNS lookup failed (ENOTFOUND)");
    expect(summary).not.toContain("answered 500");
  });

  it("keeps GitHub's own words for a GraphQL error", async () => {
    const { gh } = await judged((gh) =>
      gh.scope.post("/graphql").reply(200, {
        data: { repository: { nameWithOwner: "acme/payments", pullRequest: null } },
        errors: [
          {
            type: "NOT_FOUND",
            path: ["repository", "pullRequest"],
            message: "Could not resolve to a PullRequest with the number of 42.",
          },
        ],
      }),
    );

    expect(gh.last().body.output.summary).toContain(
      "GitHub said: Could not resolve to a PullRequest with the number of 42.",
    );
  });

  it("names a refused team lookup as a permission problem", async () => {
    const { gh, app } = await judged((gh, pull) => {
      let queries = 0;
      gh.scope
        .post("/graphql")
        .times(2)
        .reply(200, (_uri, body) => {
          queries += 1;
          const request = body as { query: string; variables?: Record<string, unknown> };
          const answer = answerGraphQL(pull, request) as { data: Record<string, unknown> };
          if (queries === 1) return answer;
          // The follow-up: GitHub answers the team with FORBIDDEN and the rest as usual.
          return {
            data: { ...answer.data, t0: null },
            errors: [
              {
                type: "FORBIDDEN",
                path: ["t0"],
                message: "Resource not accessible by integration",
              },
            ],
          };
        });
    });

    const summary = gh.last().body.output.summary as string;
    expect(summary).toMatch(/did not let gatehouse read the members of the team @acme\/\w+/);
    expect(summary).toContain("This is a permission problem, not a missing member");
    expect(summary).not.toMatch(/roles\.yml/);
    expect(app.logs.join("")).toContain("permission problem");
  });

  it("retries a failing token request within one bound, not in two layers", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    let tokens = 0;
    gh.scope
      .post(`/app/installations/${INSTALLATION}/access_tokens`)
      .times(20)
      .optionally()
      .reply(() => {
        tokens += 1;
        return [500, { message: "Internal Server Error" }];
      });
    const app = createApp({ limits, appAuth: true, retries: true });

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));

    // The test app keeps Octokit's three retries: four attempts to judge and four to post the
    // failure, one token request each. Retried in two layers it was 16 per request.
    expect(tokens).toBe(8);
    expect(app.logs.join("")).toContain("could not judge");
    expect(unmatched()).toStrictEqual([]);
  });
});
