import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAdditions, type RestClient } from "../../src/github/commit-additions.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { pushCommit, requestChangePull } from "./helpers/pull-fixture.js";

const LOG = "incidents/INC-2026-0107/app.log";

let unmatched: () => string[];
beforeEach(() => {
  unmatched = noNetwork();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

type CommitFile = { filename: string; status: string; changes: number; patch?: string };

/** The first commit adds a log with a phone number (and `more`); the second commit's files. */
async function twoCommits(head: string, second: CommitFile[], more: CommitFile[] = []) {
  const pull = await requestChangePull({ headFiles: new Map([[LOG, head]]) });
  await pushCommit(pull, "second");
  const [one, two] = pull.commits;
  one!.files = [
    {
      filename: LOG,
      status: "added",
      changes: 2,
      patch: "@@ -0,0 +1,2 @@\n+call from 13800138000\n+ok",
    },
    ...more,
  ];
  two!.files = second;
  return pull;
}

/** A pull request whose first commit adds a log with a phone number that the second masks. */
function maskedLater() {
  return twoCommits("call from 138****8000\nok\n", [
    {
      filename: LOG,
      status: "modified",
      changes: 2,
      patch: "@@ -1 +1 @@\n-call from 13800138000\n+call from 138****8000",
    },
  ]);
}

describe("the App reads every commit of a pull request", () => {
  it("fails on a value the first commit added and the second masked, naming the commit", async () => {
    const pull = await maskedLater();
    const gh = github(pull).graphql(2).checks();
    const app = createApp();

    await receive(app, "pull_request", examplePayload("pull_request", "synchronize", pull));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.commitRequests).toBe(2);
    const run = gh.last().body;
    expect(run.conclusion).toBe("failure");
    const history = (run.output.annotations as Array<Record<string, unknown>>).find(
      (a) => a.title === "privacy/history/cn-mobile",
    );
    expect(history).toMatchObject({ path: LOG, start_line: 1 });
    expect(history?.message).toContain(`commit ${pull.commits[0]!.sha.slice(0, 7)} added`);
    expect(run.output.summary).toContain("Rewrite the branch");
    const written = JSON.stringify(gh.checkRuns) + app.logs.join("");
    expect(written).not.toContain("13800138000");
  });

  it("fails on a value the first commit added and the second removed, line and file alike", async () => {
    const caller = "incidents/INC-2026-0107/caller.txt";
    const pull = await twoCommits(
      "ok\n",
      [
        {
          filename: LOG,
          status: "modified",
          changes: 1,
          patch: "@@ -1 +0,0 @@\n-call from 13800138000",
        },
        { filename: caller, status: "removed", changes: 1 },
      ],
      [
        {
          filename: caller,
          status: "added",
          changes: 1,
          patch: "@@ -0,0 +1 @@\n+110101199003074573",
        },
      ],
    );
    pull.name = "removed"; // commits are remembered per repository: none of this one yet
    const first = pull.commits[0];
    const gh = github(pull).graphql(2).checks();
    const app = createApp();

    await receive(app, "pull_request", examplePayload("pull_request", "synchronize", pull));

    expect(unmatched()).toStrictEqual([]);
    const run = gh.last().body;
    expect(run.conclusion).toBe("failure");
    const history = (run.output.annotations as Array<Record<string, unknown>>).filter((a) =>
      String(a.title).startsWith("privacy/history/"),
    );
    expect(history.map((a) => [a.title, a.path])).toEqual(
      expect.arrayContaining([
        ["privacy/history/cn-mobile", LOG],
        ["privacy/history/cn-id", caller],
      ]),
    );
    for (const a of history) expect(a.message).toContain(`commit ${first!.sha.slice(0, 7)} added`);
    const written = JSON.stringify(gh.checkRuns) + app.logs.join("");
    expect(written).not.toContain("13800138000");
    expect(written).not.toContain("110101199003074573");
  });

  it("asks GitHub for a commit's additions once, however often the pull request is judged", async () => {
    const pull = await maskedLater();
    pull.name = "remembered"; // commits are remembered per repository: none of this one yet
    const gh = github(pull).graphql(4).checks(2);
    const app = createApp();
    await receive(app, "pull_request", examplePayload("pull_request", "synchronize", pull));
    expect(gh.commitRequests).toBe(2);
    const queries = gh.graphqlRequests;
    await receive(app, "pull_request", examplePayload("pull_request", "synchronize", pull));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.graphqlRequests).toBeGreaterThan(queries); // judged again
    expect(gh.commitRequests).toBe(2);
  });
});

describe("commitAdditions", () => {
  /** A GitHub that lists each commit's files from a table, 100 a page, and counts requests. */
  function fakeRest(table: Record<string, Array<Record<string, unknown>>>) {
    const asked: string[] = [];
    const client: RestClient = {
      async request(route, parameters) {
        const key = String(parameters.ref ?? parameters.basehead);
        asked.push(`${route} ${key} ${String(parameters.page)}`);
        const files = table[key] ?? [];
        const page = Number(parameters.page);
        return { data: { files: files.slice((page - 1) * 100, page * 100) } };
      },
    };
    return { client, asked };
  }
  const commit = (sha: string, parents: string[]) => ({
    sha,
    parents,
    author: { name: "a", email: "a@b.c", date: new Date(0) },
    committer: { name: "a", email: "a@b.c", date: new Date(0) },
    message: "m",
  });
  const repo = (name: string) => ({ owner: "acme", repo: name });

  it("reads every page of a commit's files", async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({
      filename: `incidents/f${i}.log`,
      status: "added",
      changes: 1,
      patch: `@@ -0,0 +1 @@\n+line ${i}`,
    }));
    const { client, asked } = fakeRest({ ["a".repeat(40)]: files });
    const { additions, requests } = await commitAdditions(client, repo("pages"), [
      commit("a".repeat(40), ["p".repeat(40)]),
    ]);
    expect(additions[0]?.files).toHaveLength(250);
    expect(requests).toBe(3);
    expect(asked).toHaveLength(3);
  });

  it("keeps of a merge only what is new to every parent", async () => {
    const merge = "m".repeat(40);
    const [ours, theirs] = ["1".repeat(40), "2".repeat(40)];
    const { client } = fakeRest({
      [`${ours}...${merge}`]: [
        {
          filename: "incidents/a.log",
          status: "modified",
          changes: 2,
          patch: "@@ -1,0 +2,2 @@\n+from main 13900139000\n+evil 110101199003074573",
        },
      ],
      [`${theirs}...${merge}`]: [
        {
          filename: "incidents/a.log",
          status: "modified",
          changes: 1,
          patch: "@@ -2,0 +3 @@\n+evil 110101199003074573",
        },
      ],
    });
    const { additions } = await commitAdditions(client, repo("merge"), [
      commit(merge, [ours, theirs]),
    ]);
    expect(additions[0]?.files).toStrictEqual([
      { path: "incidents/a.log", text: "evil 110101199003074573", lines: [3] },
    ]);
  });

  it("marks a file GitHub shows without a patch as unreadable, and a plain rename as a name", async () => {
    const sha = "c".repeat(40);
    const { client } = fakeRest({
      [sha]: [
        { filename: "incidents/dump.bin", status: "added", changes: 12 },
        { filename: "incidents/moved.log", status: "renamed", changes: 0 },
        { filename: "incidents/gone.log", status: "removed", changes: 3 },
      ],
    });
    const { additions } = await commitAdditions(client, repo("odd"), [
      commit(sha, ["p".repeat(40)]),
    ]);
    expect(additions[0]?.files).toStrictEqual([
      {
        path: "incidents/dump.bin",
        text: "",
        lines: [],
        unreadable: "GitHub shows no patch: binary or too large",
      },
      { path: "incidents/moved.log", text: "", lines: [] },
    ]);
  });
});
