/**
 * `gatehouse hooks install` and the hooks it writes, run by real `git commit` and `git push`.
 * The hooks run this checkout's sources through $GATEHOUSE (the tests do not build lib/).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CHG_PATH, INC_PATH, changeAt, incidentAt, yamlOf } from "../../src/cli/demo/records.js";
import { HOOK_MARKER } from "../../src/cli/hook-scripts.js";
import type { TempRepo } from "../git/temp-repo.js";
import { captureIO } from "./capture-io.js";
import { adopt, as, governedRepo } from "./governed-repo.js";
import { ROOT } from "./npm.js";

// tsx by its full address: the hooks run in the test's repository, which has no node_modules.
const GATEHOUSE = `"${process.execPath}" --import "${import.meta.resolve("tsx")}" "${join(ROOT, "src/cli/run.ts")}"`;

/** git as a user runs it, with the hooks active and gatehouse found through $GATEHOUSE. */
function git(repo: TempRepo, args: string[]) {
  const who = as("li-na");
  return spawnSync(
    "git",
    ["-c", `user.name=${who.name}`, "-c", `user.email=${who.email}`, ...args],
    {
      cwd: repo.dir,
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_CONFIG_NOSYSTEM: "1",
        GATEHOUSE,
        NODE_OPTIONS: "",
      },
      encoding: "utf8",
    },
  );
}

describe("gatehouse hooks install", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await governedRepo();
    adopt(repo.dir);
    repo.commit("Our people hold the roles", as("xu-ming"));
  });
  afterEach(() => repo.dispose());

  it("writes executable pre-commit and pre-push hooks into .git/hooks, and updates them", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["hooks", "install"], io)).toBe(0);
    for (const name of ["pre-commit", "pre-push"]) {
      const path = join(repo.dir, ".git/hooks", name);
      expect(readFileSync(path, "utf8")).toContain(HOOK_MARKER);
      expect(statSync(path).mode & 0o111).not.toBe(0);
    }
    expect(io.out()).toBe(
      `Installed ${join(repo.dir, ".git/hooks/pre-commit")}: gatehouse scan --staged, then gatehouse validate.\n` +
        `Installed ${join(repo.dir, ".git/hooks/pre-push")}: gatehouse validate.\n`,
    );
    const again = captureIO(repo.dir);
    expect(await main(["hooks", "install"], again)).toBe(0);
    expect(again.out()).toMatch(/^Updated .*pre-commit: /);
    expect(existsSync(join(repo.dir, ".git/hooks/pre-commit.before-gatehouse"))).toBe(false);
  });

  it("honours core.hooksPath, as git does when it runs hooks", async () => {
    repo.git("config", "core.hooksPath", ".githooks");
    expect(await main(["hooks", "install", "--repo", repo.dir], captureIO("/"))).toBe(0);
    expect(readFileSync(join(repo.dir, ".githooks/pre-commit"), "utf8")).toContain(HOOK_MARKER);
    expect(existsSync(join(repo.dir, ".git/hooks/pre-commit"))).toBe(false);
  });

  it("leaves a hook that is not its own, says what to add, and replaces it only when forced", async () => {
    const theirs = join(repo.dir, ".git/hooks/pre-push");
    writeFileSync(theirs, "#!/bin/sh\nexec make lint\n", { mode: 0o755 });
    const io = captureIO(repo.dir);
    expect(await main(["hooks", "install"], io)).toBe(1);
    expect(readFileSync(theirs, "utf8")).toBe("#!/bin/sh\nexec make lint\n");
    expect(io.err()).toBe(
      `gatehouse hooks: ${theirs} exists and is not gatehouse's, so it was left as it is. Add these lines to it:\n` +
        "  gatehouse validate || exit 1\n" +
        "or run 'gatehouse hooks install --force' to replace it (it is kept as pre-push.before-gatehouse).\n",
    );
    // The other hook was installed all the same.
    expect(readFileSync(join(repo.dir, ".git/hooks/pre-commit"), "utf8")).toContain(HOOK_MARKER);

    expect(await main(["hooks", "install", "--force"], captureIO(repo.dir))).toBe(0);
    expect(readFileSync(theirs, "utf8")).toContain(HOOK_MARKER);
    expect(readFileSync(`${theirs}.before-gatehouse`, "utf8")).toBe("#!/bin/sh\nexec make lint\n");

    expect(await main(["hooks", "uninstall"], captureIO(repo.dir))).toBe(0);
    expect(readFileSync(theirs, "utf8")).toBe("#!/bin/sh\nexec make lint\n");
    expect(existsSync(join(repo.dir, ".git/hooks/pre-commit"))).toBe(false);

    // Again: nothing of gatehouse's is left, and it says so rather than nothing at all.
    const again = captureIO(repo.dir);
    expect(await main(["hooks", "uninstall"], again)).toBe(0);
    expect(again.out()).toBe(
      `No gatehouse hook in ${join(repo.dir, ".git/hooks")}; nothing to remove.\n`,
    );
    expect(readFileSync(theirs, "utf8")).toBe("#!/bin/sh\nexec make lint\n");
  });

  it("refuses an action it does not know", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["hooks", "instal"], io)).toBe(2);
    expect(io.err()).toBe(
      "gatehouse hooks: expects 'install' or 'uninstall', not 'instal'; did you mean 'install'? Run 'gatehouse hooks --help'.\n",
    );
  });
});

describe("the hooks at work", () => {
  let repo: TempRepo;
  let remote: string;
  beforeEach(async () => {
    repo = await governedRepo();
    adopt(repo.dir);
    repo.commit("Our people hold the roles", as("xu-ming"));
    expect(await main(["hooks", "install"], captureIO(repo.dir))).toBe(0);
    remote = mkdtempSync(join(tmpdir(), "gatehouse-remote-"));
    execFileSync("git", ["init", "-q", "--bare", remote]);
    repo.git("remote", "add", "origin", remote);
    repo.git("push", "-q", "--no-verify", "origin", "main");
    repo.git("remote", "set-head", "origin", "main");
  });
  afterEach(() => {
    repo.dispose();
    rmSync(remote, { recursive: true, force: true });
  });

  it("stops a commit that stages personal data, and lets the desensitised one through", () => {
    repo.write({ [INC_PATH]: yamlOf(incidentAt.collectedRaw) });
    git(repo, ["add", "-A"]);
    const refused = git(repo, ["commit", "-q", "-m", "INC-2026-0001: collect"]);
    expect(refused.status).not.toBe(0);
    // git hands a hook's output to the user on standard error.
    expect(refused.stderr).toMatch(
      /^incidents\/INC-2026-0001\.yaml:\d+:\d+ cn-mobile \(0\.90\) 139\*{4}5678$/m,
    );
    expect(refused.stderr).toContain(
      "gatehouse: pre-commit stopped the commit: personal data is staged (above): desensitise each file with 'gatehouse mask --in-place FILE', stage it again and commit.\n",
    );
    expect(`${refused.stdout}${refused.stderr}`).not.toContain("13912345678");
    expect(repo.git("rev-list", "--count", "HEAD").trim()).toBe("2");

    repo.write({ [INC_PATH]: yamlOf(incidentAt.collected) });
    git(repo, ["add", "-A"]);
    const passed = git(repo, ["commit", "-q", "-m", "INC-2026-0001: collect (desensitised)"]);
    expect(passed.stderr).not.toContain("stopped");
    expect(passed.status).toBe(0);
  });

  it("stops a push of a change the gate would refuse", () => {
    repo.write({ [CHG_PATH]: yamlOf(changeAt.requested) });
    git(repo, ["add", "-A"]);
    expect(git(repo, ["commit", "-q", "--no-verify", "-m", "CHG-2026-0001 requested"]).status).toBe(
      0,
    );
    git(repo, ["push", "-q", "--no-verify", "origin", "main"]);
    git(repo, ["checkout", "-q", "-b", "drop"]);
    git(repo, ["rm", "-q", CHG_PATH]);
    expect(git(repo, ["commit", "-q", "--no-verify", "-m", "Drop the change"]).status).toBe(0);
    const pushed = git(repo, ["push", "-q", "origin", "drop"]);
    expect(pushed.status).not.toBe(0);
    expect(`${pushed.stdout}${pushed.stderr}`).toContain(
      "CHG-2026-0001 was deleted; records are never deleted",
    );
    expect(pushed.stderr).toContain("gatehouse: pre-push stopped the push");
  });
});

describe("gatehouse scan --staged", () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await governedRepo();
  });
  afterEach(() => repo.dispose());

  it("scans what the commit records, not what the working tree holds", async () => {
    repo.write({ [INC_PATH]: yamlOf(incidentAt.collectedRaw) });
    repo.git("add", INC_PATH);
    repo.write({ [INC_PATH]: yamlOf(incidentAt.collected) });
    const staged = captureIO(repo.dir);
    expect(await main(["scan", "--staged"], staged)).toBe(1);
    expect(staged.out()).toMatch(
      /^incidents\/INC-2026-0001\.yaml:\d+:\d+ cn-mobile \(0\.90\) 139\*{4}5678$/m,
    );
    expect(await main(["scan"], captureIO(repo.dir))).toBe(0);

    repo.git("add", INC_PATH);
    repo.write({ [INC_PATH]: yamlOf(incidentAt.collectedRaw) });
    const clean = captureIO(repo.dir);
    expect(await main(["scan", "--staged"], clean)).toBe(0);
    expect(clean.out()).toBe("");
  });

  it("scans the staged files the privacy policy leaves out only when named", async () => {
    repo.write({ "notes/call.txt": "call 13912345678\n" });
    repo.git("add", "notes/call.txt");
    expect(await main(["scan", "--staged"], captureIO(repo.dir))).toBe(0);
    const named = captureIO(repo.dir);
    expect(await main(["scan", "--staged", "notes"], named)).toBe(1);
    expect(named.out()).toBe("notes/call.txt:1:6 cn-mobile (0.90) 139****5678\n");
  });

  it("says that it needs a clone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-plain-"));
    try {
      const io = captureIO(dir);
      expect(await main(["scan", "--staged"], io)).toBe(2);
      expect(io.err()).toBe(
        `gatehouse scan: --staged scans what git will commit, but ${dir} is not a git clone. Run 'gatehouse scan --help'.\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
