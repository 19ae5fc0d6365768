/**
 * The App's side of {@link recheckTimer}: after every judgement whose verdict changes by itself
 * (a window opens or closes), the pull request is noted for that instant, and after every
 * judgement that failed, for when it may succeed (GitHub's rate limit lifts, the installation's
 * write window frees) or, when its check could not be written at all, for a retry with backoff;
 * when it comes, the pull request is judged through the same path as an event (coalescing,
 * tickets, one write), by the installation that judged it, as if someone had pressed Re-check.
 */
import { Context, type Probot } from "probot";
import type { JudgeOutcome, JudgeRequest } from "./judge-pull-request.js";
import type { JudgeStore } from "./judge-store.js";
import { describeError } from "./redact.js";
import { recheckTimer, type Clock, type RecheckRef } from "./recheck-timer.js";

export interface RecheckPulls {
  /** Notes the pull request of a finished judgement when its verdict carries `recheckAt`. */
  after(context: Context, request: JudgeRequest, outcome: JudgeOutcome | null): Promise<void>;
}

/** Starts the rechecks of `app`; `judge` is the handlers' own (coalesced) judgement. */
export function recheckPulls(
  app: Probot,
  store: JudgeStore,
  clock: Clock,
  judge: (context: Context, request: JudgeRequest) => Promise<unknown>,
): RecheckPulls {
  const timer = recheckTimer({
    store,
    clock,
    log: app.log,
    judge: async (ref) => {
      await judge(await contextFor(app, ref), {
        owner: ref.owner,
        repo: ref.repo,
        number: ref.number,
      });
    },
  });
  timer
    .start()
    .catch((error: unknown) =>
      app.log.error({ reason: describeError(error) }, "could not read the pending rechecks"),
    );
  return {
    async after(context, request, outcome) {
      const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
      if (installation === undefined || outcome === null) return;
      const ref = {
        installation,
        owner: request.owner,
        repo: request.repo,
        number: request.number,
      };
      let noted: Promise<void>;
      if (outcome.kind === "judged" && outcome.verdict.recheckAt) {
        noted = timer.note(ref, outcome.verdict.recheckAt);
      } else if (outcome.kind === "error" && outcome.retryAt) {
        // GitHub said when it takes requests again (or the write window frees): judge then.
        noted = timer.retry(ref, outcome.retryAt);
      } else if (outcome.kind === "error" && outcome.unwritten) {
        // Not even the failing check was written: the head still shows what it showed, maybe a
        // success under another policy, until it is judged again.
        noted = timer.retry(ref);
      } else return;
      await noted.catch((error: unknown) =>
        context.log.error(
          { reason: describeError(error) },
          "could not note when to judge again; the check is judged again on its next event",
        ),
      );
    },
  };
}

/**
 * A context as a webhook of the installation would give it: the installation's client and the
 * repository, which is all a judgement reads of it (Probot's configuration loader included).
 */
async function contextFor(app: Probot, ref: RecheckRef): Promise<Context> {
  const octokit = await app.auth(ref.installation);
  const payload = {
    installation: { id: ref.installation },
    repository: { owner: { login: ref.owner }, name: ref.repo },
  };
  return new Context(
    {
      id: `gatehouse-recheck-${ref.owner}/${ref.repo}#${ref.number}`,
      name: "check_run",
      payload,
    } as never,
    octokit,
    app.log.child({ recheck: `${ref.owner}/${ref.repo}#${ref.number}` }),
  );
}
