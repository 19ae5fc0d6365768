/**
 * `gatehouse keys verify [RANGE]`: every commit of a branch judged by the signature rule, with
 * the keyring and policy the GitHub App would use (the base branch's tip), so that what it
 * says before a push is what the check will say after it.
 */
import { resolve } from "node:path";
import { identityMap, resolveLogin } from "../../core/evaluate/resolve-login.js";
import { loadPolicy } from "../../core/policy/load-policy.js";
import { judgeCommit } from "../../core/signatures/judge-commit.js";
import { keyringIdentities, loadKeyring, WEB_FLOW_LOGIN } from "../../core/signatures/keyring.js";
import { readContextFile } from "../../git/context.js";
import { readPolicyFilesAt } from "../../git/keys-at-ref.js";
import { readCommits } from "../../git/raw-commit.js";
import { readerEmails as readEmails } from "../../git/reader-emails.js";
import { openRepository, resolveRange } from "../../git/refs.js";
import { painter, useColor } from "../color.js";
import type { ParsedArgs } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { parseNow } from "../parse-now.js";

/** "1 commit", "3 commits". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export async function verifyRange(
  args: ParsedArgs,
  range: string | undefined,
  io: CliIO,
): Promise<number> {
  const root = await openRepository(
    resolve(io.cwd, (args.values.repo as string | undefined) ?? "."),
  );
  const contextPath = args.values.context as string | undefined;
  const context =
    contextPath === undefined ? undefined : await readContextFile(resolve(io.cwd, contextPath));
  const now = parseNow(args.values.now as string | undefined) ?? new Date();
  const [baseName, headName] = range === undefined ? [undefined, "HEAD"] : splitRange(range);
  const { baseRef, baseTip, mergeBase, headSha } = await resolveRange(
    root,
    baseName,
    headName,
    "pass a RANGE such as main..HEAD",
  );
  const shown = `${baseRef}..${headName}`;

  // The keyring and policy of the base branch's tip, as for a pull request: a key added on
  // the branch itself is not trusted for it, and a key revoked on the base since the branch
  // was cut is not trusted either.
  const files = await readPolicyFilesAt(root, baseTip);
  const keyring = await loadKeyring(files.keys);
  const policy = loadPolicy(files.files);
  const trustGithubWebCommits =
    policy.ok && policy.policy.workflows.signatures.trustGithubWebCommits;
  const identities = {
    known: identityMap(Object.entries(context?.identities ?? {})),
    extra: keyringIdentities(keyring),
  };
  const keysAt = `${files.dir}/keys of ${baseRef} at ${baseTip.slice(0, 7)}`;

  const readerEmails = new Set(await readEmails(root, io.env));
  const commits = await readCommits(root, `${mergeBase}..${headSha}`);
  const paint = painter(useColor(io));
  let failed = 0;
  for (const commit of commits) {
    const short = commit.sha.slice(0, 7);
    const judgement = await judgeCommit(commit, keyring, {
      authorLogin: resolveLogin(commit.author, identities),
      trustGithubWebCommits,
      keysDir: `${files.dir}/keys`,
      now,
      readerEmails,
    });
    if (judgement.status === "satisfied") {
      const key = judgement.key;
      const text =
        key && key.login !== WEB_FLOW_LOGIN
          ? `signed by ${key.login} (${key.algorithm} ${key.id})`
          : judgement.reason;
      io.stdout.write(`${paint("green", "✔")} ${short} ${text}\n`);
    } else {
      failed++;
      io.stdout.write(`${paint("red", "✖")} ${short} ${judgement.reason}\n`);
    }
  }
  io.stdout.write(`${summary(commits.length, failed, shown, keysAt)}\n`);
  return failed > 0 ? EXIT.blocked : EXIT.clear;
}

/** The last line: how many commits of which range pass, in words that agree with the count. */
function summary(total: number, failed: number, range: string, keysAt: string): string {
  if (total === 0) return `No commits in ${range}: nothing to verify.`;
  if (failed === 0) {
    return total === 1
      ? `The 1 commit in ${range} is signed by its author's trusted key (${keysAt}).`
      : `All ${total} commits in ${range} are signed by their authors' trusted keys (${keysAt}).`;
  }
  if (total === 1) {
    return `The 1 commit in ${range} fails; it must be signed by its author's key in ${keysAt}.`;
  }
  return `${failed} of ${count(total, "commit")} in ${range} ${failed === 1 ? "fails" : "fail"}; each must be signed by its author's key in ${keysAt}.`;
}

/** "BASE..HEAD" (HEAD may be left out). Git ref names cannot contain "..", so the split is safe. */
function splitRange(range: string): [string, string] {
  const at = range.indexOf("..");
  if (at <= 0 || range.includes("...")) {
    throw new UsageError(`RANGE must be BASE..HEAD (for example main..HEAD), not '${range}'.`);
  }
  return [range.slice(0, at), range.slice(at + 2) || "HEAD"];
}
