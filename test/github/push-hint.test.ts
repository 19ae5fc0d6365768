/**
 * Issue 15, a first judgement in at most two requests: what a push of the head touched guides
 * the first query of a pull request never judged before (src/github/push-hint.ts), and fifty
 * first judgements of a repository nobody judged yet read its policy once
 * (src/github/cold-load.ts). A push is a guess: whatever it names, the judgement reads what the
 * pull request changes, on the head GitHub names.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { oneColdLoad } from "../../src/github/cold-load.js";
import { loadSnapshot } from "../../src/github/load-snapshot.js";
import { policyTeams } from "../../src/github/policy-teams.js";
import { MAX_PUSHED_PATHS, readPush, rememberPush } from "../../src/github/push-hint.js";
import { snapshotCache, type SnapshotCache } from "../../src/github/snapshot-cache.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import type { FakePull } from "./helpers/fake-github.js";
import { recordingClient } from "./helpers/recording-client.js";
import { FakeGit } from "./helpers/fake-git.js";
import {
  CHANGE_PATH,
  changeRequest,
  pushCommit,
  requestChangePull,
} from "./helpers/pull-fixture.js";

const repo = { owner: "acme", repo: "payments" };

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const client = recordingClient;

async function load(pull: FakePull, cache: SnapshotCache | undefined, head?: string) {
  const github = client(pull);
  const loaded = await loadSnapshot(
    github,
    { ...repo, number: pull.number },
    { policies: "policies", teamsOf: policyTeams, cache, head },
  );
  return { ...loaded, queries: github.queries };
}

/** A pull request of its own (number, head) into the same main. */
async function another(number: number): Promise<FakePull> {
  const pull = await requestChangePull();
  pull.number = number;
  await pushCommit(pull, `Pull request ${number}`);
  return pull;
}

/** A repository whose policy an earlier judgement (of #42) left in the cache. */
async function warmCache(): Promise<SnapshotCache> {
  const cache = snapshotCache(null);
  await load(await requestChangePull(), cache);
  return cache;
}

/** The texts a snapshot holds for the changed paths, at the base and the head. */
const texts = (loaded: Awaited<ReturnType<typeof load>>) =>
  loaded.snapshot.changed.map((f) => [
    f.path,
    loaded.snapshot.base.files.get(f.path),
    loaded.snapshot.head.files.get(f.path),
  ]);

const ADDED = "changes/CHG-2026-0043.yaml";

describe("a first judgement of a head whose push was seen", () => {
  it("reads a changed record in one query, as a judgement without the push reads it", async () => {
    const cache = await warmCache();
    const pull = await another(43);
    await rememberPush(cache, repo, pull.headSha, [{ modified: [CHANGE_PATH] }]);

    const guided = await load(pull, cache, pull.headSha);
    const plain = await load(pull, undefined);

    expect(guided.requests).toBe(1);
    expect(plain.requests).toBe(2);
    expect(texts(guided)).toEqual(texts(plain));
    expect(guided.ledger?.ids).toEqual(["CHG-2026-0042"]);
  });

  it("lists the head's record folders in that query when the push added a record", async () => {
    const cache = await warmCache();
    const pull = await another(43);
    pull.headFiles.set(ADDED, changeRequest("draft", { id: "CHG-2026-0043" }));
    pull.changed = [{ path: ADDED, changeType: "ADDED" }];
    await rememberPush(cache, repo, pull.headSha, [{ added: [ADDED] }]);

    const guided = await load(pull, cache, pull.headSha);
    const plain = await load(pull, undefined);

    expect(guided.requests).toBe(1);
    expect(guided.queries[0]).toContain("...RecordTree");
    expect(guided.snapshot.recordPaths).toEqual(plain.snapshot.recordPaths);
    expect(guided.snapshot.recordPaths).toContain(ADDED);
    expect(texts(guided)).toEqual(texts(plain));
  });

  it("is a guess: a push naming other files costs a query, and their texts are not judged", async () => {
    const cache = await warmCache();
    const pull = await another(43);
    pull.headFiles.set("README.md", "not changed by this pull request\n");
    await rememberPush(cache, repo, pull.headSha, [{ modified: ["README.md"] }]);

    const guided = await load(pull, cache, pull.headSha);
    const plain = await load(pull, undefined);

    expect(guided.requests).toBe(2);
    expect(guided.snapshot.head.files.has("README.md")).toBe(false);
    expect(texts(guided)).toEqual(texts(plain));
  });

  it("reads the texts of the head GitHub now names, not of the head the push named", async () => {
    const cache = await warmCache();
    const pull = await another(43);
    const pushed = pull.headSha;
    await rememberPush(cache, repo, pushed, [{ modified: [CHANGE_PATH] }]);
    // The author pushes again before the judgement runs; the event still names the first push.
    await pushCommit(pull, "Approve the architecture");
    pull.headFiles.set(CHANGE_PATH, changeRequest("approved", { id: "CHG-2026-0042" }));

    const guided = await load(pull, cache, pushed);

    expect(guided.snapshot.head.sha).toBe(pull.headSha);
    expect(guided.snapshot.head.files.get(CHANGE_PATH)).toContain("state: approved");
  });

  it("ignores a push entry it cannot read, and a push too large to guess from", async () => {
    const cache = await warmCache();
    const pull = await another(43);
    await cache.set(`push:acme/payments@${pull.headSha}`, '{"head": "changes/"}', "hint");
    expect(await readPush(cache, repo, pull.headSha)).toBeNull();
    expect((await load(pull, cache, pull.headSha)).requests).toBe(2);

    const many = Array.from({ length: MAX_PUSHED_PATHS + 1 }, (_, i) => `docs/${i}.md`);
    await rememberPush(cache, repo, "a".repeat(40), [{ added: many }]);
    expect(await readPush(cache, repo, "a".repeat(40))).toBeNull();
  });
});

describe("first judgements of a repository nobody judged yet", () => {
  const readsPolicyTexts = (query: string) =>
    /policies: file\(path: \$policies\) \{ oid type object/.test(query);

  it("read its policy once between them, then one query each", async () => {
    const cache = snapshotCache(null);
    const pulls = await Promise.all([42, 43, 44, 45, 46].map(another));
    for (const pull of pulls) {
      await rememberPush(cache, repo, pull.headSha, [{ modified: [CHANGE_PATH] }]);
    }

    const loads = await Promise.all(
      pulls.map((pull) => oneColdLoad(cache, repo, () => load(pull, cache, pull.headSha))),
    );

    const queries = loads.flatMap((l) => l.queries);
    expect(queries.filter(readsPolicyTexts)).toHaveLength(1);
    // The cold one reads the teams its policy names in a second query; the others ask by name.
    expect(loads.map((l) => l.requests).sort()).toEqual([1, 1, 1, 1, 2]);
    const teams = loads.map((l) => l.snapshot.teams);
    expect(Object.keys(teams[0] ?? {})).toContain("acme/qa");
    for (const team of teams) expect(team).toEqual(teams[0]);
  });

  it("each read for themselves when the cold load fails", async () => {
    const cache = snapshotCache(null);
    const pulls = await Promise.all([42, 43, 44].map(another));
    const failing = oneColdLoad(cache, repo, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error("GitHub did not answer");
    });

    const others = await Promise.all(
      pulls.map((pull) => oneColdLoad(cache, repo, () => load(pull, cache))),
    );

    await expect(failing).rejects.toThrow("GitHub did not answer");
    expect(others.map((l) => l.snapshot.number)).toEqual([42, 43, 44]);
    expect(others.flatMap((l) => l.queries).filter(readsPolicyTexts).length).toBeGreaterThan(0);
  });
});

describe("the App", () => {
  it("remembers a push, so the next judgement of that head reads a new record in one query", async () => {
    const pull = await requestChangePull();
    pull.git = new FakeGit();
    const app = createApp();
    const first = github(pull).graphql(2).checks();
    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(first.scope.pendingMocks()).toEqual([]);
    nock.cleanAll();
    // The author adds a record and pushes: GitHub sends the push, then "synchronize".
    await pushCommit(pull, "Add CHG-2026-0043");
    pull.headFiles.set(ADDED, changeRequest("draft", { id: "CHG-2026-0043" }));
    pull.changed.push({ path: ADDED, changeType: "ADDED" });
    const push = examplePayload("push", undefined, pull);
    Object.assign(push, {
      ref: "refs/heads/raise-limit",
      deleted: false,
      after: pull.headSha,
      commits: [{ id: pull.headSha, added: [ADDED], modified: [], removed: [] }],
    });
    const second = github(pull).graphql(1).checks();
    const ledgerQueries = vi.spyOn(pull.git, "answer");

    await receive(app, "push", push);
    await receive(app, "pull_request", examplePayload("pull_request", "synchronize", pull));

    expect(second.scope.pendingMocks()).toEqual([]);
    expect(second.graphqlRequests).toBe(1);
    expect(ledgerQueries).not.toHaveBeenCalled(); // the evidence came with that query
    expect(second.last().body.output.summary).toContain("CHG-2026-0043");
  });
});
