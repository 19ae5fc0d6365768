/**
 * The webhook handlers of the GitHub App. Each one decides from the payload alone whether the
 * event can change a verdict (if not, it costs no API call), then hands the pull request to
 * {@link judgePullRequest}, which loads GitHub's current state and reports on its head.
 */
import type { Context, Probot } from "probot";
import { evaluate as coreEvaluate } from "../core/evaluate/evaluate.js";
import { renderMarkdown } from "../core/report/render-markdown.js";
import { coalesce } from "./coalesce.js";
import { judgeMergeGroup } from "./judge-merge-group.js";
import { handleMerge } from "./merge-handler.js";
import {
  judgePullRequest,
  type Evaluate,
  type JudgeContext,
  type JudgeDeps,
  type JudgeRequest,
} from "./judge-pull-request.js";
import { openPullsWithHead, type PullHint } from "./pull-requests-of.js";
import { registerPushHandler } from "./push-handler.js";
import { commandDecision } from "./command-gate.js";
import { memoryStore, type JudgeStore } from "./judge-store.js";
import { registerDeploymentHandlers } from "./deployment-handlers.js";
import { recheckPulls } from "./recheck-pulls.js";
import { systemClock, type Clock } from "./recheck-timer.js";
import type { ProtectionDeps } from "./protection-rule.js";
import { describeError } from "./redact.js";
import { CHECK_NAME } from "./report-check.js";
import { snapshotCache, type SnapshotCache } from "./snapshot-cache.js";
import { withJudgingClient, type JudgingLimits } from "./with-judging-client.js";

export interface HandlerDeps {
  evaluate: Evaluate;
  /** Shared state of the judgements; one process's memory unless `REDIS_URL` gives Redis. */
  store: JudgeStore;
  /** The App's id (default `APP_ID`), to tell its own check run from another app's. */
  appId: number;
  /** What the deployment handlers need beyond GitHub (a clock, the evidence of a change). */
  deployments: ProtectionDeps;
  /** Time limits (tests shorten them): one attempt of a request, and a judgement's reads. */
  limits: JudgingLimits;
  /** The instant judgements judge at and the timers of rechecks (tests move it by hand). */
  clock: Clock;
  /** Base texts by id and hints; in memory, and in the store too when replicas share it. */
  cache: SnapshotCache;
}

/** Pull requests judged at once for one event (a push into a busy branch, a status). */
const PARALLEL_JUDGEMENTS = 8;

const COMMENT_LIMIT = 65_000;
const COMMAND = /^\s*\/gatehouse\s+(explain|recheck)\b/;

/** Registers every handler of the app on `app`. */
export function registerHandlers(app: Probot, deps: Partial<HandlerDeps> = {}): void {
  const evaluate: Evaluate = deps.evaluate ?? ((snapshot) => coreEvaluate(snapshot));
  const store = deps.store ?? memoryStore();
  const appId = deps.appId ?? (Number(process.env.APP_ID) || undefined);
  const clock = deps.clock ?? systemClock;
  const cache = deps.cache ?? snapshotCache(store.shared ? store : null, { log: app.log });
  const judgeDeps: JudgeDeps = {
    evaluate,
    store,
    appId,
    now: () => new Date(clock.now()),
    cache,
  };
  /** A judgement of its own, not coalesced: `explain` needs its outcome. */
  const judgeNow = async (context: Context, request: JudgeRequest) => {
    const outcome = await judgePullRequest(
      await withJudgingClient(app, context, deps.limits),
      judgeDeps,
      request,
    );
    // A verdict that time alone will change (a window opens or closes) is judged again then.
    await rechecks.after(context, request, outcome);
    return outcome;
  };
  /** A judgement coalesced with the others of the same pull request or merge group. */
  const judge = (context: Context, request: JudgeRequest) =>
    coalesce(store, judgementKey(request), () => judgeNow(context, request));
  const rechecks = recheckPulls(app, store, clock, judge);
  // Finding the pull requests an event concerns waits for rate limits within the same bound.
  const lookupClient = async (context: Context) =>
    (await withJudgingClient(app, context, deps.limits)).octokit;
  const judgeAll = async (context: Context, pulls: PullHint[]) => {
    const { owner, repo } = context.repo();
    // A few at a time: reads run side by side, and the client spaces the writes as GitHub asks.
    const queue = [...pulls];
    const worker = async () => {
      for (let pull = queue.shift(); pull; pull = queue.shift()) {
        await judge(context, { owner, repo, ...pull });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_JUDGEMENTS, pulls.length) }, worker));
  };

  app.on(
    [
      "pull_request.opened",
      "pull_request.synchronize",
      "pull_request.reopened",
      "pull_request.ready_for_review",
      "pull_request.labeled",
      "pull_request.unlabeled",
      "pull_request.edited",
    ],
    async (context) => {
      const { pull_request: pull } = context.payload;
      if (pull.state !== "open") return;
      // A new title changes nothing the policy reads; a new body or base branch may.
      if (context.payload.action === "edited" && onlyTitleChanged(context.payload.changes)) return;
      await judge(context, { ...context.repo(), number: pull.number, headSha: pull.head.sha });
    },
  );

  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
    const { pull_request: pull, review } = context.payload;
    if (pull.state !== "open") return;
    // A plain comment neither approves nor blocks.
    if (context.payload.action === "submitted" && review.state.toLowerCase() === "commented") {
      return;
    }
    await judge(context, { ...context.repo(), number: pull.number, headSha: pull.head.sha });
  });

  // A closed pull request no longer shares its head: the others with that head are judged again
  // (their checks said to close all but one). One lookup per closed pull request.
  app.on("pull_request.closed", async (context) => {
    const { sha } = context.payload.pull_request.head;
    const others = await openPullsWithHead(await lookupClient(context), context.repo(), sha);
    await judgeAll(context, others);
  });

  // A merged pull request (a merge queue's too), loaded once (merge-handler.ts): signed evidence
  // in refs/notes/gatehouse, a `gatehouse:bypass` issue when its check was not a success, and
  // the deployments of its scheduled changes. What failed fails the delivery, to be redelivered.
  app.on("pull_request.closed", async (context) => {
    const pull = context.payload.pull_request;
    if (!pull.merged || !pull.merge_commit_sha) return;
    await handleMerge(await withJudgingClient(app, context), judgeDeps, {
      ...context.repo(),
      number: pull.number,
      merge: pull.merge_commit_sha,
      mergedBy: pull.merged_by?.login ?? null,
      mergedAt: pull.merged_at ?? new Date().toISOString(),
      url: pull.html_url,
    });
  });

  // Editing a review changes its text, never its state: nothing to judge, no API call.
  app.on("pull_request_review.edited", () => undefined);

  app.on(["check_run.rerequested", "check_run.requested_action"], async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    if (context.payload.action === "requested_action") {
      const action = (context.payload as { requested_action?: { identifier?: string } })
        .requested_action;
      if (action?.identifier !== "recheck") return;
    }
    await judgeAll(context, await pullsOfRun(context, run, lookupClient));
  });

  // Another check finished: a `checks` condition may now hold. Our own runs are ignored.
  app.on("check_run.completed", async (context) => {
    const run = context.payload.check_run;
    if (run.name === CHECK_NAME) return;
    await judgeAll(context, await pullsOfRun(context, run, lookupClient));
  });

  // A commit status changed (Jenkins and most other CI report this way): a `checks` condition
  // may name its context. Every state re-judges, `pending` too: a CI run started again must take
  // back a success that depended on its earlier result. A commit that heads no open pull request
  // costs the one lookup. gatehouse posts no statuses itself, so none of these is its own.
  app.on("status", async (context) => {
    const { sha } = context.payload;
    await judgeAll(
      context,
      await openPullsWithHead(await lookupClient(context), context.repo(), sha),
    );
  });

  registerPushHandler(app, { store, cache, lookupClient, judgeAll });

  app.on("issue_comment.created", async (context) => {
    const { issue, comment } = context.payload;
    const command = COMMAND.exec(comment.body)?.[1];
    if (!command || !issue.pull_request || issue.state !== "open") return;
    if (comment.user?.type === "Bot") return;
    const decision = await commandDecision(context.octokit, store, {
      ...context.repo(),
      number: issue.number,
      commenter: comment.user?.login ?? "",
      association: comment.author_association,
      pullAuthor: issue.user?.login ?? "",
    }).catch((error: unknown) => ({ honour: false, why: describeError(error) }) as const);
    if (!decision.honour) {
      context.log.info({ command, why: decision.why }, "command ignored");
      return;
    }
    const request = { ...context.repo(), number: issue.number };
    if (command !== "explain") {
      await judge(context, request);
      return;
    }
    const outcome = await judgeNow(context, request);
    const body =
      outcome.kind === "judged"
        ? renderMarkdown(outcome.verdict, { maxLength: COMMENT_LIMIT })
        : outcome.kind === "error"
          ? `gatehouse could not judge this pull request: ${outcome.reason}`
          : "This pull request is closed; gatehouse does not judge it any more.";
    const { octokit } = await withJudgingClient(app, context, deps.limits);
    await octokit.rest.issues.createComment(context.issue({ body }));
  });

  registerDeploymentHandlers(app, { appId, ...deps.deployments });

  // A merge group is judged as what will be merged: every pull request it holds (see
  // judge-merge-group.ts), reported on the group's own head commit. Nothing is waved through.
  app.on("merge_group.checks_requested", async (context) => {
    const group = context.payload.merge_group;
    const request = {
      ...context.repo(),
      headSha: group.head_sha,
      base: group.base_ref.replace(/^refs\/heads\//, ""),
    };
    await coalesce(store, `judge:${request.owner}/${request.repo}@${request.headSha}`, async () =>
      judgeMergeGroup(await withJudgingClient(app, context, deps.limits), judgeDeps, request),
    );
  });
}

/**
 * The pull requests a check run belongs to. GitHub leaves `pull_requests` empty for a pull
 * request from a fork, so those are found from the run's head commit (one request).
 */
async function pullsOfRun(
  context: Context<"check_run">,
  run: { head_sha: string; pull_requests: Array<{ number: number }> },
  client: (context: Context) => Promise<JudgeContext["octokit"]>,
): Promise<PullHint[]> {
  if (run.pull_requests.length > 0) {
    return run.pull_requests.map((p) => ({ number: p.number, headSha: run.head_sha }));
  }
  return openPullsWithHead(await client(context), context.repo(), run.head_sha);
}

/** Events of one pull request coalesce under this key (a merge group's under its head). */
function judgementKey(request: JudgeRequest): string {
  return `judge:${request.owner}/${request.repo}#${request.number}`;
}

function onlyTitleChanged(changes: unknown): boolean {
  if (!changes || typeof changes !== "object") return false;
  const keys = Object.keys(changes);
  return keys.length > 0 && keys.every((key) => key === "title");
}
