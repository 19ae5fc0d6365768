import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { TempRepo } from "../git/temp-repo.js";
import { captureIO } from "./capture-io.js";
import { as, CHANGE, contextFile, governedRepo } from "./governed-repo.js";

describe("gatehouse check", () => {
  let repo: TempRepo;
  let scratch: string;
  let approved: string;
  let unapproved: string;

  beforeAll(async () => {
    repo = await governedRepo();
    repo.git("checkout", "-q", "-b", "chg-1");
    repo.write({ "changes/CHG-2026-0001.yaml": CHANGE });
    repo.commit("CHG-2026-0001: requirements", as("liu-yang"));
    scratch = mkdtempSync(join(tmpdir(), "gatehouse-ctx-"));
    approved = contextFile(
      scratch,
      "approved.yml",
      "author: liu-yang\napprovals: [{ user: li-na }]\n",
    );
    unapproved = contextFile(
      scratch,
      "unapproved.json",
      '{ "author": "liu-yang", "identities": { "liu-yang@bank.example": "liu-yang" } }',
    );
  });
  afterAll(() => {
    repo.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("exits 0 when every requirement is met", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["check", "--context", approved], io)).toBe(0);
    expect(io.out()).toContain("All requirements met");
  });

  it("exits 1 while an approval is missing, and says whose", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["check", "--repo", repo.dir, "--context", unapproved], io)).toBe(1);
    expect(io.out()).toMatch(/four-eyes: needs an approval/);
  });

  it("prints the refusal people read (text, no colour off a terminal)", async () => {
    const io = captureIO(repo.dir);
    await main(["check", "--context", unapproved, "--now", "2026-11-24T10:00:00+08:00"], io);
    const text = io.out().replace(/\b[0-9a-f]{7}\b/g, "<sha>");
    expect(text).not.toContain("\u001b[");
    expect(text).toMatchInlineSnapshot(`
      "… Waiting for a second person's approval
        ✔ policy loaded from the base commit <sha> (main)
        ✔ files: the changed path is a regular file with a plain name
        ✔ records/changes/CHG-2026-0001.yaml: CHG-2026-0001: every requirement met
          ✔ valid: changes/CHG-2026-0001.yaml is a valid ChangeRequest
          ✔ transition: CHG-2026-0001 (new) -> draft
          ✔ consent/requirements: consent of requirements-liaison for /requirements: liu-yang holds requirements-liaison and wrote this pull request
          ✔ separation-of-duties: no one acts on CHG-2026-0001 in two roles that may not be combined
        – paths: no path rule applies
        – owners: no changed path has owners
        … four-eyes: needs an approval on the head commit from someone who neither opened this pull request nor authored or committed any of its commits
        – changes-requested: no review requests changes
        – contributors: every commit author is a known GitHub user
        – signatures: signed commits are not required by workflows.yml
        ✔ privacy: no personal data in 1 scanned file
          ✔ changes/CHG-2026-0001.yaml: no personal data found
      "
    `);
  });

  it.each([
    {
      what: "an invalid record, pointing at line and column",
      branch: "chg-broken",
      files: { "changes/CHG-2026-0001.yaml": CHANGE.replace("type: normal", "type: urgent") },
      finding: { path: "changes/CHG-2026-0001.yaml", line: 6, column: 7 },
    },
    {
      what: "a new record whose id another record of the branch already carries",
      branch: "twin",
      files: { "changes/2026/CHG-2026-0001.yml": CHANGE },
      finding: {
        path: "changes/2026/CHG-2026-0001.yml",
        code: "record/duplicate-id",
        line: 3,
        message: expect.stringMatching(
          /^CHG-2026-0001 is already the id of changes\/CHG-2026-0001\.yaml; /,
        ) as unknown,
      },
    },
  ])("exits 1 for $what", async ({ branch, files, finding }) => {
    repo.git("checkout", "-q", "-b", branch, "chg-1");
    repo.write(files);
    repo.commit(`commit on ${branch}`, as("liu-yang"));
    try {
      const io = captureIO(repo.dir);
      expect(await main(["check", "--context", approved, "--format", "json"], io)).toBe(1);
      const json = JSON.parse(io.out()) as { conclusion: string; findings: unknown[] };
      expect(json.conclusion).toBe("failure");
      expect(json.findings).toContainEqual(expect.objectContaining(finding));
    } finally {
      repo.git("checkout", "-q", "chg-1");
    }
  });

  it("prints one JSON object with the contract's fields", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["check", "--context", approved, "--format", "json"], io)).toBe(0);
    const json = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["conclusion", "summary", "records", "rules", "findings"]),
    );
    expect(json.conclusion).toBe("success");
    expect(json.records).toEqual([
      {
        path: "changes/CHG-2026-0001.yaml",
        kind: "ChangeRequest",
        id: "CHG-2026-0001",
        from: null,
        to: "draft",
      },
    ]);
    expect(json.rules).toMatchObject({ status: "satisfied", children: expect.any(Array) });
    expect(json.findings).toEqual([]);
  });

  it("prints the check run's Markdown", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["check", "--context", approved, "--format", "markdown"], io)).toBe(0);
    expect(io.out()).toMatch(/CHG-2026-0001/);
    expect(io.out()).not.toContain("\u001b[");
  });

  it.each([
    ["on a terminal", { tty: true, env: {} }, true],
    ["on a terminal with NO_COLOR set", { tty: true, env: { NO_COLOR: "1" } }, false],
    ["into a pipe", { tty: false, env: {} }, false],
  ])("colours text %s: %s", async (_name, options, coloured) => {
    const io = captureIO(repo.dir, options);
    await main(["check", "--context", approved], io);
    expect(io.out().includes("\u001b[")).toBe(coloured);
  });

  it.each([
    [
      ["check", "--head", "feature/x"],
      /^gatehouse check: 'feature\/x' is not a branch, tag or commit in .+; check the name \(git branch -a\)\.\n$/,
    ],
    [
      ["check", "--repo", "/nonexistent/x"],
      /^gatehouse check: \/nonexistent\/x is not a directory; pass --repo with the path of a git clone\.\n$/,
    ],
    [
      ["check", "--head", "main"],
      /^gatehouse check: main has no commits that are not already on main in .+: nothing to judge\. .*--base REF\.\n$/,
    ],
    [
      ["check", "--format", "xml"],
      /^gatehouse check: --format must be text, json or markdown, not 'xml'\. Run 'gatehouse check --help'\.\n$/,
    ],
    [
      ["check", "--now", "yesterday"],
      /^gatehouse check: --now must be an ISO 8601 time such as .+, not 'yesterday'\. Run 'gatehouse check --help'\.\n$/,
    ],
    [
      ["check", "--base", "HEAD"],
      /^gatehouse check: HEAD has no commits that are not already on HEAD in .+: nothing to judge\. Check out the branch of the change, or pass --base REF\.\n$/,
    ],
    [
      ["check", "--now", "2026-12-04T00:00:00"],
      /^gatehouse check: --now '2026-12-04T00:00:00' has no offset, so its meaning would depend on this machine's time zone; add one or Z, as in .+\. Run 'gatehouse check --help'\.\n$/,
    ],
    [
      ["check", "--now", "2026-02-30T10:00:00+08:00"],
      /^gatehouse check: --now '2026-02-30T10:00:00\+08:00' is not a real date and time; give one such as .+\. Run 'gatehouse check --help'\.\n$/,
    ],
    [
      ["check", "--now", "2026-11-24T24:30:00Z"],
      /^gatehouse check: --now '2026-11-24T24:30:00Z' is not a real date and time; .+\n$/,
    ],
    [
      ["check", "--verbose"],
      /^gatehouse check: unknown option '--verbose'\. Run 'gatehouse check --help'\.\n$/,
    ],
    [
      ["check", "--context", "/nonexistent/ctx.yml"],
      /^gatehouse check: there is no context file \/nonexistent\/ctx\.yml; write what GitHub will know of the pull request into it, such as 'author: wang-jun' and 'approvals: \[\{ user: li-na \}\]' \(see 'gatehouse check --help'\), or leave --context out to judge without approvals\.\n$/,
    ],
  ])("exits 2 with one line and no stack for %j", async (argv, message) => {
    const io = captureIO(repo.dir);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toContain("    at ");
    expect(io.out()).toBe("");
  });

  it("says nothing to judge for an empty range in the same words with or without --base", async () => {
    const byDefault = captureIO(repo.dir);
    const named = captureIO(repo.dir);
    expect(await main(["check", "--head", "main"], byDefault)).toBe(2);
    expect(await main(["check", "--head", "main", "--base", "main"], named)).toBe(2);
    expect(named.err()).toContain("nothing to judge");
    expect(named.err()).toBe(byDefault.err());
  });

  it.each(["2026-11-24T10:00:00Z", "2026-02-28T23:59:59.5-05:00", "2028-02-29T10:00:00+08:00"])(
    "accepts --now %s",
    async (now) => {
      const io = captureIO(repo.dir);
      expect(await main(["check", "--context", approved, "--now", now], io)).toBe(0);
      expect(io.err()).toBe("");
    },
  );

  it("names the place of a mistake in the context file", async () => {
    const bad = contextFile(scratch, "bad.yml", "author: liu-yang\napprovals:\n  - usr: li-na\n");
    const io = captureIO(repo.dir);
    expect(await main(["check", "--context", bad], io)).toBe(2);
    expect(io.err()).toBe(
      `gatehouse check: ${bad}:3:5 'usr' is not a field of 'approvals/0'; did you mean 'user'? Use user, commit or state.\n`,
    );
  });

  it("judges a policy edit by the base policy, which asks for two security admins", async () => {
    repo.git("checkout", "-q", "-b", "policy-edit", "main");
    // The branch tries to make itself a security admin: the base roles still apply.
    repo.write({
      "policies/roles.yml": repo
        .git("show", "main:policies/roles.yml")
        .replace("@xu-ming", "@liu-yang"),
    });
    repo.commit("make me an admin", as("liu-yang"));
    try {
      const io = captureIO(repo.dir);
      const ctx = contextFile(
        scratch,
        "self.yml",
        "author: liu-yang\napprovals: [{ user: xu-ming }]\n",
      );
      expect(await main(["check", "--context", ctx, "--format", "json"], io)).toBe(1);
      const json = JSON.parse(io.out()) as { conclusion: string; summary: string };
      expect(json.conclusion).toBe("pending");
      expect(json.summary).toMatch(/security-admin/);
    } finally {
      repo.git("checkout", "-q", "chg-1");
    }
  });
});
