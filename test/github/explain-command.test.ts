import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parsePullRequestRef } from "../../src/github/explain-pull-request.js";
import { github } from "./helpers/app.js";
import { QA, RELEASE_MANAGER, financePack, requestChangePull } from "./helpers/pull-fixture.js";

function io(env: Record<string, string> = {}) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      stdin: new PassThrough(),
      cwd: process.cwd(),
      env: { GITHUB_TOKEN: "ghp_cliToken0123456789", NO_COLOR: "1", ...env },
    },
  };
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("gatehouse explain", () => {
  it("prints the verdict of a pull request on GitHub and exits 1 while it waits", async () => {
    const pull = await requestChangePull();
    const gh = github(pull).graphql(2);
    const run = io();

    const status = await main(["explain", "acme/payments#42"], run.io);

    expect(gh.scope.pendingMocks()).toStrictEqual([]);
    expect(run.out.stderr).toBe("");
    expect(status).toBe(1);
    expect(run.out.stdout).toContain(RELEASE_MANAGER);
    expect(run.out.stdout).toContain(QA);
  });

  it("judges under a local policy directory instead of the base branch's", async () => {
    const pull = await requestChangePull();
    const dir = await mkdtemp(join(tmpdir(), "gatehouse-policy-"));
    try {
      for (const [path, text] of financePack()) {
        const local =
          path === "policies/roles.yml" ? text.replace('["@acme/qa"]', '["@local-qa"]') : text;
        await writeFile(join(dir, path.slice("policies/".length)), local);
      }
      const gh = github(pull).graphql(2);
      const run = io();

      const status = await main(
        ["explain", "acme/payments#42", "--policy", dir, "--format", "json"],
        run.io,
      );

      expect(gh.scope.pendingMocks()).toStrictEqual([]);
      expect(status).toBe(1);
      expect(run.out.stdout).toContain("local-qa");
      expect(run.out.stdout).not.toContain(QA);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    { args: ["explain"], env: {}, message: /name one pull request/ },
    { args: ["explain", "acme/payments"], env: {}, message: /name one pull request/ },
    {
      args: ["explain", "acme/payments#42"],
      env: { GITHUB_TOKEN: "", GH_TOKEN: "" },
      message: /GITHUB_TOKEN is not set/,
    },
  ])("refuses $args with a clear message", async ({ args, env, message }) => {
    const run = io(env);
    const status = await main(args, run.io);
    expect(status).toBe(2);
    expect(run.out.stderr).toMatch(message);
  });
});

describe("parsePullRequestRef", () => {
  it.each([
    ["acme/payments#42", { owner: "acme", repo: "payments", number: 42 }],
    [
      "https://github.example.com/acme/pay.ments/pull/7",
      { owner: "acme", repo: "pay.ments", number: 7 },
    ],
    ["acme/payments", null],
    ["acme#42", null],
  ])("reads %s", (text, ref) => {
    expect(parsePullRequestRef(text)).toStrictEqual(ref);
  });
});
