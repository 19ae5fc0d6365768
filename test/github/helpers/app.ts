/* eslint-disable @typescript-eslint/no-explicit-any -- example payloads are plain JSON that the tests patch freely */
/**
 * Drives the real app: a fresh Probot per test with the handlers of `src/index.ts`, real
 * webhook payloads from `@octokit/webhooks-examples`, and nock standing in for GitHub. Every REST
 * body the app sends is checked against GitHub's OpenAPI description as it passes.
 */
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import Bottleneck from "bottleneck";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { registerHandlers } from "../../../src/github/register-handlers.js";
import type { Evaluate } from "../../../src/github/judge-pull-request.js";
import type { JudgeStore } from "../../../src/github/judge-store.js";
import type { ProtectionDeps } from "../../../src/github/protection-rule.js";
import type { Clock } from "../../../src/github/recheck-timer.js";
import type { WriteWindow } from "../../../src/github/write-window.js";
import { APP_ID } from "./app-id.js";
import { answerGraphQL, repoIdOf, type FakePull } from "./fake-github.js";
import { FakeGit, isGitQuery } from "./fake-git.js";
import { restBodyErrors } from "./openapi.js";

export const API = "https://api.github.com";
export const TOKEN = "ghs_testInstallationToken0123456789";
export const INSTALLATION = 4242;
export { APP_ID };

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export interface TestApp {
  probot: Probot;
  logs: string[];
}

/**
 * A fresh Probot with the app loaded; retries and throttling only when a test asks for them.
 * `appAuth` authenticates as the app with an installation token (one more request per test);
 * otherwise Probot uses a fixed token, which keeps the tests fast.
 */
export function createApp(
  options: {
    retries?: boolean;
    throttle?: boolean;
    /**
     * Throttling as in production (Probot's options, the app's own rate-limit handlers), with
     * one second of GitHub's `retry-after` or `x-ratelimit-reset` waited as one millisecond and
     * no spacing between requests (the write gate's second is a millisecond too), so that
     * rate-limit tests run fast.
     */
    rateLimits?: boolean;
    evaluate?: Evaluate;
    appAuth?: boolean;
    /** Shared with another app to play a second replica; each app has its own otherwise. */
    store?: JudgeStore;
    /** The deployment handlers' clock and evidence. */
    deployments?: ProtectionDeps;
    /** Shorter time limits, so that fault tests end quickly. */
    limits?: { requestTimeoutMs: number; deadlineMs: number };
    /** The judgements' clock and the rechecks' timers (helpers/fake-clock.ts). */
    clock?: Clock;
    /** With `throttle`: the write gate's windows instead of GitHub's minute and hour. */
    writeWindows?: WriteWindow[];
  } = {},
): TestApp {
  const logs: string[] = [];
  const log = pino(
    { level: process.env.TEST_LOG_LEVEL ?? "info" },
    { write: (line: string) => void logs.push(line) },
  );
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    ...(options.appAuth ? {} : { githubToken: TOKEN }),
    log,
    // A function, so that it runs after Probot's own defaults and wins over them: Probot turns
    // throttling on, whose write queue spaces POST/PATCH requests a second apart.
    Octokit: ProbotOctokit.defaults((instance: Record<string, any>) => ({
      ...instance,
      retry: options.retries ? { enabled: true, retryAfterBaseValue: 1 } : { enabled: false },
      throttle: options.throttle
        ? {
            ...instance.throttle,
            enabled: true,
            fallbackSecondaryRateRetryAfter: 0,
            onRateLimit: () => true,
            onSecondaryRateLimit: () => true,
            ...(options.writeWindows ? { writeWindows: options.writeWindows } : {}),
          }
        : options.rateLimits
          ? {
              ...instance.throttle,
              enabled: true,
              retryAfterBaseValue: 1,
              write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
            }
          : { enabled: false },
    })),
  });
  probot.load((app) =>
    registerHandlers(app, {
      appId: APP_ID,
      ...(options.evaluate ? { evaluate: options.evaluate } : {}),
      ...(options.store ? { store: options.store } : {}),
      ...(options.deployments ? { deployments: options.deployments } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    }),
  );
  return { probot, logs };
}

const examples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples",
) as WebhookDefinition[];

type Example = { action?: string; installation?: unknown } & Record<string, unknown>;

/** The first real example of an event (and action), pointed at the fake pull request. */
export function examplePayload(name: string, action: string | undefined, pull: FakePull): any {
  const definition = examples.find((d) => d.name === name);
  const example = (definition?.examples as Example[] | undefined)?.find((e) => e.action === action);
  if (!example) throw new Error(`no example of ${name}.${action ?? ""}`);
  const payload = structuredClone(example) as any;
  payload.installation = {
    id: INSTALLATION,
    node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
  };
  payload.repository.name = pull.name;
  payload.repository.full_name = `${pull.owner}/${pull.name}`;
  // GitHub's id of the repository: the webhook's and GraphQL's `databaseId` are the same number.
  payload.repository.id = repoIdOf(pull);
  payload.repository.owner.login = pull.owner;
  if (payload.pull_request) {
    payload.pull_request.number = pull.number;
    payload.pull_request.state = "open";
    payload.pull_request.head.sha = pull.headSha;
    payload.pull_request.user.login = pull.author;
  }
  return payload;
}

export interface CheckRunCall {
  method: "POST" | "PATCH";
  path: string;
  body: Record<string, any>;
}

/** Nock scopes for one judgement: token, config, GraphQL over the fake, check-run writes. */
export function github(pull: FakePull) {
  const checkRuns: CheckRunCall[] = [];
  const contractErrors: string[] = [];
  let graphqlRequests = 0;
  let nextId = 1000;
  const repo = `/repos/${pull.owner}/${pull.name}`;
  const scope = nock(API);
  // The evidence ledger's queries go to the repository's git objects (empty unless the test
  // gives some), before any interceptor of the pull request's own queries can take them.
  const git = pull.git ?? new FakeGit();
  nock(API)
    .persist()
    .post("/graphql", (body) => isGitQuery(body))
    .reply(200, (_uri, body) => git.answer(body as { query: string }) as Record<string, unknown>);
  const record = (method: "POST" | "PATCH", path: string, body: Record<string, any>) => {
    const operation =
      method === "POST" ? `${repo}/check-runs` : `${repo}/check-runs/{check_run_id}`;
    contractErrors.push(
      ...restBodyErrors(method, operation.replace(repo, "/repos/{owner}/{repo}"), body),
    );
    checkRuns.push({ method, path, body });
  };
  /** GitHub now shows the run the app wrote: the next judgement's query finds it. */
  const show = (id: number, body: Record<string, any>) => {
    const run = {
      name: "gatehouse",
      status: body.status === "completed" ? ("COMPLETED" as const) : ("IN_PROGRESS" as const),
      conclusion: body.conclusion ? String(body.conclusion).toUpperCase() : null,
      databaseId: id,
      externalId: body.external_id ?? null,
      annotations: body.output?.annotations?.length ?? 0,
      app: APP_ID,
    };
    const old = pull.checks.find((c) => c.databaseId === id);
    if (old) Object.assign(old, run, { annotations: (old.annotations ?? 0) + run.annotations });
    else pull.checks.push(run);
  };
  // What each commit added, as REST gives it (GraphQL has no diffs): asked for the history of
  // pull requests of more than one commit, answered from the fake's commits.
  const pulls = [pull];
  let commitRequests = 0;
  const commitFiles = (sha: string, parent?: string) => {
    commitRequests += 1;
    const commit = pulls.flatMap((p) => p.commits).find((c) => c.sha === sha);
    if (!commit) return undefined;
    const files = parent === undefined ? commit.files : commit.parentFiles?.[parent];
    return { sha, files: files ?? [] };
  };
  scope
    .get(new RegExp(`^${repo}/commits/[0-9a-f]{40}(\\?.*)?$`))
    .optionally()
    .times(1000)
    .reply((path) => {
      const answer = commitFiles(path.split("?")[0]?.split("/").pop() ?? "");
      return answer ? [200, answer] : [404, { message: "Not Found" }];
    });
  scope
    .get(new RegExp(`^${repo}/compare/[0-9a-f]{40}\\.\\.\\.[0-9a-f]{40}(\\?.*)?$`))
    .optionally()
    .times(1000)
    .reply((path) => {
      const [parent, sha] = (path.split("?")[0]?.split("/").pop() ?? "").split("...");
      const answer = commitFiles(sha ?? "", parent);
      return answer ? [200, answer] : [404, { message: "Not Found" }];
    });
  return {
    scope,
    checkRuns,
    contractErrors,
    get graphqlRequests() {
      return graphqlRequests;
    },
    /** REST requests for what a commit added (its files and patches). */
    get commitRequests() {
      return commitRequests;
    },
    /** Other pull requests whose commits this fake answers for too (a merge group's). */
    alsoCommitsOf(...others: FakePull[]) {
      pulls.push(...others.filter((p) => !pulls.includes(p)));
      return this;
    },
    token(times = 1) {
      scope
        .post(`/app/installations/${INSTALLATION}/access_tokens`)
        .times(times)
        .reply(201, { token: TOKEN, expires_at: "2099-01-01T00:00:00Z", permissions: {} });
      return this;
    },
    /** `.github/gatehouse.yml` at the base commit, where the App reads its settings. */
    config(text: string) {
      pull.baseFiles.set(".github/gatehouse.yml", text);
      return this;
    },
    /** `memo` answers a repeated query from memory, so a benchmark measures the app, not the fake. */
    graphql(times: number, memo = false) {
      const answers = new Map<string, ReturnType<typeof answerGraphQL>>();
      scope
        .post("/graphql")
        .times(times)
        .reply(200, (_uri, body) => {
          graphqlRequests += 1;
          const request = body as { query: string; variables?: Record<string, unknown> };
          if (!memo) return answerGraphQL(pull, request);
          const key = JSON.stringify(request);
          const answer = answers.get(key) ?? answerGraphQL(pull, request);
          answers.set(key, answer);
          return answer;
        });
      return this;
    },
    /**
     * Check-run writes, up to `judgements` creations and as many updates; none is required, since
     * a judgement writes at most once and nothing when the run already shows its verdict.
     */
    checks(judgements = 1) {
      scope
        .post(`${repo}/check-runs`)
        .times(judgements)
        .optionally()
        .reply(201, (path, body) => {
          record("POST", path, body as Record<string, any>);
          const id = nextId++;
          show(id, body as Record<string, any>);
          return { id };
        });
      scope
        .patch(new RegExp(`^${repo}/check-runs/\\d+$`))
        .times(judgements)
        .optionally()
        .reply(200, (path, body) => {
          record("PATCH", path, body as Record<string, any>);
          const id = Number(path.split("/").pop());
          show(id, body as Record<string, any>);
          return { id };
        });
      return this;
    },
    /** The last check-run write: what GitHub now shows. */
    last(): CheckRunCall {
      const call = checkRuns.at(-1);
      if (!call) throw new Error("the app wrote no check run");
      return call;
    },
  };
}

let delivery = 0;
export async function receive(app: TestApp, name: string, payload: unknown): Promise<void> {
  delivery += 1;
  await app.probot.receive({ id: `delivery-${delivery}`, name, payload } as never);
}
