/**
 * Judges one pull request from GitHub's current state and reports the verdict on its head. The
 * event that triggered it only says which pull request: the head, reviews and policy are always
 * loaded fresh, so a duplicate or late delivery judges the current head and never posts on a
 * stale sha. Every failure ends in a failing check that says why.
 *
 * The write path, in order (docs/github-app.md, "How a judgement writes"):
 * 1. a ticket is drawn from the store before anything is read, so tickets order what was read;
 * 2. one query (more only for large pull requests) loads the snapshot, including gatehouse's
 *    own run on the head and the other open pull requests with the same head;
 * 3. the core evaluates;
 * 4. {@link reportCheck} writes at most once, in ticket order per commit, nothing when the run
 *    already shows the verdict. A judgement still reading after {@link JUDGING_NOTICE_MS} first
 *    shows "Judging" on the head the event named, so nobody wonders whether gatehouse is alive.
 */
import type { Context } from "probot";
import type { Snapshot, Verdict } from "../core/types.js";
import { CONFIG_PATH } from "../core/policy/load-config.js";
import {
  DEFAULT_POLICIES,
  appOptionsOf,
  appOptionsOfText,
  extendsSettings,
  resolvedSettings,
  type AppOptions,
} from "./app-options.js";
import { rateLimitReason, retryAtOf } from "./github-client.js";
import type { JudgeStore } from "./judge-store.js";
import { oneColdLoad } from "./cold-load.js";
import { commitAdditions } from "./commit-additions.js";
import { loadSnapshot, type LoadedPullRequest, type PullRequestRef } from "./load-snapshot.js";
import { policyTeams } from "./policy-teams.js";
import { describeError } from "./redact.js";
import {
  CHECK_NAME,
  reportCheck,
  type CheckReport,
  type OwnRun,
  type WriteResult,
} from "./report-check.js";
import { requestReviews } from "./request-reviews.js";
import type { SnapshotCache } from "./snapshot-cache.js";
import { addEvidence } from "./snapshot-evidence.js";
import { sameHeadReason } from "./same-head.js";

export type Evaluate = (snapshot: Snapshot) => Promise<Verdict>;

/** After this long without a verdict, the head shows "Judging" (one more write). */
export const JUDGING_NOTICE_MS = 10_000;

export interface JudgeRequest extends PullRequestRef {
  /** The head sha the event named; where an error is reported when loading fails. */
  headSha?: string;
}

export type JudgeOutcome =
  | { kind: "closed" }
  | { kind: "judged"; verdict: Verdict; snapshot: Snapshot }
  | {
      kind: "error";
      reason: string;
      /** When it may succeed, where the error says (a rate limit lifts, a write window frees). */
      retryAt: Date | null;
      /** True when not even the failing check reached the head: it still shows what it showed. */
      unwritten: boolean;
    };

/** What a judgement needs of a webhook context; the octokit may be a judging client of its own. */
export type JudgeContext = Pick<Context, "octokit" | "config" | "log">;

/** What every judgement shares: the core, the store, and who the App is. */
export interface JudgeDeps {
  evaluate: Evaluate;
  store: JudgeStore;
  /** The App's id, to tell its own check run from another app's run of the same name. */
  appId?: number | undefined;
  /** The instant a judgement judges at (tests inject one); the system clock otherwise. */
  now?: (() => Date) | undefined;
  /** Base texts by id and what earlier judgements read, so a re-judgement asks once. */
  cache?: SnapshotCache | undefined;
}

/** Loads, evaluates and reports one pull request. Never throws. */
export async function judgePullRequest(
  context: JudgeContext,
  deps: JudgeDeps,
  request: JudgeRequest,
): Promise<JudgeOutcome> {
  const { owner, repo } = request;
  const log = context.log.child({ pull: `${owner}/${repo}#${request.number}` });
  const ticket = await deps.store.ticket();
  let sha = request.headSha;
  let current: OwnRun | null = null;
  const write = (report: CheckReport): Promise<WriteResult> =>
    reportCheck(context.octokit, { owner, repo, sha: sha as string }, report, {
      store: deps.store,
      ticket,
      current,
    });
  let notice: Promise<unknown> | null = null;
  const timer = setTimeout(() => {
    if (!sha) return;
    notice = write({ kind: "judging" }).catch((error: unknown) =>
      log.warn({ reason: describeError(error) }, "could not show that judging takes long"),
    );
  }, JUDGING_NOTICE_MS);
  // The final write never races the notice: the timer is stopped, a notice under way awaited.
  const settle = async () => {
    clearTimeout(timer);
    if (notice) await notice;
  };
  try {
    const { loaded, options } = await loadForJudgement(context, deps, request);
    if (loaded.state !== "OPEN") {
      await settle();
      log.info("pull request is not open; nothing to judge");
      return { kind: "closed" };
    }
    const { snapshot } = loaded;
    sha = snapshot.head.sha;
    current = loaded.ownRun;
    const refused = sameHeadReason(snapshot, loaded.baseRef, loaded.sameHead);
    const verdict = await deps.evaluate(snapshot);
    await settle();
    if (refused) {
      const result = await write({ kind: "verdict", verdict: failed(verdict, refused) });
      log.info(
        { sha, sameHead: loaded.sameHead.map((p) => p.number), write: result.written },
        "refused: several pull requests share the head",
      );
      return { kind: "judged", verdict: failed(verdict, refused), snapshot };
    }
    const result = await write({ kind: "verdict", verdict });
    log.info(
      { sha, conclusion: verdict.conclusion, requests: loaded.requests, write: result.written },
      "judged",
    );
    if (options.requestReviews && verdict.conclusion === "pending") {
      // A courtesy, not part of the verdict: GitHub refuses to ask someone who cannot review
      // (not a collaborator), and that must not turn a reported verdict into a failure.
      await requestReviews(context.octokit, request, snapshot, verdict).catch((error: unknown) =>
        log.warn({ reason: describeError(error) }, "could not request reviews"),
      );
    }
    return { kind: "judged", verdict, snapshot };
  } catch (error) {
    await settle();
    const reason = rateLimitReason(error) ?? describeError(error);
    log.warn({ sha, reason }, "could not judge");
    const now = deps.now?.() ?? new Date();
    let retryAt = retryAtOf(error, now);
    let unwritten = true;
    if (sha) {
      try {
        await write({
          kind: "error",
          reason: `gatehouse could not judge this pull request: ${reason}`,
        });
        unwritten = false;
      } catch (reportError) {
        log.error({ reason: describeError(reportError) }, "could not report the failure either");
        retryAt ??= retryAtOf(reportError, now);
      }
    }
    return { kind: "error", reason, retryAt, unwritten };
  }
}

/** The verdict as the check shows it when the head is shared: failed, with the reason first. */
function failed(verdict: Verdict, refused: { title: string; reason: string }): Verdict {
  const { title, reason } = refused;
  return {
    ...verdict,
    conclusion: "failure",
    summary: title,
    rules: {
      ...verdict.rules,
      status: "failed",
      reason: title,
      children: [
        { id: "same-head", status: "failed", reason, children: [] },
        ...verdict.rules.children,
      ],
    },
  };
}

/**
 * Loads the snapshot of one pull request as a judgement reads it, with the App's settings of
 * its base commit. The policies directory last seen in the repository is asked for first, so a
 * repository that moved it costs one more query only the first time. Throws on failure.
 */
export async function loadForJudgement(
  context: JudgeContext,
  deps: Pick<JudgeDeps, "appId" | "store" | "now" | "cache">,
  request: JudgeRequest,
  /** A merged pull request, judged for its evidence: the commit it merged onto, and when. */
  merged?: { onto: string; at: Date },
): Promise<{ loaded: LoadedPullRequest; options: AppOptions }> {
  const seen = `policies:${request.owner}/${request.repo}`;
  const load = (policies: string, resolvedConfig: Record<string, unknown> | null) =>
    oneColdLoad(deps.cache, request, () => loadOnce(policies, resolvedConfig));
  const loadOnce = (policies: string, resolvedConfig: Record<string, unknown> | null) =>
    loadSnapshot(context.octokit, request, {
      policies,
      head: request.headSha,
      resolvedConfig,
      ...(resolvedConfig ? {} : { policiesOf: (text) => appOptionsOfText(text).policies }),
      teamsOf: policyTeams,
      checkName: CHECK_NAME,
      appId: deps.appId,
      ...(deps.now ? { now: deps.now() } : {}),
      cache: deps.cache,
      renames: () => renamedFiles(context, request),
      ...(merged === undefined ? {} : { baseAt: merged.onto, now: merged.at }),
      additions: (commits) => commitAdditions(context.octokit, request, commits),
    });
  let loaded = await load((await deps.store.get(seen)) ?? DEFAULT_POLICIES, null);
  const text = loaded.snapshot.base.files.get(CONFIG_PATH) ?? null;
  let options = appOptionsOfText(text);
  if (extendsSettings(text)) {
    const resolved = await resolvedSettings(context);
    options = appOptionsOf(resolved);
    loaded = await load(options.policies, resolved);
  }
  await deps.store.set(seen, options.policies, 24 * 3600);
  // Earlier merges' evidence, for separation of duties across pull requests: one request more.
  if (loaded.state === "OPEN" || merged !== undefined) {
    await addEvidence(context.octokit, request, loaded);
  }
  return { loaded, options };
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
