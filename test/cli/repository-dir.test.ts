/**
 * A new user runs gatehouse where they stand, as they run git: from `changes/`, from
 * `policies/keys/`. The commands that work on the files of a governed repository find it above.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { repositoryDir } from "../../src/cli/repository-dir.js";
import { captureIO } from "./capture-io.js";
import { adopt } from "./governed-repo.js";

describe("the repository a command works on", () => {
  let dir: string;
  const year = new Date().getUTCFullYear();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-where-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const gitInit = (at: string) => execFileSync("git", ["init", "-q", at]);

  it("is the clone's governed top when gatehouse runs in a subfolder", async () => {
    gitInit(dir);
    expect(await main(["init"], captureIO(dir))).toBe(0);
    adopt(dir);
    const created = captureIO(join(dir, "changes"));
    expect(await main(["new", "change", "--title", "From changes/"], created)).toBe(0);
    expect(created.out()).toBe(`changes/CHG-${year}-0001.yaml\n`);
    expect(existsSync(join(dir, `changes/CHG-${year}-0001.yaml`))).toBe(true);
    expect(existsSync(join(dir, "changes/changes"))).toBe(false);

    const fromKeys = captureIO(join(dir, "policies/keys"));
    expect(await main(["validate"], fromKeys), fromKeys.out() + fromKeys.err()).toBe(0);
    expect(fromKeys.out()).toBe("1 record and the policy are valid.\n");
    // A path named from the subfolder is read from there.
    const named = captureIO(join(dir, "changes"));
    expect(await main(["validate", `CHG-${year}-0001.yaml`], named)).toBe(0);
    expect(named.out()).toBe("1 record and the policy are valid.\n");
  });

  it("is the nearest governed folder below the clone's top, and the folder itself outside a clone", async () => {
    gitInit(dir);
    const team = join(dir, "teams", "payments");
    mkdirSync(join(team, "changes", "2026"), { recursive: true });
    writeFileSync(join(team, "notes.txt"), "");
    mkdirSync(join(team, ".github"));
    writeFileSync(join(team, ".github/gatehouse.yml"), "");
    expect(await repositoryDir(join(team, "changes", "2026"), undefined)).toBe(team);
    expect(await repositoryDir(join(dir, "teams"), undefined)).toBe(dir);
    expect(await repositoryDir(join(dir, "teams"), "payments")).toBe(team);
    const outside = mkdtempSync(join(tmpdir(), "gatehouse-nowhere-"));
    try {
      expect(await repositoryDir(outside, undefined)).toBe(outside);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("keeps the path the user stands on when it reaches the clone through a symbolic link", async () => {
    const real = join(dir, "real");
    mkdirSync(join(real, "changes"), { recursive: true });
    gitInit(real);
    symlinkSync(real, join(dir, "link"));
    expect(await repositoryDir(join(dir, "link", "changes"), undefined)).toBe(join(dir, "link"));
  });
});
