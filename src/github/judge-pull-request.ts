/**
 * Judges one pull request from GitHub's current state and reports the verdict on its head. The
 * event that triggered it only says which pull request: the head, reviews and policy are always
 * loaded fresh, so a duplicate or late delivery judges the current head and never posts on a
 * stale sha. Every failure ends in a failing check that says why.
 */
import type { Context } from "probot";
import type { Snapshot, Verdict } from "../core/types.js";
import { appOptions } from "./app-options.js";
import { rateLimitReason } from "./github-client.js";
import { loadSnapshot, type PullRequestRef } from "./load-snapshot.js";
import { policyTeams } from "./policy-teams.js";
import { describeError } from "./redact.js";
import { CHECK_NAME, reportCheck } from "./report-check.js";
import { requestReviews } from "./request-reviews.js";

export type Evaluate = (snapshot: Snapshot) => Promise<Verdict>;

export interface JudgeRequest extends PullRequestRef {
  /** The head sha the event named; where an error is reported when loading fails. */
  headSha?: string;
  /** Post the check run on this sha instead of the pull request's head (a merge group's head). */
  postOn?: string;
}

export type JudgeOutcome =
  | { kind: "closed" }
  | { kind: "judged"; verdict: Verdict; snapshot: Snapshot }
  | { kind: "error"; reason: string };

/** What a judgement needs of a webhook context; the octokit may be a judging client of its own. */
export type JudgeContext = Pick<Context, "octokit" | "config" | "log">;

/** Loads, evaluates and reports one pull request. Never throws. */
export async function judgePullRequest(
  context: JudgeContext,
  evaluate: Evaluate,
  request: JudgeRequest,
): Promise<JudgeOutcome> {
  const { owner, repo } = request;
  const log = context.log.child({ pull: `${owner}/${repo}#${request.number}` });
  let sha = request.postOn ?? request.headSha;
  let checkId: number | undefined;
  try {
    const options = await appOptions(context);
    const loaded = await loadSnapshot(context.octokit, request, {
      policies: options.policies,
      resolvedConfig: options.resolved,
      teamsOf: policyTeams,
      checkName: CHECK_NAME,
      renames: () => renamedFiles(context, request),
    });
    if (loaded.state !== "OPEN") {
      log.info("pull request is not open; nothing to judge");
      return { kind: "closed" };
    }
    const { snapshot } = loaded;
    sha = request.postOn ?? snapshot.head.sha;
    checkId = await reportCheck(context.octokit, { owner, repo, sha }, { kind: "judging" });
    const verdict = await evaluate(snapshot);
    await reportCheck(
      context.octokit,
      { owner, repo, sha, id: checkId },
      { kind: "verdict", verdict },
    );
    log.info({ sha, conclusion: verdict.conclusion, requests: loaded.requests }, "judged");
    if (options.requestReviews && verdict.conclusion === "pending" && !request.postOn) {
      // A courtesy, not part of the verdict: GitHub refuses to ask someone who cannot review
      // (not a collaborator), and that must not turn a reported verdict into a failure.
      await requestReviews(context.octokit, request, snapshot, verdict).catch((error: unknown) =>
        log.warn({ reason: describeError(error) }, "could not request reviews"),
      );
    }
    return { kind: "judged", verdict, snapshot };
  } catch (error) {
    const reason = rateLimitReason(error) ?? describeError(error);
    log.warn({ sha, reason }, "could not judge");
    if (sha) {
      try {
        await reportCheck(
          context.octokit,
          { owner, repo, sha, ...(checkId === undefined ? {} : { id: checkId }) },
          { kind: "error", reason: `gatehouse could not judge this pull request: ${reason}` },
        );
      } catch (reportError) {
        log.error({ reason: describeError(reportError) }, "could not report the failure either");
      }
    }
    return { kind: "error", reason };
  }
}

/** GraphQL does not give the previous path of a renamed file; the REST file list does. */
async function renamedFiles(
  context: JudgeContext,
  pull: PullRequestRef,
): Promise<Map<string, string>> {
  const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  return new Map(
    files.flatMap((f) => (f.previous_filename ? [[f.filename, f.previous_filename] as const] : [])),
  );
}
