import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/cli/errors.js";
import { loadLocalSnapshot, type LocalSnapshot } from "../../src/git/load-snapshot.js";
import { tempRepo, type TempRepo } from "./temp-repo.js";

const ROLES_V1 = "version: 1\nroles:\n  qa: { members: ['@zhao-min'] }\n";
const ROLES_V2 = "version: 1\nroles:\n  qa: { members: ['@wang-jun'] }\n";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

describe("loadLocalSnapshot on a branch that forked from main", () => {
  let repo: TempRepo;
  let fork: string;
  let head: string;
  let mainTip: string;
  let snapshot: LocalSnapshot;

  beforeAll(async () => {
    repo = tempRepo();
    repo.write({
      "policies/roles.yml": ROLES_V1,
      "policies/OWNERS": "/policies/ @acme/security\n",
      "changes/CHG-2026-0001.yaml": "id: CHG-2026-0001\nstate: draft\n",
      "changes/old-name.yaml": "id: CHG-2026-0002\nstate: draft\ntitle: renamed as it is\n",
      "docs/readme.md": "read me\n",
      "notes.txt": "unrelated\n",
    });
    fork = repo.commit("initial");
    repo.git("checkout", "-q", "-b", "feature/change");
    repo.write({
      "changes/CHG-2026-0001.yaml": "id: CHG-2026-0001\nstate: requested\n",
      "changes/CHG-2026-0003.yaml": "id: CHG-2026-0003\nstate: draft\n",
      "policies/roles.yml": ROLES_V2,
      "images/logo.png": PNG,
    });
    repo.git("mv", "changes/old-name.yaml", "changes/CHG-2026-0002.yaml");
    repo.remove("docs/readme.md");
    repo.commit("request the change");
    head = repo.commit("second commit");
    // main moves on after the fork: its new commit is not part of the branch's change.
    repo.git("checkout", "-q", "main");
    repo.write({ "changes/CHG-2026-0009.yaml": "id: CHG-2026-0009\n" });
    mainTip = repo.commit("someone else's change");
    repo.git("checkout", "-q", "feature/change");
    snapshot = await loadLocalSnapshot({
      repo: repo.dir,
      context: { author: "wang-jun", approvals: [{ user: "zhao-min" }] },
      now: new Date("2026-11-25T10:00:00Z"),
    });
  });
  afterAll(() => repo.dispose());

  it("lists every record file of the head commit, and only those", () => {
    expect(snapshot.recordPaths).toEqual([
      "changes/CHG-2026-0001.yaml",
      "changes/CHG-2026-0002.yaml",
      "changes/CHG-2026-0003.yaml",
    ]);
  });

  it("judges the commits since the merge base, by the policy of main's tip", () => {
    expect(snapshot.base.sha).toBe(mainTip);
    expect(snapshot.base.ref).toBe("main");
    expect(snapshot.mergeBase).toBe(fork);
    expect(snapshot.head.sha).toBe(head);
    expect(snapshot.baseRef).toBe("main");
    expect(snapshot.changed.map((c) => c.path)).not.toContain("changes/CHG-2026-0009.yaml");
  });

  it("lists added, modified, renamed and removed files", () => {
    const changed = [...snapshot.changed].sort((a, b) => a.path.localeCompare(b.path));
    expect(changed).toEqual([
      { path: "changes/CHG-2026-0001.yaml", status: "modified" },
      {
        path: "changes/CHG-2026-0002.yaml",
        status: "renamed",
        previousPath: "changes/old-name.yaml",
      },
      { path: "changes/CHG-2026-0003.yaml", status: "added" },
      { path: "docs/readme.md", status: "removed" },
      { path: "images/logo.png", status: "added" },
      { path: "policies/roles.yml", status: "modified" },
    ]);
  });

  it("reads the policy from the base commit, even when the branch edits it", () => {
    expect(snapshot.base.files.get("policies/roles.yml")).toBe(ROLES_V1);
    expect(snapshot.base.files.get("policies/OWNERS")).toBe("/policies/ @acme/security\n");
    expect(snapshot.head.files.get("policies/roles.yml")).toBe(ROLES_V2);
  });

  it("holds the base version of every changed file that existed there, under its old path", () => {
    expect(snapshot.base.files.get("changes/CHG-2026-0001.yaml")).toContain("state: draft");
    expect(snapshot.base.files.get("changes/old-name.yaml")).toContain("renamed as it is");
    expect(snapshot.base.files.get("docs/readme.md")).toBe("read me\n");
    expect(snapshot.base.files.has("changes/CHG-2026-0003.yaml")).toBe(false);
    expect(snapshot.base.files.has("notes.txt")).toBe(false);
  });

  it("holds the head version of every changed file that was not removed", () => {
    expect([...snapshot.head.files.keys()].sort()).toEqual([
      "changes/CHG-2026-0001.yaml",
      "changes/CHG-2026-0002.yaml",
      "changes/CHG-2026-0003.yaml",
      "policies/roles.yml",
    ]);
    expect(snapshot.head.files.get("changes/CHG-2026-0001.yaml")).toContain("state: requested");
  });

  it("leaves binary files out and says so", () => {
    expect(snapshot.skipped).toEqual([{ path: "images/logo.png", side: "head", reason: "binary" }]);
  });

  it("carries the branch's commits, oldest first, and binds approvals to the head", () => {
    expect(snapshot.commits.map((c) => c.message.trim())).toEqual([
      "request the change",
      "second commit",
    ]);
    expect(snapshot.commits.at(-1)?.sha).toBe(head);
    expect(snapshot.approvals).toEqual([
      { user: "zhao-min", state: "APPROVED", commit: head, submittedAt: snapshot.now },
    ]);
    expect(snapshot.author).toBe("wang-jun");
    expect(snapshot.repo).toBe(repo.dir.split("/").at(-1));
  });

  it("leaves files over the size limit out", async () => {
    const small = await loadLocalSnapshot({
      repo: repo.dir,
      context: { author: "wang-jun" },
      maxFileBytes: 40,
    });
    expect(small.skipped).toContainEqual({
      path: "changes/CHG-2026-0002.yaml",
      side: "head",
      reason: "too large",
    });
    expect(small.head.files.has("changes/CHG-2026-0002.yaml")).toBe(false);
    expect(small.head.files.has("changes/CHG-2026-0003.yaml")).toBe(true);
  });

  it("judges against --base when given", async () => {
    const other = await loadLocalSnapshot({
      repo: repo.dir,
      base: "HEAD~1",
      context: { author: "wang-jun" },
    });
    expect(other.baseRef).toBe("HEAD~1");
    expect(other.commits.map((c) => c.message.trim())).toEqual(["second commit"]);
    expect(other.changed).toEqual([]);
  });

  it("resolves a short sha or ref named by an approval", async () => {
    const other = await loadLocalSnapshot({
      repo: repo.dir,
      context: { author: "wang-jun", approvals: [{ user: "li-na", commit: "HEAD~1" }] },
    });
    expect(other.approvals[0]?.commit).toBe(repo.git("rev-parse", "HEAD~1").trim());
  });

  it("takes the author from the head commit's e-mail through identities", async () => {
    const other = await loadLocalSnapshot({
      repo: repo.dir,
      context: { identities: { "wang.jun@acme.example": "wang-jun" } },
    });
    expect(other.author).toBe("wang-jun");
  });

  it("asks for an author when the head commit's e-mail maps to no login, masking the e-mail", async () => {
    const error = await loadLocalSnapshot({ repo: repo.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^cannot tell who opened this change: the head commit's author e-mail w\*\*\*@acme\.example maps to no GitHub login, .* Add 'author: <login>' \(or an 'identities' entry\) to a --context file, or add your key with that e-mail \(gatehouse keys add\)\.$/,
    );
  });

  it("says there is nothing to judge on the default branch's tip", async () => {
    const error = await loadLocalSnapshot({ repo: repo.dir, head: "main" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^main has no commits that are not already on main in .*: nothing to judge\. .*--base REF\.$/,
    );
  });

  it("says there is nothing to judge when --base names the head itself", async () => {
    const error = await loadLocalSnapshot({ repo: repo.dir, head: "main", base: "main" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^main has no commits that are not already on main in .*: nothing to judge\. .*--base REF\.$/,
    );
  });

  it("names a ref that does not exist", async () => {
    const error = await loadLocalSnapshot({ repo: repo.dir, head: "feature/x" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `'feature/x' is not a branch, tag or commit in ${repo.dir}; check the name (git branch -a).`,
    );
  });
});

describe("loadLocalSnapshot in a repository without commits", () => {
  it("says to commit first rather than that HEAD does not exist", async () => {
    const repo = tempRepo();
    try {
      const error = await loadLocalSnapshot({ repo: repo.dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        `${repo.dir} has no commits yet; commit the change first, then judge it.`,
      );
    } finally {
      repo.dispose();
    }
  });
});

describe("loadLocalSnapshot finding the default branch", () => {
  it.each([
    ["origin/HEAD when the clone has one", "main", true, "origin/trunk"],
    ["main when there is no origin/HEAD", "main", false, "main"],
    ["master when there is neither", "master", false, "master"],
  ])("uses %s", async (_name, branch, remote, expected) => {
    const repo = tempRepo();
    try {
      repo.write({ "a.txt": "a\n" });
      const first = repo.commit("first");
      if (remote) {
        repo.git("update-ref", "refs/remotes/origin/trunk", first);
        repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");
      }
      if (branch === "master") repo.git("branch", "-m", "main", "master");
      repo.git("checkout", "-q", "-b", "topic");
      repo.write({ "b.txt": "b\n" });
      repo.commit("second");
      const snapshot = await loadLocalSnapshot({ repo: repo.dir, context: { author: "wang-jun" } });
      expect(snapshot.baseRef).toBe(expected);
      expect(snapshot.base.sha).toBe(first);
      expect(snapshot.changed).toEqual([{ path: "b.txt", status: "added" }]);
    } finally {
      repo.dispose();
    }
  });

  it("asks for --base when there is no default branch", async () => {
    const repo = tempRepo();
    try {
      repo.write({ "a.txt": "a\n" });
      repo.commit("first");
      repo.git("branch", "-m", "main", "trunk");
      const error = await loadLocalSnapshot({ repo: repo.dir }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        `cannot tell the default branch of ${repo.dir} (no origin/HEAD, main or master); pass --base REF.`,
      );
    } finally {
      repo.dispose();
    }
  });
});

describe("loadLocalSnapshot refusing what is not a repository", () => {
  it("names a directory that does not exist", async () => {
    const error = await loadLocalSnapshot({ repo: "/nonexistent/gatehouse" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "/nonexistent/gatehouse is not a directory; pass --repo with the path of a git clone.",
    );
  });

  it("names a directory that is not a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-plain-"));
    try {
      const error = await loadLocalSnapshot({ repo: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        `${dir} is not a git repository; pass --repo with the path of a clone.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("loadLocalSnapshot with a configuration that moves the policies", () => {
  it("reads the policies directory the base commit's .github/gatehouse.yml names", async () => {
    const repo = tempRepo();
    try {
      repo.write({
        ".github/gatehouse.yml": "policies: governance/policies\n",
        "governance/policies/roles.yml": ROLES_V1,
        "policies/roles.yml": "not the policy\n",
      });
      repo.commit("first");
      repo.git("checkout", "-q", "-b", "topic");
      repo.write({ "changes/CHG-2026-0001.yaml": "id: CHG-2026-0001\n" });
      repo.commit("second");
      const snapshot = await loadLocalSnapshot({ repo: repo.dir, context: { author: "wang-jun" } });
      expect([...snapshot.base.files.keys()].sort()).toEqual([
        ".github/gatehouse.yml",
        "governance/policies/roles.yml",
      ]);
      expect(snapshot.base.files.get("governance/policies/roles.yml")).toBe(ROLES_V1);
    } finally {
      repo.dispose();
    }
  });
});

describe("loadLocalSnapshot with unusual paths and approvals", () => {
  it("keeps paths with spaces and non-ASCII letters exactly, and names an unknown approval commit", async () => {
    const repo = tempRepo();
    try {
      repo.write({ "a.txt": "a\n" });
      repo.commit("first");
      repo.git("checkout", "-q", "-b", "topic");
      repo.write({ "changes/变更 一.yaml": "id: x\n", "docs/tab\there.md": "t\n" });
      repo.commit("second");
      const snapshot = await loadLocalSnapshot({ repo: repo.dir, context: { author: "wang-jun" } });
      expect(snapshot.changed.map((c) => c.path).sort()).toEqual([
        "changes/变更 一.yaml",
        "docs/tab\there.md",
      ]);
      expect(snapshot.head.files.get("changes/变更 一.yaml")).toBe("id: x\n");

      const error = await loadLocalSnapshot({
        repo: repo.dir,
        context: { author: "wang-jun", approvals: [{ user: "zhao-min", commit: "deadbeef" }] },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        `the approval of zhao-min names commit 'deadbeef', which is not in ${repo.dir}; give the sha of the head it was given on, or leave 'commit' out for the head.`,
      );
    } finally {
      repo.dispose();
    }
  });
});

describe("loadLocalSnapshot when the base branch moved after the branch was cut", () => {
  let repo: TempRepo;
  let fork: string;
  let tip: string;
  let snapshot: LocalSnapshot;

  beforeAll(async () => {
    repo = tempRepo();
    repo.write({
      "policies/roles.yml": ROLES_V1,
      "changes/CHG-2026-0001.yaml": "id: CHG-2026-0001\nstate: draft\ntitle: one\n",
      "changes/CHG-2026-0002.yaml": "id: CHG-2026-0002\nstate: draft\n",
      "changes/CHG-2026-0003.yaml": "id: CHG-2026-0003\nstate: draft\n",
      "changes/CHG-2026-0004.yaml": "id: CHG-2026-0004\nstate: draft\n",
    });
    fork = repo.commit("initial");
    repo.git("checkout", "-q", "-b", "topic");
    repo.write({
      "changes/CHG-2026-0001.yaml": "id: CHG-2026-0001\nstate: draft\ntitle: one, edited\n",
      "changes/CHG-2026-0002.yaml": "id: CHG-2026-0002\nstate: requested\n",
      "changes/CHG-2026-0003.yaml": "id: CHG-2026-0003\nstate: requested\n",
      "changes/CHG-2026-0004.yaml": "id: CHG-2026-0004\nstate: requested\n",
    });
    repo.commit("edit on the branch");
    // main moves on: a role changes, one record moves on, one is removed, one is renamed.
    repo.git("checkout", "-q", "main");
    repo.write({
      "policies/roles.yml": ROLES_V2,
      "changes/CHG-2026-0001.yaml": "id: CHG-2026-0001\nstate: scheduled\ntitle: one\n",
    });
    repo.remove("changes/CHG-2026-0002.yaml");
    repo.git("mv", "changes/CHG-2026-0003.yaml", "changes/CHG-2026-0003.yml");
    tip = repo.commit("main moves on");
    repo.git("checkout", "-q", "topic");
    snapshot = await loadLocalSnapshot({ repo: repo.dir, context: { author: "wang-jun" } });
  });
  afterAll(() => repo.dispose());

  it("reads the policy at main's tip, as the GitHub App does, and the commits since the fork", () => {
    expect(snapshot.base.sha).toBe(tip);
    expect(snapshot.mergeBase).toBe(fork);
    expect(snapshot.base.files.get("policies/roles.yml")).toBe(ROLES_V2);
    expect(snapshot.commits.map((c) => c.message.trim())).toEqual(["edit on the branch"]);
  });

  it("lists what the branch changed, with the base side as main's tip has it", () => {
    expect(snapshot.changed.map((c) => c.path).sort()).toEqual([
      "changes/CHG-2026-0001.yaml",
      "changes/CHG-2026-0002.yaml",
      "changes/CHG-2026-0003.yaml",
      "changes/CHG-2026-0004.yaml",
    ]);
    expect(snapshot.base.files.get("changes/CHG-2026-0001.yaml")).toContain("state: scheduled");
    expect(snapshot.base.files.get("changes/CHG-2026-0004.yaml")).toContain("state: draft");
    // Gone from main's tip (removed, renamed away): no base side, as GitHub would show it.
    expect(snapshot.base.files.has("changes/CHG-2026-0002.yaml")).toBe(false);
    expect(snapshot.base.files.has("changes/CHG-2026-0003.yaml")).toBe(false);
  });
});
