/**
 * A push into a branch whose policy it changes re-judges every open pull request into the
 * branch (their policy comes from its tip). The new policy is read once, ahead of them
 * (src/github/prefetch-policy.ts), so that each re-judgement takes one query and at most one
 * write. Every push is also remembered by what it touched (src/github/push-hint.ts), for the
 * first judgement of a pull request from the pushed head.
 */
import type { Context, Probot } from "probot";
import { CODEOWNERS_PATH } from "../core/policy/load-policy.js";
import { DEFAULT_POLICIES } from "./app-options.js";
import type { GitHubClient } from "./github-client.js";
import type { JudgeStore } from "./judge-store.js";
import { prefetchPolicy } from "./prefetch-policy.js";
import { openPullsInto, type PullHint } from "./pull-requests-of.js";
import { rememberPush } from "./push-hint.js";
import { describeError } from "./redact.js";
import type { SnapshotCache } from "./snapshot-cache.js";
import { pushedPaths, touchesPolicy } from "./touches-policy.js";

export interface PushDeps {
  store: JudgeStore;
  cache: SnapshotCache;
  /** The client that finds pull requests (and now reads the pushed policy). */
  lookupClient(context: Context): Promise<GitHubClient>;
  judgeAll(context: Context, pulls: PullHint[]): Promise<void>;
}

/** Registers the `push` handler. */
export function registerPushHandler(app: Probot, deps: PushDeps): void {
  const { store, cache, lookupClient, judgeAll } = deps;
  app.on("push", async (context) => {
    const { ref, deleted, commits } = context.payload;
    if (deleted || !ref.startsWith("refs/heads/")) return;
    // What the push touched guides the first judgement of a pull request from this head.
    await rememberPush(cache, context.repo(), context.payload.after, commits);
    const paths = pushedPaths(commits);
    if (paths !== null && paths.length === 0) return;
    // The policies directory as the last judgement in the repository read it from a base
    // commit (no request); touching `.github/` (where the setting lives) always re-judges.
    const policies =
      (await store.get(`policies:${context.repo().owner}/${context.repo().repo}`)) ??
      DEFAULT_POLICIES;
    if (paths !== null && !touchesPolicy(paths, policies)) return;
    const branch = ref.slice("refs/heads/".length);
    const octokit = await lookupClient(context);
    const pulls = await openPullsInto(octokit, context.repo(), branch);
    // The new policy is read once for all of them, not once by each (a failure here only costs
    // each judgement its own read).
    const pushed = {
      ...context.repo(),
      repoId: context.payload.repository.id,
      sha: context.payload.after,
      policies,
      codeowners: CODEOWNERS_PATH,
    };
    if (pulls.length > 0) {
      await prefetchPolicy(octokit, cache, pushed).catch((error: unknown) =>
        context.log.warn(
          { reason: describeError(error) },
          "could not read the pushed policy ahead",
        ),
      );
    }
    await judgeAll(context, pulls);
  });
}
