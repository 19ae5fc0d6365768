/**
 * `npm run bench -- github`: GitHub requests per evaluation for pull requests of 10 to 3,000
 * files (counted at the nock layer), and webhook-to-check-run time at 50 concurrent
 * deliveries. GitHub is the schema-executing fake of the app tests; in the concurrency run it
 * answers repeated queries from memory, so the times measure gatehouse and Probot, not the
 * fake or the network.
 */
import nock from "nock";
import { createApp, examplePayload, github, type TestApp } from "../test/github/helpers/app.js";
import type { FakePull } from "../test/github/helpers/fake-github.js";
import {
  authorSigner,
  requestChangePull,
  signedCommit,
} from "../test/github/helpers/pull-fixture.js";
import type { WriteWindow } from "../src/github/write-window.js";
import {
  countFromNow,
  limitedGitHub,
  type HourOfWrites,
  type LimitCounts,
} from "./secondary-limits.js";

function withFiles(pull: FakePull, count: number): void {
  // The fixture already changes one record; the rest are plain files.
  for (let i = 1; i < count; i++) {
    const path = `docs/page-${String(i).padStart(4, "0")}.md`;
    pull.headFiles.set(path, `page ${i}\n`);
    pull.changed.push({ path, changeType: "ADDED" });
  }
}

async function requestsFor(files: number) {
  const pull = await requestChangePull();
  withFiles(pull, files);
  const gh = github(pull).graphql(1000).checks(1);
  const counts = { config: 0, graphql: 0, writes: 0 };
  gh.scope.on("request", (req: { method: string; path: string }) => {
    if (req.path === "/graphql") counts.graphql += 1;
    else if (req.method === "GET") counts.config += 1;
    else counts.writes += 1;
  });
  const app = createApp();
  const started = performance.now();
  await app.probot.receive({
    id: `bench-${files}`,
    name: "pull_request",
    payload: examplePayload("pull_request", "opened", pull),
  } as never);
  const ms = performance.now() - started;
  nock.cleanAll();
  return { files, ...counts, total: counts.config + counts.graphql + counts.writes, ms };
}

async function concurrent(deliveries: number, throttled: boolean) {
  const pull = await requestChangePull();
  const gh = github(pull)
    .graphql(2 * deliveries, true)
    .checks(deliveries);
  const app = createApp(throttled ? { throttle: true } : {});
  const payload = examplePayload("pull_request", "synchronize", pull);
  const started = performance.now();
  const times = await Promise.all(
    Array.from({ length: deliveries }, async (_, i) => {
      await app.probot.receive({ id: `c-${i}`, name: "pull_request", payload } as never);
      return performance.now() - started;
    }),
  );
  const pending = gh.scope.pendingMocks().length;
  nock.cleanAll();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { deliveries, throttled, median: at(0.5), p95: at(0.95), pending };
}

export async function run(): Promise<void> {
  nock.disableNetConnect();
  console.log("GitHub requests per evaluation (config read, GraphQL queries, check-run writes)");
  console.log("files   config  graphql  writes  total   ms");
  for (const files of [10, 100, 1000, 3000]) {
    const r = await requestsFor(files);
    console.log(
      `${String(r.files).padStart(5)}   ${String(r.config).padStart(6)}  ${String(r.graphql).padStart(7)}  ${String(r.writes).padStart(6)}  ${String(r.total).padStart(5)}   ${r.ms.toFixed(0)}`,
    );
  }
  console.log("\nWebhook to final check-run write, concurrent deliveries of one pull request");
  for (const [deliveries, throttled] of [
    [50, false],
    [5, true],
  ] as const) {
    const r = await concurrent(deliveries, throttled);
    console.log(
      `${deliveries} deliveries, Octokit throttling ${throttled ? "on (Probot default)" : "off"}: median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms (coalesced: ${r.pending > 0 ? "fewer judgements than deliveries" : "one judgement each"})`,
    );
  }
  nock.enableNetConnect();
  await runUnderLimits();
}

/**
 * `count` open pull requests into main, each with a head of its own: one signed commit each, as
 * a release bot makes them. (A pull request of several commits also reads each new commit's diff
 * once, for the history scan; the fake answers those reads and the figures count them.)
 */
async function openPulls(count: number): Promise<FakePull[]> {
  const pulls: FakePull[] = [];
  const author = await authorSigner();
  for (let i = 0; i < count; i++) {
    const pull = await requestChangePull();
    pull.number = 100 + i;
    const commit = await signedCommit(author, `Pull request ${pull.number}`, [pull.baseSha]);
    pull.commits = [commit];
    pull.headSha = commit.sha;
    pulls.push(pull);
  }
  for (const pull of pulls) {
    pull.otherOpenPulls = pulls
      .filter((p) => p !== pull)
      .map((p) => ({ number: p.number, headRefOid: p.headSha, baseRefName: "main" }));
  }
  return pulls;
}

interface Scene {
  /** What happens before the measured moment (not counted, no limits): earlier judgements. */
  before?: (app: TestApp, pulls: FakePull[]) => Promise<void>;
  /** What changes on GitHub at the measured moment (a policy pushed). */
  change?: (pulls: FakePull[]) => void;
  /** The events at the measured moment. */
  trigger: (app: TestApp, pulls: FakePull[]) => Promise<void>;
}

/** A scaled-down hour: GitHub's (fake) and the App's write gate keep the same one. */
export interface ScaledHour extends HourOfWrites {
  /** What the scenario adds to its line: the figures of the hour. */
  report: (counts: LimitCounts, app: TestApp) => string;
}

export async function underLimits(what: string, count: number, scene: Scene, hour?: ScaledHour) {
  const pulls = await openPulls(count);
  const counts = limitedGitHub(pulls, hour);
  const windows: WriteWindow[] | undefined = hour && [
    { ms: 60_000, max: 80, name: "a minute" },
    { ms: hour.ms, max: hour.max, name: `${hour.ms / 1000} s (a scaled-down hour)` },
  ];
  const app = createApp({ throttle: true, ...(windows ? { writeWindows: windows } : {}) });
  await app.probot.ready();
  if (scene.before) {
    counts.enforce = false;
    await scene.before(app, pulls);
    countFromNow(counts);
  }
  scene.change?.(pulls);
  const started = performance.now();
  await scene.trigger(app, pulls);
  const judged = performance.now() - started;
  const last = counts.writes > 0 ? (counts.writeTimes.at(-1) as number) - started : judged;
  const posted = pulls.filter((p) => p.checks.some((c) => c.name === "gatehouse")).length;
  // What the checks now show: a failure here is a judgement that could not finish (the fixture's
  // verdicts are pending or success), for example a write GitHub refused.
  const shown: Record<string, number> = {};
  for (const pull of pulls) {
    const run = pull.checks.filter((c) => c.name === "gatehouse").at(-1);
    const state = run ? (run.conclusion ?? "in progress").toLowerCase() : "none";
    shown[state] = (shown[state] ?? 0) + 1;
  }
  const by = Object.entries(counts.breachesBy).map(([rule, n]) => `${rule} ${n}`);
  nock.cleanAll();
  const per = (n: number) => (n / count).toFixed(2);
  console.log(
    `${what}: ${posted}/${count} verdicts on GitHub; last verdict ${counts.writes > 0 ? "posted" : "judged"} after ${(last / 1000).toFixed(1)} s; per judgement ${per(counts.graphql)} queries + ${per(counts.writes)} writes = ${per(counts.graphql + counts.writes)} requests (+ ${counts.restReads} REST list for all, ${per(counts.commitReads)} commit diffs); secondary-limit breaches ${counts.breaches}${by.length > 0 ? ` (${by.join(", ")})` : ""}, most requests at once ${counts.maxConcurrent}; ${counts.writes > 1 ? `closest writes ${counts.closestWrites.toFixed(0)} ms apart (${counts.writesUnderASecond} under 1 s)` : "no two writes"}; checks show ${JSON.stringify(shown)}${hour ? `; ${hour.report(counts, app)}` : ""}`,
  );
}

/** Every pull request opened, one event each, all at once. */
export async function openAll(app: TestApp, pulls: FakePull[]): Promise<void> {
  await Promise.all(
    pulls.map((pull, i) => {
      const payload = examplePayload("pull_request", "opened", pull);
      payload.pull_request.number = pull.number;
      return app.probot.receive({ id: `open-${i}`, name: "pull_request", payload } as never);
    }),
  );
}

/**
 * A release bot at work: it pushes a branch for every pull request (GitHub sends each `push`
 * event before the pull request can exist), then opens them all at once.
 */
async function pushAndOpenAll(app: TestApp, pulls: FakePull[]): Promise<void> {
  for (const [i, pull] of pulls.entries()) {
    const payload = examplePayload("push", undefined, pull);
    payload.ref = `refs/heads/release-${pull.number}`;
    payload.deleted = false;
    payload.after = pull.headSha;
    const of = (type: string) =>
      pull.changed.filter((f) => f.changeType === type).map((f) => f.path);
    payload.commits = [
      { id: pull.headSha, added: of("ADDED"), modified: of("MODIFIED"), removed: of("DELETED") },
    ];
    await app.probot.receive({ id: `push-${i}`, name: "push", payload } as never);
  }
  await openAll(app, pulls);
}

/** A push to main that changes the policy. */
async function policyPush(app: TestApp, pulls: FakePull[]): Promise<void> {
  const payload = examplePayload("push", undefined, pulls[0] as FakePull);
  payload.ref = "refs/heads/main";
  payload.deleted = false;
  payload.commits = [{ id: "c1", added: [], removed: [], modified: ["policies/roles.yml"] }];
  payload.after = (pulls[0] as FakePull).baseSha; // the pull requests' base: main's new tip
  await app.probot.receive({ id: "push-2", name: "push", payload } as never);
}

/** Changes roles.yml at the base of every pull request (they share main). */
const editRoles = (edit: (text: string) => string) => (pulls: FakePull[]) => {
  for (const pull of pulls) {
    pull.baseFiles.set("policies/roles.yml", edit(pull.baseFiles.get("policies/roles.yml") ?? ""));
  }
};

export async function runUnderLimits(): Promise<void> {
  nock.disableNetConnect();
  console.log(
    "\nAgainst a fake GitHub enforcing its secondary limits (1 write/s, 80/min, 500/h, 100 at once, 2,000 points/min), real time",
  );
  await underLimits("policy push re-judging 100 open pull requests, every verdict changes", 100, {
    before: openAll,
    // A second release manager: every waiting pull request now names two people who can approve.
    change: editRoles((text) =>
      text.replace(
        'members: ["@example-zhao-min"]',
        'members: ["@example-zhao-min", "@example-qian-rm"]',
      ),
    ),
    trigger: policyPush,
  });
  await underLimits("policy push re-judging 100 open pull requests, no verdict changes", 100, {
    before: openAll,
    change: editRoles((text) => `${text}# reviewed by the security admins\n`),
    trigger: policyPush,
  });
  await underLimits(
    "50 pull requests opened at once, their branches pushed first (a fresh replica, nothing cached)",
    50,
    { trigger: pushAndOpenAll },
  );
  await underLimits(
    "50 pull requests opened at once, no push seen (a fork, or pushed before the App was installed)",
    50,
    { trigger: openAll },
  );
  nock.enableNetConnect();
}
