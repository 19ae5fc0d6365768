/**
 * The write gate (src/github/write-gate.ts): a write of an installation starts one second after
 * the previous write of that installation *finished*, and its caller is not held back. The
 * gate's own timing is checked with fake timers; through the App's real clients and nock, the
 * checks are lower bounds and orders that a slow machine cannot break: a gap that the gate
 * guarantees is measured from the moment GitHub (nock) let the previous answer go, which is
 * never later than the moment the App saw it.
 */
import Bottleneck from "bottleneck";
import { afterEach, describe, expect, it, vi } from "vitest";
import { judgingClient } from "../../src/github/github-client.js";
import { isWrite, throughGate, WRITE_GAP_MS } from "../../src/github/write-gate.js";
import { API, createApp, examplePayload, github, receive } from "./helpers/app.js";
import { requestChangePull } from "./helpers/pull-fixture.js";
import { noNetwork } from "./helpers/no-network.js";
import { aThenB, after, checkRuns, created, GAP, until, write } from "./helpers/timed-writes.js";
import { INSIDE, OPS } from "../core/deploy/pack-snapshot.js";
import {
  protectedRepository,
  protectionGitHub,
  protectionPayload,
} from "./helpers/protection-fixture.js";

const unmatched = noNetwork();

describe("throughGate, on fake timers", () => {
  afterEach(() => void vi.useRealTimers());

  it("answers the caller at once and starts the next write a second after the first ended", async () => {
    vi.useFakeTimers();
    const gate = new Bottleneck({ maxConcurrent: 1 });
    const t0 = Date.now();
    const sent: Array<[string, number]> = [];
    const answered: Array<[string, number]> = [];
    const write = (name: string, takesMs: number, fails = false) =>
      throughGate(gate, { gapMs: WRITE_GAP_MS }, async () => {
        sent.push([name, Date.now() - t0]);
        await new Promise((resolve) => setTimeout(resolve, takesMs));
        if (fails) throw new Error(`${name} failed`);
        return name;
      }).then(
        () => void answered.push([name, Date.now() - t0]),
        () => void answered.push([`${name} (failed)`, Date.now() - t0]),
      );

    const all = Promise.all([write("A", 1500), write("B", 200, true), write("C", 0)]);
    await vi.advanceTimersByTimeAsync(10_000);
    await all;

    // Bottleneck's own steps take a fake millisecond or two.
    const about = (ms: number) => expect.closeTo(ms, -1.5); // within 16 ms
    const at = (list: Array<[string, number]>) => Object.fromEntries(list);
    const [s, a] = [at(sent), at(answered)];
    expect(Object.keys(s)).toEqual(["A", "B", "C"]);
    // Each caller has its answer when it comes (A after its 1.5 s), not a second later.
    expect(a.A! - s.A!).toEqual(about(1500));
    expect(a["B (failed)"]! - s.B!).toEqual(about(200));
    expect(a.C! - s.C!).toEqual(about(0));
    // The next write starts a second after the previous one ended, not after it started; a
    // failed write holds the gate as long as one that succeeded.
    expect(s.B! - a.A!).toEqual(about(WRITE_GAP_MS));
    expect(s.C! - a["B (failed)"]!).toEqual(about(WRITE_GAP_MS));
  });

  it("fails the write, unsent, when the gate itself fails (Redis out of reach)", async () => {
    const send = vi.fn(async () => "sent");
    const broken = { schedule: () => Promise.reject(new Error("Redis connection lost")) };

    await expect(throughGate(broken as never, { gapMs: WRITE_GAP_MS }, send)).rejects.toThrow(
      "Redis connection lost",
    );
    expect(send).not.toHaveBeenCalled();
  });
});

describe("isWrite", () => {
  it.each([
    { method: "POST", url: "/repos/{owner}/{repo}/check-runs", write: true },
    { method: "PATCH", url: "/repos/{owner}/{repo}/check-runs/{check_run_id}", write: true },
    { method: "PUT", url: "/repos/{owner}/{repo}/git/refs/{ref}", write: true },
    { method: "delete", url: "/repos/{owner}/{repo}/git/refs/{ref}", write: true },
    {
      method: "POST",
      url: `${API}/repos/acme/payments/actions/runs/1/deployment_protection_rule`,
      write: true,
    },
    { method: "GET", url: "/repos/{owner}/{repo}/pulls", write: false },
    { method: "HEAD", url: "/repos/{owner}/{repo}", write: false },
    { method: "POST", url: "/graphql", query: "query { viewer { login } }", write: false },
    { method: "POST", url: "/graphql", query: "mutation { addComment }", write: true },
    { method: "POST", url: "/graphql", write: true },
    { method: "POST", url: "/repos/acme/graphql/issues", write: true },
    { method: "POST", url: "/repos/acme/graphql", query: "query { x }", write: true },
    { method: "POST", url: "/app/installations/{installation_id}/access_tokens", write: false },
  ])("$method $url $query: $write", ({ write, ...options }) => {
    expect(isWrite(options)).toBe(write);
  });
});

/** A's two attempts, then B: nothing came between them. */
const RETRIED_IN_TURN = ["A arrived", "A#2 arrived", "A answered", "B arrived", "B answered"];

// Each test has installations of its own: the gate outlives a test by a second.
describe("the gate on the App's clients (judgingClient), in real time", () => {
  it("starts a write a second after the previous one finished, however long that one took", async () => {
    const app = createApp({ throttle: true });
    const octokit = await judgingClient(app.probot, 101);
    // A is slow in transit: launched a second apart, B would reach GitHub while A is in flight.
    const seen = checkRuns(async (name) => {
      if (name === "A") await after(1500);
      return created;
    });

    await Promise.all([write(octokit, "A", seen), write(octokit, "B", seen)]);

    expect(seen.order).toEqual(["A arrived", "A answered", "B arrived", "B answered"]);
    expect(seen.arrived.B! - seen.answeredBy.A!).toBeGreaterThanOrEqual(GAP);
    expect(unmatched()).toEqual([]);
  });

  it("keeps the gate per installation: two clients of one installation share it, another installation's writes do not wait", async () => {
    const app = createApp({ throttle: true });
    const [first, second, other] = await Promise.all([
      judgingClient(app.probot, 102),
      judgingClient(app.probot, 102),
      judgingClient(app.probot, 103),
    ]);
    // GitHub holds A's answer until the other installation's write arrives (at most 5 s).
    const seen = checkRuns(async (name) => {
      if (name === "A") await until(() => "other" in seen.arrived, 5000);
      return created;
    });

    await Promise.all([
      write(first, "A", seen),
      until(() => "A" in seen.arrived, 5000).then(() =>
        Promise.all([write(second, "B", seen), write(other, "other", seen)]),
      ),
    ]);

    expect(seen.order.slice(0, 2)).toEqual(["A arrived", "other arrived"]);
    expect(seen.order.indexOf("B arrived")).toBeGreaterThan(seen.order.indexOf("A answered"));
    expect(seen.arrived.B! - seen.answeredBy.A!).toBeGreaterThanOrEqual(GAP);
  });

  it("holds the gate through a retried write: nothing comes between its attempts, each a second after the last", async () => {
    // Octokit's retry plugin would try again after a millisecond here.
    const app = createApp({ throttle: true, retries: true });
    const octokit = await judgingClient(app.probot, 104);
    // A's first attempt fails slowly: launched a second after it, the retry would follow at once.
    const seen = checkRuns(async (name, attempt) => {
      if (name !== "A" || attempt > 1) return created;
      await after(1500);
      return [502, { message: "Bad gateway" }];
    });

    await aThenB(octokit, octokit, seen);

    expect(seen.order).toEqual(RETRIED_IN_TURN);
    expect(seen.arrived["A#2"]! - seen.answeredBy.A!).toBeGreaterThanOrEqual(GAP);
    expect(seen.arrived.B! - seen.answeredBy["A#2"]!).toBeGreaterThanOrEqual(GAP);
  });

  it("holds the gate while a write waits out a secondary rate limit", async () => {
    const app = createApp({ throttle: true });
    const octokit = await judgingClient(app.probot, 105);
    const seen = checkRuns(async (name, attempt) =>
      name === "A" && attempt === 1
        ? [403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" }]
        : created,
    );

    await aThenB(octokit, octokit, seen);

    expect(seen.order).toEqual(RETRIED_IN_TURN);
    expect(seen.arrived.B! - seen.answeredBy["A#2"]!).toBeGreaterThanOrEqual(GAP);
  });

  it("leaves writes ungated where throttling is off", async () => {
    const octokit = await judgingClient(createApp().probot, 106);
    // A is answered only once B has arrived (or after 5 s, when a gate kept B back).
    const seen = checkRuns(async (name) => {
      if (name === "A") await until(() => "B" in seen.arrived, 5000);
      return created;
    });

    await Promise.all([write(octokit, "A", seen), write(octokit, "B", seen)]);

    expect(seen.order.slice(0, 2)).toEqual(["A arrived", "B arrived"]);
  });
});

describe("the gate on every handler's writes", () => {
  it("the deployment protection rule's answer waits for the installation's last write", async () => {
    const pull = protectedRepository();
    const app = createApp({ throttle: true, deployments: { now: () => INSIDE } });
    const { answeredAt } = protectionGitHub(pull, ["deploy/production/payments/app.yaml"]);
    const payload = protectionPayload(pull, OPS);
    const octokit = await judgingClient(app.probot, (payload.installation as { id: number }).id);
    // A write of the same installation is under way when the rule is asked; GitHub answers it
    // when the rule's answer arrives (or after 4 s, when the gate kept that answer back).
    const seen = checkRuns(async () => {
      await until(() => answeredAt.length > 0, 4000);
      return created;
    });

    await Promise.all([
      write(octokit, "A", seen),
      until(() => "A" in seen.arrived, 5000).then(() =>
        receive(app, "deployment_protection_rule", payload),
      ),
    ]);

    expect(answeredAt).toHaveLength(1);
    expect(answeredAt[0]! - seen.answeredBy.A!).toBeGreaterThanOrEqual(GAP);
  });

  it("the answer to /gatehouse explain waits a second after the check run it follows", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(2).checks();
    let checkAnswered = Number.NaN;
    gh.scope.on("replied", (request: { path: string }) => {
      if (request.path.endsWith("/check-runs")) checkAnswered = performance.now();
    });
    let commentArrived = Number.NaN;
    gh.scope.post(`/repos/acme/payments/issues/${pull.number}/comments`).reply(201, () => {
      commentArrived = performance.now();
      return { id: 1 };
    });
    const payload = examplePayload("issue_comment", "created", pull);
    payload.issue = { ...payload.issue, number: pull.number, state: "open", pull_request: {} };
    payload.comment = { ...payload.comment, body: "/gatehouse explain" };
    payload.comment.user.type = "User";

    await receive(createApp({ throttle: true }), "issue_comment", payload);

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(commentArrived - checkAnswered).toBeGreaterThanOrEqual(GAP);
  });
});
