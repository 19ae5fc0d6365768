/** `validate` finds records wherever they stand, as `check` judges them. */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { TempRepo } from "../git/temp-repo.js";
import { captureIO } from "./capture-io.js";
import { adopt, as, CHANGE, governedRepo } from "./governed-repo.js";

describe("gatehouse validate on records outside the record folders", () => {
  let repo: TempRepo;

  beforeAll(async () => {
    repo = await governedRepo();
    // Its people hold every role, so that validate has nothing else to say.
    adopt(repo.dir);
    repo.commit("Our people hold the roles", as("xu-ming"));
  });
  afterAll(() => repo.dispose());

  it("says valid for a repository whose only record-shaped files are its templates", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["validate"], io)).toBe(0);
  });

  it.each([
    ["outside any record folder", "docs/CHG-2026-0001.yaml", /declares a ChangeRequest/],
    ["in a folder spelt in capitals", "Changes/CHG-2026-0001.yaml", /live in changes\/ exactly/],
    ["under another extension", "changes/CHG-2026-0001.txt", /ends in \.yaml or \.yml/],
    ["written as JSON, not yet committed", "notes/draft.json", /declares a ChangeRequest/],
  ])("reports a record %s, with its place", async (_what, path, message) => {
    const text = path.endsWith(".json")
      ? JSON.stringify({ kind: "ChangeRequest", id: "CHG-2026-0001" })
      : CHANGE;
    repo.write({ [path]: text });
    try {
      const io = captureIO(repo.dir);
      expect(await main(["validate"], io)).toBe(1);
      const lines = io
        .out()
        .split("\n")
        .filter((l) => l.startsWith(`${path}:`));
      expect(lines.some((l) => message.test(l))).toBe(true);
    } finally {
      repo.git("clean", "-q", "-fdx", "--", path.split("/")[0] ?? path);
    }
  });

  it("leaves a record-shaped file that .gitignore excludes to git", async () => {
    repo.write({ ".gitignore": "scratch/\n", "scratch/CHG-2026-0001.yaml": CHANGE });
    try {
      const io = captureIO(repo.dir);
      expect(await main(["validate"], io)).toBe(0);
    } finally {
      repo.git("clean", "-q", "-fdx");
    }
  });
});

describe("gatehouse validate on a symbolic link", () => {
  let repo: TempRepo;
  let outside: string;

  beforeAll(async () => {
    repo = await governedRepo();
    adopt(repo.dir);
    repo.commit("Our people hold the roles", as("xu-ming"));
    outside = mkdtempSync(join(tmpdir(), "gatehouse-outside-"));
    writeFileSync(join(outside, "secret.txt"), "customer 13800138000 owes 1,000,000\n");
  });
  afterAll(() => {
    repo.dispose();
    rmSync(outside, { recursive: true, force: true });
  });

  it("refuses a link where a record goes and never reads or prints what it points to", async () => {
    symlinkSync(join(outside, "secret.txt"), join(repo.dir, "changes", "CHG-2026-0009.yaml"));
    try {
      const io = captureIO(repo.dir);
      expect(await main(["validate"], io)).toBe(1);
      const out = io.out() + io.err();
      expect(out).toMatch(/changes\/CHG-2026-0009\.yaml:1:1 .*is a symbolic link/);
      // Neither the linked file's text nor a finding about it: only the link itself is judged.
      expect(out).not.toMatch(/mobile number|8000|owes/);
    } finally {
      rmSync(join(repo.dir, "changes", "CHG-2026-0009.yaml"));
    }
  });
});
