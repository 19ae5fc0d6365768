/**
 * Issue 15's bounds as docs/github-app.md states them ("Reliability", "Rate limits", "Cost per
 * judgement"): each number the docs give is the number the code uses, and the bounds that no
 * other test drove through the App are driven here — the "Judging" notice after ten seconds,
 * the deadline that ends a judgement's retried reads, reads that do not wait behind writes, and
 * at most ten queries at once. Orders and counts are asserted, never durations.
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { evaluate as coreEvaluate } from "../../src/core/evaluate/evaluate.js";
import {
  JUDGEMENT_DEADLINE_MS,
  RATE_LIMIT_BUDGET,
  READ_LIMITS,
  REQUEST_RETRIES,
  REQUEST_TIMEOUT_MS,
  judgingClient,
} from "../../src/github/github-client.js";
import { JUDGING_NOTICE_MS, type Evaluate } from "../../src/github/judge-pull-request.js";
import { MAX_PUSHED_PATHS } from "../../src/github/push-hint.js";
import { GIVE_UP_MS, RETRY_FIRST_MS, RETRY_MAX_MS } from "../../src/github/recheck-timer.js";
import { CACHE_LIMITS } from "../../src/github/snapshot-cache.js";
import { WRITE_GAP_MS, WRITE_HOLD_LIMIT_MS } from "../../src/github/write-gate.js";
import { API, createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";
import { checkRuns, created, until, write } from "./helpers/timed-writes.js";

const unmatched = noNetwork();

const docs = readFileSync(new URL("../../docs/github-app.md", import.meta.url), "utf8").replace(
  /\s+/g,
  " ",
);

const WORDS: Record<string, number> = {
  a: 1,
  hour: 1,
  one: 1,
  twice: 2,
  two: 2,
  three: 3,
  ten: 10,
};
const number = (text: string) => WORDS[text] ?? Number(text.replace(/,/g, ""));

/** The number the docs give in `sentence`, a regular expression with one group for it. */
function documented(sentence: RegExp): number {
  const match = sentence.exec(docs);
  if (!match?.[1]) throw new Error(`docs/github-app.md no longer says ${String(sentence)}`);
  return number(match[1]);
}

const minute = 60;
const day = 24 * 3600;

describe("the numbers docs/github-app.md gives are the App's", () => {
  it.each([
    [
      "one attempt of a request is abandoned after 15 seconds",
      /Every attempt of a request is abandoned after (\d+) seconds/,
      REQUEST_TIMEOUT_MS / 1000,
    ],
    [
      "a failed request is retried twice",
      /a failed request \(5xx, network\) is retried (twice)/,
      REQUEST_RETRIES,
    ],
    [
      "the reads of a judgement end within a minute",
      /The reads of one judgement end within (a) minute \(its deadline\)/,
      JUDGEMENT_DEADLINE_MS / 1000 / minute,
    ],
    [
      "Judging is shown after 10 seconds",
      /A judgement still reading after (\d+) seconds shows \*Judging\*/,
      JUDGING_NOTICE_MS / 1000,
    ],
    [
      "the check's table gives the same 10 seconds",
      /only when a judgement takes longer than (\d+) seconds/,
      JUDGING_NOTICE_MS / 1000,
    ],
    [
      "a rate-limited request is retried at most three times",
      /retries one request at most (\w+) times/,
      RATE_LIMIT_BUDGET.retries,
    ],
    [
      "a judgement waits at most 40 seconds for rate limits",
      /waits at most (\d+) seconds in all for one pull request/,
      RATE_LIMIT_BUDGET.maxWaitSeconds,
    ],
    [
      "at most 1,800 queries a minute",
      /at most 10 at once per installation and at most ([\d,]+) a minute/,
      READ_LIMITS.perMinute,
    ],
    [
      "a write waits one second after the previous one",
      /waits until (one) second after the previous write of the same installation/,
      WRITE_GAP_MS / 1000,
    ],
    [
      "a write holds the turn two minutes at most",
      /A write holds the turn for (two) minutes at most/,
      WRITE_HOLD_LIMIT_MS / 1000 / minute,
    ],
    [
      "the memory cache holds 32 MB at most",
      /in the App's memory \((\d+) MB at most/,
      CACHE_LIMITS.memoryBytes / 1024 / 1024,
    ],
    [
      "Redis keeps the policy a day",
      /when `REDIS_URL` is set, in Redis for (a) day/,
      CACHE_LIMITS.contentTtlSeconds / day,
    ],
    [
      "Redis keeps a hint three days",
      /a hint \((\w+) days in Redis\)/,
      CACHE_LIMITS.hintTtlSeconds / day,
    ],
    [
      "a push of more than 100 paths is not guessed from",
      /a push of more than (\d+) paths/,
      MAX_PUSHED_PATHS,
    ],
    [
      "a check GitHub would not take is judged again after 5 minutes",
      /or else after (\d+) minutes, then 10, 20, 40, and then every hour/,
      RETRY_FIRST_MS / 1000 / minute,
    ],
    [
      "and every hour at most",
      /then 10, 20, 40, and then every (hour)/,
      RETRY_MAX_MS / 1000 / 3600,
    ],
    [
      "and no more a day after the first failure",
      /or (a) day has passed since the first failure in a row/,
      GIVE_UP_MS / 1000 / day,
    ],
  ])("%s", (_name, sentence, actual) => {
    expect(actual).toBe(documented(sentence));
  });
});

describe("a judgement that takes long", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows Judging on the head after ten seconds, not before, then its verdict in one more write", async () => {
    // A fake clock that also follows real time, so that nock and Probot go on as usual; the
    // test moves it on half a second at a time while the judgement is held in evaluation.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    const pull = await requestChangePull();
    let reached!: () => void;
    const evaluating = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const evaluate: Evaluate = async (snapshot) => {
      reached();
      await held;
      return coreEvaluate(snapshot);
    };
    const gh = github(pull).graphql(4).checks(2);
    const app = createApp({ evaluate });

    const start = Date.now();
    const running = receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    await evaluating;
    for (let step = 0; step < 30 && gh.checkRuns.length === 0; step++) {
      await vi.advanceTimersByTimeAsync(500);
      await until(() => gh.checkRuns.length > 0, 50);
    }
    // A lower bound on the fake clock: a slow machine can only make it later.
    expect(Date.now() - start).toBeGreaterThanOrEqual(JUDGING_NOTICE_MS);
    expect(gh.checkRuns).toHaveLength(1);
    release();
    await running;

    expect(gh.checkRuns.map((c) => [c.method, c.body.status, c.body.output.title])).toEqual([
      ["POST", "in_progress", "Judging"],
      ["PATCH", "in_progress", expect.stringMatching(/^Waiting for/)],
    ]);
    expect(gh.checkRuns[0]?.body.head_sha).toBe(pull.headSha);
    expect(unmatched()).toStrictEqual([]);
  });

  it("ends its retried reads at the deadline and fails the check, saying GitHub did not answer", async () => {
    const pull = await requestChangePull();
    const gh = github(pull);
    let asked = 0;
    gh.scope
      .post("/graphql")
      .times(REQUEST_RETRIES + 1)
      .optionally()
      .delay(60_000)
      .reply(() => {
        asked += 1;
        return [200, {}];
      });
    gh.checks();
    // Retried as in production; each attempt may take 1 s, the reads 1.5 s: the deadline, not
    // the retries, ends the judgement (three attempts would take 3 s).
    const app = createApp({ retries: true, limits: { requestTimeoutMs: 1000, deadlineMs: 1500 } });

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));

    expect(asked).toBeLessThan(REQUEST_RETRIES + 1);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(gh.last().body.output.summary).toContain("api.github.com did not answer in time");
  });
});

describe("reads are not queued behind writes", () => {
  /** GraphQL queries as GitHub receives them, into the same record as the writes. */
  function queries(seen: ReturnType<typeof checkRuns>, hold?: () => Promise<void>) {
    let n = 0;
    nock(API)
      .persist()
      .post("/graphql")
      .reply(async () => {
        n += 1;
        seen.order.push(`Q${n} arrived`);
        if (hold) await hold();
        return [200, { data: { viewer: { login: "gatehouse[bot]" } } }];
      });
  }
  const ask = (octokit: Awaited<ReturnType<typeof judgingClient>>, name: string, order: string[]) =>
    octokit.graphql("query { viewer { login } }").then(() => order.push(`${name} answered`));

  it("a query goes out while a write is in flight and while the next write waits its second", async () => {
    const app = createApp({ throttle: true });
    const octokit = await judgingClient(app.probot, 301);
    // GitHub holds A's answer until the first query has arrived (at most 5 s).
    const seen = checkRuns(async (name) => {
      if (name === "A") await until(() => seen.order.includes("Q1 arrived"), 5000);
      return created;
    });
    queries(seen);

    await Promise.all([
      write(octokit, "A", seen),
      write(octokit, "B", seen),
      until(() => "A" in seen.arrived, 5000).then(() => ask(octokit, "Q1", seen.order)),
      until(() => seen.order.includes("A answered"), 5000).then(() =>
        ask(octokit, "Q2", seen.order),
      ),
    ]);

    const at = (event: string) => seen.order.indexOf(event);
    expect(at("Q1 arrived")).toBeLessThan(at("A answered"));
    // B waits a second after A's answer; Q2, asked at A's answer, does not wait with it.
    expect(at("Q2 arrived")).toBeLessThan(at("B arrived"));
    expect(unmatched()).toStrictEqual([]);
  });

  it("at most ten queries of an installation are in flight at once", async () => {
    const app = createApp({ throttle: true });
    const octokit = await judgingClient(app.probot, 302);
    const seen = checkRuns(async () => created);
    let inFlight = 0;
    let peak = 0;
    // GitHub answers none until ten have arrived (or 3 s have passed).
    queries(seen, async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await until(() => peak >= 10, 3000);
      inFlight -= 1;
    });

    await Promise.all(Array.from({ length: 12 }, (_, i) => ask(octokit, `Q${i + 1}`, seen.order)));

    expect(peak).toBe(10);
    expect(seen.order.filter((e) => e.endsWith("answered"))).toHaveLength(12);
  });
});
