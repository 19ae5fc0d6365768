/**
 * Every change of a path is judged, whatever git object carries it and whatever its name
 * holds: a submodule entry or a symbolic link in place of a policy file or a record, a name
 * with a newline, a folder spelt in capitals. Each case is a real branch of a real repository
 * judged by `gatehouse check`, with one friendly reviewer's approval.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { RuleResult } from "../../src/core/types.js";
import { captureIO } from "../cli/capture-io.js";
import { node } from "../core/evaluate/fixtures.js";
import { as, CHANGE, contextFile, governedRepo } from "../cli/governed-repo.js";
import type { TempRepo } from "./temp-repo.js";

interface Judged {
  status: number;
  conclusion: string;
  rules: RuleResult;
  findings: Array<{ path: string; code: string; message: string }>;
}

describe("every change of a path is judged, whatever git object carries it", () => {
  let repo: TempRepo;
  let scratch: string;
  let friendly: string;

  beforeAll(async () => {
    repo = await governedRepo();
    scratch = mkdtempSync(join(tmpdir(), "gatehouse-objects-"));
    // One peer who holds no role that the changes below need.
    friendly = contextFile(
      scratch,
      "friend.yml",
      "author: liu-yang\napprovals: [{ user: li-na }]\n",
    );
  });
  afterAll(() => {
    repo.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Commits what is staged in the index, as it is (no `git add -A`). */
  const commitIndex = (message: string) => {
    repo.git(
      "-c",
      "user.name=liu-yang",
      "-c",
      "user.email=liu-yang@bank.example",
      "-c",
      "commit.gpgsign=false",
      "commit",
      "-q",
      "-m",
      message,
    );
  };

  /** A submodule entry at `path`, pointing at some commit of another repository. */
  const submoduleAt = (path: string) => {
    repo.git("rm", "-q", "--cached", "--ignore-unmatch", "--", path);
    rmSync(join(repo.dir, path), { force: true });
    repo.git("update-index", "--add", "--cacheinfo", `160000,${"1".repeat(40)},${path}`);
  };

  const judge = async (branch: string, build: () => void): Promise<Judged> => {
    repo.git("checkout", "-q", "-b", branch, "main");
    try {
      build();
      const io = captureIO(repo.dir);
      const status = await main(["check", "--context", friendly, "--format", "json"], io);
      return { status, ...(JSON.parse(io.out()) as Omit<Judged, "status">) };
    } finally {
      repo.git("checkout", "-q", "-f", "main");
    }
  };

  it("refuses a submodule entry in place of a policy file, and still asks the policy's approvers", async () => {
    const judged = await judge("privacy-submodule", () => {
      submoduleAt("policies/privacy.yml");
      commitIndex("vendor the privacy policy");
    });
    expect(judged.status).toBe(1);
    expect(judged.conclusion).toBe("failure");
    expect(node(judged.rules, "files/entry/policies/privacy.yml")).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^policies\/privacy\.yml becomes a submodule entry/) as unknown,
    });
    // The path is a change like any other: the policy-change rule applies to it.
    expect(node(judged.rules, "paths/policy change").status).toBe("pending");
  });

  it("refuses a symbolic link in place of a record", async () => {
    repo.write({ "changes/CHG-2026-0001.yaml": CHANGE });
    repo.commit("add a change", as("liu-yang"));
    const judged = await judge("record-link", () => {
      repo.remove("changes/CHG-2026-0001.yaml");
      symlinkSync("../docs/change.yaml", join(repo.dir, "changes/CHG-2026-0001.yaml"));
      repo.commit("point the change elsewhere", as("liu-yang"));
    });
    repo.git("reset", "-q", "--hard", "HEAD~1");
    expect(judged.conclusion).toBe("failure");
    expect(node(judged.rules, "files/entry/changes/CHG-2026-0001.yaml").reason).toMatch(
      /becomes a symbolic link/,
    );
  });

  it("refuses a new symbolic link anywhere unless workflows.yml lists it under links", async () => {
    const refused = await judge("docs-link", () => {
      symlinkSync("../policies/roles.yml", join(repo.dir, "roles-link.yml"));
      repo.commit("link", as("liu-yang"));
    });
    expect(node(refused.rules, "files/entry/roles-link.yml").status).toBe("failed");

    // The same link under a path the base policy allows is judged like a file.
    repo.write({
      "policies/workflows.yml": `${repo.git("show", "main:policies/workflows.yml")}\nlinks: ["*-link.yml"]\n`,
    });
    repo.commit("allow links", as("xu-ming"));
    const allowed = await judge("docs-link-allowed", () => {
      symlinkSync("../policies/roles.yml", join(repo.dir, "roles-link.yml"));
      repo.commit("link", as("liu-yang"));
    });
    repo.git("reset", "-q", "--hard", "HEAD~1");
    expect(node(allowed.rules, "files").status).toBe("satisfied");
  });

  it("stops with the reason when the base policy holds a submodule entry", async () => {
    submoduleAt("policies/privacy.yml");
    commitIndex("merged past the gate");
    repo.git("checkout", "-q", "-b", "after-bypass");
    repo.write({ "docs/notes.md": "notes\n" });
    repo.commit("notes", as("liu-yang"));
    const io = captureIO(repo.dir);
    const status = await main(["check", "--context", friendly], io);
    repo.git("checkout", "-q", "-f", "main");
    repo.git("reset", "-q", "--hard", "HEAD~1");
    expect(status).toBe(2);
    expect(io.err()).toMatch(
      /policies\/privacy\.yml at commit [0-9a-f]{7} is a submodule entry, not a file; policy files must be regular files/,
    );
  });

  it("refuses a key file whose name holds a newline, and still applies the policy rule to it", async () => {
    const judged = await judge("newline-key", () => {
      repo.write({ "policies/keys/xu-ming\n.pub": "ssh-ed25519 AAAA xu-ming@bank.example\n" });
      repo.commit("a second key", as("liu-yang"));
    });
    expect(judged.conclusion).toBe("failure");
    expect(node(judged.rules, "files/name/policies/keys/xu-ming\\u000A.pub").reason).toMatch(
      /^the file name policies\/keys\/xu-ming\\u000A\.pub holds the control character U\+000A; /,
    );
    expect(node(judged.rules, "paths/policy change").status).toBe("pending");
  });

  it.each([
    ["a folder spelt in capitals", "Policies/roles.yml", "satisfied"],
    ["a name with a zero-width space", "policies/roles\u200b.yml", "failed"],
  ])("matches path rules for %s", async (_what, path, names) => {
    const judged = await judge(`spelling-${path.length}`, () => {
      repo.write({ [path]: "version: 1\n" });
      repo.commit("another spelling", as("liu-yang"));
    });
    expect(node(judged.rules, "paths/policy change").status).toBe("pending");
    expect(node(judged.rules, "files").status).toBe(names);
  });
});
