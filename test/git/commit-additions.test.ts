import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { readAdditions } from "../../src/git/commit-additions.js";
import { captureIO } from "../cli/capture-io.js";
import { as, CHANGE, contextFile, governedRepo } from "../cli/governed-repo.js";
import { tempRepo, type TempRepo } from "./temp-repo.js";

const MB = 1024 * 1024;

describe("readAdditions", () => {
  let repo: TempRepo;
  let base: string;
  beforeEach(() => {
    repo = tempRepo();
    repo.write({ "incidents/INC-1.yaml": "id: INC-1\nsymptoms: slow\n" });
    base = repo.commit("base");
    repo.git("checkout", "-q", "-b", "topic");
  });
  afterEach(() => repo.dispose());

  it("gives what each commit added, oldest first, with line numbers in that commit", () => {
    repo.write({ "incidents/INC-1.yaml": "id: INC-1\nsymptoms: slow\ncaller: 13800138000\n" });
    const first = repo.commit("add the caller");
    repo.write({ "incidents/INC-1.yaml": "id: INC-1\nsymptoms: slow\ncaller: 138****8000\n" });
    const second = repo.commit("mask the caller");
    return expect(readAdditions(repo.dir, base, second, MB)).resolves.toStrictEqual([
      {
        sha: first,
        files: [{ path: "incidents/INC-1.yaml", text: "caller: 13800138000", lines: [3] }],
      },
      {
        sha: second,
        files: [{ path: "incidents/INC-1.yaml", text: "caller: 138****8000", lines: [3] }],
      },
    ]);
  });

  it("reads new files whole, renames as names, and leaves deleted files out", async () => {
    repo.write({ "incidents/a b.log": "one\ntwo\n", "incidents/新.log": "x\n" });
    repo.commit("add");
    repo.git("mv", "incidents/a b.log", "incidents/moved.log");
    repo.remove("incidents/新.log");
    const head = repo.commit("move and delete");
    const [added, moved] = await readAdditions(repo.dir, base, head, MB);
    expect(added?.files.map((f) => [f.path, f.text, f.lines])).toStrictEqual([
      ["incidents/a b.log", "one\ntwo", [1, 2]],
      ["incidents/新.log", "x", [1]],
    ]);
    expect(moved?.files).toStrictEqual([{ path: "incidents/moved.log", text: "", lines: [] }]);
  });

  it("reads names git quotes (quotes, newlines) as they are", async () => {
    repo.write({ 'incidents/say "hi"\n.log': "hello\n" });
    const head = repo.commit("odd name");
    const [commit] = await readAdditions(repo.dir, base, head, MB);
    expect(commit?.files.map((f) => f.path)).toStrictEqual(['incidents/say "hi"\n.log']);
  });

  it("marks a binary file and a file beyond the size limit as unreadable", async () => {
    repo.write({
      "incidents/dump.bin": Buffer.from([0, 1, 2, 0]),
      "incidents/big.log": "x".repeat(200),
    });
    const head = repo.commit("binary and big");
    const [commit] = await readAdditions(repo.dir, base, head, 100);
    expect(commit?.files.map((f) => [f.path, f.unreadable])).toStrictEqual([
      ["incidents/big.log", "too large"],
      ["incidents/dump.bin", "binary"],
    ]);
  });

  it("gives a merge only what is new to every parent", async () => {
    repo.write({ "incidents/INC-2.yaml": "id: INC-2\n" });
    repo.commit("on topic");
    repo.git("checkout", "-q", "main");
    repo.write({ "incidents/INC-3.yaml": "caller: 13900139000\n" });
    repo.commit("on main");
    repo.git("checkout", "-q", "topic");
    repo.git("-c", "user.name=w", "-c", "user.email=w@x", "merge", "-q", "--no-edit", "main");
    const clean = repo.git("rev-parse", "HEAD").trim();
    const additions = await readAdditions(repo.dir, base, clean, MB);
    const merge = additions.find((c) => c.sha === clean);
    expect(merge?.files ?? []).toStrictEqual([]);
    // An evil merge: the merge commit itself brings a line neither parent had.
    repo.write({ "incidents/INC-2.yaml": "id: INC-2\nnote: 110101199003074573\n" });
    repo.git("add", "-A");
    repo.git("-c", "user.name=w", "-c", "user.email=w@x", "commit", "-q", "--amend", "--no-edit");
    const evil = repo.git("rev-parse", "HEAD").trim();
    const evilMerge = (await readAdditions(repo.dir, base, evil, MB)).find((c) => c.sha === evil);
    expect(evilMerge?.files).toStrictEqual([
      { path: "incidents/INC-2.yaml", text: "note: 110101199003074573", lines: [2] },
    ]);
  });
});

describe("gatehouse check reads every commit of the branch", () => {
  let repo: TempRepo;
  let scratch: string;
  beforeEach(async () => {
    repo = await governedRepo();
    scratch = mkdtempSync(join(tmpdir(), "gatehouse-history-"));
    repo.git("checkout", "-q", "-b", "inc-1");
  });
  afterEach(() => {
    repo.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function check(): Promise<{ code: number; out: string; json: Record<string, unknown> }> {
    const context = contextFile(
      scratch,
      "ctx.yml",
      "author: liu-yang\napprovals: [{ user: li-na }]\n",
    );
    const io = captureIO(repo.dir);
    const code = await main(["check", "--context", context, "--format", "json"], io);
    return { code, out: io.out(), json: JSON.parse(io.out()) as Record<string, unknown> };
  }

  it("fails on a value that one commit added and the next masked, naming that commit", async () => {
    repo.write({ "changes/CHG-2026-0001.yaml": `${CHANGE}  # caller 13800138000\n` });
    const leaked = repo.commit("CHG-2026-0001", as("liu-yang"));
    repo.write({ "changes/CHG-2026-0001.yaml": `${CHANGE}  # caller 138****8000\n` });
    repo.commit("mask the caller", as("liu-yang"));
    const { code, out, json } = await check();
    expect(code).toBe(1);
    expect(out).not.toContain("13800138000");
    const finding = (json.findings as Array<Record<string, unknown>>).find(
      (f) => f.code === "privacy/history/cn-mobile",
    );
    expect(finding).toMatchObject({ path: "changes/CHG-2026-0001.yaml", line: 10 });
    expect(finding?.message).toContain(`commit ${leaked.slice(0, 7)} added`);
    expect(finding?.message).toContain("Rewrite the branch");
  });

  it("fails on a value that one commit added and a later one removed, line and file alike", async () => {
    repo.write({
      "changes/CHG-2026-0001.yaml": `${CHANGE}  # caller 13800138000\n`,
      "incidents/call.log": "called by 110101199003074573\n",
    });
    const leaked = repo.commit("CHG-2026-0001", as("liu-yang"));
    repo.write({ "changes/CHG-2026-0001.yaml": CHANGE });
    repo.remove("incidents/call.log");
    repo.commit("remove the caller", as("liu-yang"));
    const { code, out, json } = await check();
    expect(code).toBe(1);
    expect(out).not.toContain("13800138000");
    expect(out).not.toContain("110101199003074573");
    const history = (json.findings as Array<Record<string, unknown>>).filter((f) =>
      String(f.code).startsWith("privacy/history/"),
    );
    expect(history.map((f) => [f.code, f.path])).toEqual(
      expect.arrayContaining([
        ["privacy/history/cn-mobile", "changes/CHG-2026-0001.yaml"],
        ["privacy/history/cn-id", "incidents/call.log"],
      ]),
    );
    for (const f of history) expect(f.message).toContain(`commit ${leaked.slice(0, 7)} added`);
  });

  it("passes once the branch is rewritten so that no commit holds the value", async () => {
    repo.write({ "changes/CHG-2026-0001.yaml": `${CHANGE}  # caller 138****8000\n` });
    repo.commit("CHG-2026-0001", as("liu-yang"));
    repo.write({ "changes/CHG-2026-0001.yaml": `${CHANGE}  # caller 138****8000, called back\n` });
    repo.commit("note", as("liu-yang"));
    const { json } = await check();
    expect(JSON.stringify(json.findings)).not.toContain("privacy/");
  });

  it("fails on a file a commit added under a name holding personal data and a later one renamed", async () => {
    repo.write({ "incidents/13800138000.log": "called\n" });
    const named = repo.commit("log", as("liu-yang"));
    repo.git("mv", "incidents/13800138000.log", "incidents/call.log");
    repo.commit("rename", as("liu-yang"));
    const { out, json } = await check();
    expect(out).not.toContain("13800138000");
    const finding = (json.findings as Array<Record<string, unknown>>).find(
      (f) => f.code === "privacy/name/cn-mobile",
    );
    expect(finding).toMatchObject({ path: "incidents/138****8000.log" });
    expect(finding?.message).toContain(named.slice(0, 7));
  });
});
