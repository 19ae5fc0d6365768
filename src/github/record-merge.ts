/**
 * The evidence of a merged pull request (`pull_request` closed with `merged: true`, a merge
 * queue's merges included). The pull request is judged again against the commit it was merged
 * onto, with the approvals it had; the document records that verdict, who merged and when, and
 * gatehouse's check as GitHub showed it. A merge whose check was not a success is a bypass: the
 * document says so, and an issue labelled `gatehouse:bypass` names who merged and what was
 * missing. A redelivered event or a second replica writes nothing new, but still opens the
 * bypass issue when the document it finds records a bypass and no delivery opened it yet.
 * Never throws: what failed is in the outcome (merge-handler.ts fails the delivery then).
 */
import { draftStatement } from "../core/evidence/build-statement.js";
import { governedMatcher } from "../core/evidence/governed.js";
import { EVIDENCE_SIGNER } from "../core/evidence/model.js";
import { loadPolicy } from "../core/policy/load-policy.js";
import { DEFAULT_CONFIG } from "../core/policy/model.js";
import type { SigningKey } from "../core/evidence/sign.js";
import type { Login, Snapshot, Verdict } from "../core/types.js";
import { ensureBypassIssue, type BypassIssue } from "./bypass-issue.js";
import type { JudgeContext, JudgeDeps } from "./judge-pull-request.js";
import type { LoadedPullRequest } from "./load-snapshot.js";
import { mergeFacts } from "./merge-facts.js";
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

/** The bypass issue: found or opened, not needed, or what went wrong. */
export type BypassStep = BypassIssue | { kind: "none" } | { kind: "error"; reason: string };

export type MergeOutcome =
  | {
      kind: "written";
      append: Extract<GitHubAppend, { kind: "written" }>;
      verdict: Verdict;
      bypass: BypassStep;
    }
  | { kind: "exists"; verdict: Verdict; bypass: BypassStep }
  | { kind: "skipped"; reason: string }
  | { kind: "error"; reason: string };

/** The merged pull request as loaded at its merge: judged against `onto`, at its merge time. */
export interface MergedLoad {
  loaded: LoadedPullRequest;
  onto: string;
}

/** Writes the evidence of one merge (see the file comment). */
export async function recordMerge(
  context: JudgeContext,
  deps: Pick<JudgeDeps, "evaluate" | "appId" | "store">,
  pull: MergedPull,
  signer: SigningKey,
  { loaded, onto }: MergedLoad,
): Promise<MergeOutcome> {
  const log = context.log.child({ merged: `${pull.owner}/${pull.repo}#${pull.number}` });
  try {
    const repo = { owner: pull.owner, repo: pull.repo };
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
    const written =
      append.kind === "exists" ? append.statement.predicate : append.statements.at(-1)!.predicate;
    if (append.kind === "exists") log.info({ merge: pull.merge }, "evidence already written");
    else {
      log.info(
        { merge: pull.merge, sequence: written.sequence, bypass: written.bypass !== null },
        "evidence written",
      );
    }
    // The document decides, also on a redelivery: an earlier delivery may have written it and
    // then failed to open the issue.
    let bypass: BypassStep = { kind: "none" };
    if (written.bypass) {
      bypass = await ensureBypassIssue(context.octokit, deps, repo, { pull, written, verdict })
        .then((issue) => {
          log.info({ merge: pull.merge, issue: issue.number }, `bypass issue ${issue.kind}`);
          return issue;
        })
        .catch((error: unknown) => {
          const reason = describeError(error);
          log.error({ merge: pull.merge, reason }, "could not open the bypass issue");
          return { kind: "error", reason } as const;
        });
    }
    return append.kind === "exists"
      ? { kind: "exists", verdict, bypass }
      : { kind: "written", append, verdict, bypass };
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
