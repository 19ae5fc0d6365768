/**
 * A repository governed by the finance pack with signatures required, whose commits real GnuPG
 * and ssh-keygen sign, and the two commands that judge its signatures: `check` and
 * `keys verify`. Tests use it to show that both say the same about every commit.
 */
import { PassThrough } from "node:stream";
import { join } from "node:path";
import { demoPack } from "../../../src/cli/demo/demo-pack.js";
import { initFiles } from "../../../src/cli/init-files.js";
import type { CliIO } from "../../../src/cli/io.js";
import { main } from "../../../src/cli/main.js";
import type { RuleResult } from "../../../src/core/types.js";
import { TestRepo, type GpgHome } from "./signed-repo.js";

export interface Run {
  status: number;
  out: string;
  err: string;
}

/** Runs `gatehouse ARGS` in `cwd`, capturing what it prints. */
export async function gatehouse(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  let out = "";
  let err = "";
  const io: CliIO = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: new PassThrough(),
    cwd,
    env: { NO_COLOR: "1", ...env },
  };
  const status = await main(args, io);
  return { status, out, err };
}

/** A repository on `main` with the finance pack and the given key files, in one commit. */
export async function governedSignedRepo(
  dir: string,
  gnupg: GpgHome | undefined,
  keys: Record<string, string>,
): Promise<TestRepo> {
  const repo = new TestRepo(join(dir, "repo"), gnupg);
  const people = [{ login: "xu-ming", role: "security-admin" }];
  for (const [path, content] of demoPack(await initFiles("finance"), people, new Map())) {
    repo.write(path, content);
  }
  for (const [name, content] of Object.entries(keys)) repo.write(`policies/keys/${name}`, content);
  return repo;
}

/** The `signatures` node of `check --format json` on HEAD, with the commit lines. */
export async function checkSignatures(
  repo: TestRepo,
  extra: string[] = [],
): Promise<{ node: RuleResult; run: Run; json: Record<string, unknown> }> {
  const run = await gatehouse(
    ["check", "--repo", repo.dir, "--format", "json", ...extra],
    repo.dir,
  );
  if (run.status === 2) throw new Error(`check failed: ${run.err}`);
  const json = JSON.parse(run.out) as { rules: RuleResult };
  const node = json.rules.children.find((c) => c.id === "signatures");
  if (!node) throw new Error("check printed no signatures rule");
  return { node, run, json };
}

/** One commit as `keys verify` shows it. */
export interface VerifyLine {
  ok: boolean;
  text: string;
}

/** `keys verify` on HEAD's branch: each commit's line by short sha, and the last line. */
export async function verifyLines(
  repo: TestRepo,
  extra: string[] = [],
): Promise<{ lines: Map<string, VerifyLine>; last: string; run: Run }> {
  const run = await gatehouse(["keys", "verify", "--repo", repo.dir, ...extra], repo.dir);
  const all = run.out.trimEnd().split("\n");
  const lines = new Map<string, VerifyLine>();
  for (const line of all.slice(0, -1)) {
    lines.set(line.slice(2, 9), { ok: line.startsWith("✔"), text: line.slice(10) });
  }
  return { lines, last: all.at(-1) ?? "", run };
}

/**
 * What `check` and `keys verify` say of each commit of HEAD's branch, by short sha: whether it
 * passes and why, so that a test can show they agree (a failing commit has the same reason in
 * both).
 */
export async function bothVerdicts(
  repo: TestRepo,
  extra: string[] = [],
): Promise<Map<string, { check: VerifyLine; verify: VerifyLine | undefined }>> {
  const { node } = await checkSignatures(repo, extra);
  const { lines } = await verifyLines(repo, extra);
  const result = new Map<string, { check: VerifyLine; verify: VerifyLine | undefined }>();
  for (const child of node.children) {
    const short = child.reason.slice(0, 7);
    result.set(short, {
      check: { ok: child.status === "satisfied", text: child.reason.slice(8) },
      verify: lines.get(short),
    });
  }
  return result;
}

/** Expects `check` and `keys verify` to agree on every commit; returns check's view of them. */
export async function agreedVerdicts(
  repo: TestRepo,
  extra: string[] = [],
): Promise<Map<string, VerifyLine>> {
  // One judgement time for both, so that reasons naming it can be compared word for word.
  const now = extra.includes("--now") ? [] : ["--now", new Date().toISOString()];
  const both = await bothVerdicts(repo, [...extra, ...now]);
  const agreed = new Map<string, VerifyLine>();
  for (const [short, { check, verify }] of both) {
    if (
      verify === undefined ||
      verify.ok !== check.ok ||
      (!check.ok && verify.text !== check.text)
    ) {
      throw new Error(
        `check and keys verify disagree on ${short}:\n  check:  ${JSON.stringify(check)}\n  verify: ${JSON.stringify(verify)}`,
      );
    }
    agreed.set(short, check);
  }
  return agreed;
}
