/**
 * The evidence of a merged pull request (`pull_request` closed with `merged: true`, a merge
 * queue's merges included). The pull request is judged again against the commit it was merged
 * onto, with the approvals it had; the document records that verdict, who merged and when, and
 * gatehouse's check as GitHub showed it. A merge whose check was not a success is a bypass: the
 * document says so, and an issue labelled `gatehouse:bypass` names who merged and what was
 * missing. A redelivered event or a second replica writes nothing new. Never throws.
 */
import { draftStatement } from "../core/evidence/build-statement.js";
import { governedMatcher } from "../core/evidence/governed.js";
import { EVIDENCE_SIGNER } from "../core/evidence/model.js";
import { loadPolicy } from "../core/policy/load-policy.js";
import { DEFAULT_CONFIG } from "../core/policy/model.js";
import type { Login, Snapshot } from "../core/types.js";
import { openBypassIssue } from "./bypass-issue.js";
import { evidenceSigner } from "./evidence-key.js";
import { loadForJudgement, type JudgeContext, type JudgeDeps } from "./judge-pull-request.js";
import { mergedOnto, mergeFacts } from "./merge-facts.js";
import { describeError } from "./redact.js";
import { CHECK_NAME } from "./report-check.js";
import { appendGitHubEvidence, type GitHubAppend } from "./write-ledger.js";

export interface MergedPull {
  owner: string;
  repo: string;
  number: number;
  merge: string;
  mergedBy: Login | null;
  mergedAt: string;
  /** The pull request's page, for the issue. */
  url?: string;
}

export type MergeOutcome =
  | { kind: "written"; append: Extract<GitHubAppend, { kind: "written" }>; issue: number | null }
  | { kind: "exists" }
  | { kind: "skipped"; reason: string }
  | { kind: "error"; reason: string };

/** Writes the evidence of one merge (see the file comment). */
export async function recordMerge(
  context: JudgeContext,
  deps: Pick<JudgeDeps, "evaluate" | "appId" | "store">,
  pull: MergedPull,
): Promise<MergeOutcome> {
  const log = context.log.child({ merged: `${pull.owner}/${pull.repo}#${pull.number}` });
  try {
    const signer = await evidenceSigner();
    if (!signer) {
      log.warn("no GATEHOUSE_EVIDENCE_KEY: the merge leaves no evidence");
      return { kind: "skipped", reason: "no evidence key is configured" };
    }
    const repo = { owner: pull.owner, repo: pull.repo };
    const onto = await mergedOnto(context.octokit, repo, pull.merge);
    // Judged as at the merge: against the commit it merged onto, at the time it was merged.
    const { loaded } = await loadForJudgement(context, deps, pull, {
      onto,
      at: new Date(pull.mergedAt),
    });
    const { snapshot } = loaded;
    const load = loadPolicy(snapshot.base.files);
    if (load.ok && !touchesGoverned(snapshot, governedMatcher(load.policy))) {
      return { kind: "skipped", reason: "the pull request changes no governed path" };
    }
    const verdict = await deps.evaluate(snapshot);
    const recordPaths = verdict.records.map((r) => r.path);
    const facts = await mergeFacts(
      context.octokit,
      repo,
      pull.merge,
      recordPaths,
      snapshot.commits,
    );
    const draft = draftStatement(
      {
        repository: snapshot.repo,
        commitUrl: `https://github.com/${snapshot.repo}/commit/${pull.merge}`,
        pullRequest: { number: pull.number, author: snapshot.author },
        baseRef: loaded.baseRef,
        merge: {
          sha: pull.merge,
          by: pull.mergedBy,
          at: new Date(pull.mergedAt),
          commits: facts.commits,
        },
        check: {
          name: CHECK_NAME,
          id: loaded.ownRun?.id ?? null,
          conclusion: loaded.ownRun ? (loaded.ownRun.conclusion ?? "in_progress") : null,
        },
        recordBlobs: facts.recordBlobs,
        writtenAt: new Date(),
      },
      snapshot,
      verdict,
    );
    const append = await appendGitHubEvidence(context.octokit, repo, {
      draft,
      signer,
      baselineAt: onto,
      config: load.ok ? load.policy.config : DEFAULT_CONFIG,
      mayStart: !trustsEvidenceKey(load.ok ? load.policy.keys : new Map()),
    });
    if (append.kind === "exists") {
      log.info({ merge: pull.merge }, "evidence already written");
      return { kind: "exists" };
    }
    const written = append.statements.at(-1)!.predicate;
    log.info(
      { merge: pull.merge, sequence: written.sequence, bypass: written.bypass !== null },
      "evidence written",
    );
    let issue: number | null = null;
    if (written.bypass) {
      issue = await openBypassIssue(context.octokit, repo, pull, written, verdict).catch(
        (error: unknown) => {
          log.error({ reason: describeError(error) }, "could not open the bypass issue");
          return null;
        },
      );
    }
    return { kind: "written", append, issue };
  } catch (error) {
    const reason = describeError(error);
    log.error({ merge: pull.merge, reason }, "could not write the merge's evidence");
    return { kind: "error", reason };
  }
}

function touchesGoverned(snapshot: Snapshot, governed: (path: string) => boolean): boolean {
  return snapshot.changed.some(
    (f) => governed(f.path) || (f.previousPath !== undefined && governed(f.previousPath)),
  );
}

/** Whether the policy's keys include one for evidence (then a missing ledger was deleted). */
function trustsEvidenceKey(keys: Map<string, string>): boolean {
  return [...keys.keys()].some((path) => path.endsWith(`/keys/${EVIDENCE_SIGNER}.asc`));
}
