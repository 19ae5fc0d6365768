/**
 * The `signatures` stage of the evaluation: when workflows.yml requires signatures for a path
 * the pull request touches, every commit must be signed by its author's trusted key.
 */
import { pathMatcher } from "../paths/path-matcher.js";
import type { EvaluationContext } from "../evaluate/context.js";
import { resolveLogin } from "../evaluate/resolve-login.js";
import type { Stage } from "../evaluate/stage.js";
import type { Policy } from "../policy/model.js";
import { worstStatus, type Login, type RuleResult } from "../types.js";
import { judgeCommit } from "./judge-commit.js";
import { keyringIdentities, loadKeyring, type KeyFiles } from "./keyring.js";

const ID = "signatures";

function leaf(id: string, status: RuleResult["status"], reason: string): RuleResult {
  return { id, status, reason, children: [] };
}

/** Whether the pull request touches a path that needs signed commits. */
function touchesSignedPath(ctx: EvaluationContext): boolean {
  const paths = ctx.policy.workflows.signatures.paths;
  // Required without paths means required everywhere: an empty list must not switch it off.
  if (paths.length === 0) return true;
  const matches = pathMatcher(paths);
  return ctx.snapshot.changed.some(
    (file) => matches(file.path) || (file.previousPath !== undefined && matches(file.previousPath)),
  );
}

const ALWAYS_SHOWN = new Set(["keys/private-key", "keys/shared-email"]);
const alwaysShown = (finding: { code: string }) => ALWAYS_SHOWN.has(finding.code);

/** Runs the signature rule over every commit of the pull request. */
async function run(ctx: EvaluationContext): Promise<RuleResult | null> {
  const rule = ctx.policy.workflows.signatures;
  if (!rule.required)
    return leaf(ID, "skipped", "signed commits are not required by workflows.yml");
  if (!touchesSignedPath(ctx)) {
    return leaf(ID, "skipped", "no changed file matches signatures.paths of workflows.yml");
  }
  const commits = ctx.snapshot.commits;
  if (commits.length === 0) {
    return leaf(ID, "failed", "the pull request lists no commits, so no signature can be checked");
  }
  const keysDir = `${ctx.policy.config.policies}/keys`;
  const keyring = await loadKeyring(keyFiles(ctx.policy.keys, ctx.snapshot.base.binary, keysDir));
  const readerEmails = new Set((ctx.snapshot.readerEmails ?? []).map((e) => e.toLowerCase()));
  const children = await Promise.all(
    commits.map(async (commit): Promise<RuleResult> => {
      const short = commit.sha.slice(0, 7);
      const judgement = await judgeCommit(commit, keyring, {
        authorLogin: resolveLogin(commit.author, ctx.identities),
        trustGithubWebCommits: rule.trustGithubWebCommits,
        keysDir,
        now: ctx.snapshot.now,
        readerEmails,
      });
      // The reason names its commit so that it stands alone (the verdict's title quotes it).
      return leaf(`${ID}/${short}`, judgement.status, `${short} ${judgement.reason}`);
    }),
  );
  const failed = children.filter((c) => c.status === "failed");
  const first = failed[0];
  const reason = first
    ? children.length === 1
      ? `the commit fails the signature rule: ${first.reason}`
      : `${failed.length} of ${children.length} commits fail the signature rule; first: ${first.reason}`
    : children.length === 1
      ? "the commit is signed by its author's trusted key"
      : `all ${children.length} commits are signed by their authors' trusted keys`;
  const result: RuleResult = {
    id: ID,
    status: worstStatus(children.map((c) => c.status)),
    reason,
    children,
  };
  // A key file that cannot be read often explains why a commit's key "belongs to nobody"; a
  // leaked private key or an e-mail two logins claim is worth knowing even when all pass.
  const shown = failed.length > 0 ? keyring.problems : keyring.problems.filter(alwaysShown);
  if (shown.length > 0) result.findings = shown;
  return result;
}

/** The key files of the policy, with the binary files of the keys directory beside them. */
function keyFiles(
  text: Map<string, string>,
  binary: Map<string, Uint8Array> | undefined,
  keysDir: string,
): KeyFiles {
  const inDir = [...(binary ?? [])].filter(([path]) => path.startsWith(`${keysDir}/`));
  return inDir.length === 0 ? text : new Map<string, string | Uint8Array>([...text, ...inDir]);
}

/**
 * E-mail -> login from the trusted keys: the e-mails in OpenPGP user ids and the e-mail
 * principals of SSH allowed-signers lines, each mapped to the login its file is named after.
 */
async function identities(policy: Policy): Promise<Map<string, Login>> {
  return keyringIdentities(await loadKeyring(policy.keys));
}

/** The signature stage; the evaluator runs it after the core rules. */
export const signaturesStage: Stage = { name: ID, identities, run };
