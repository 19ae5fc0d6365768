/**
 * The context every handler that writes to GitHub works with: the webhook's, with a client of
 * the App's own making (`judgingClient`) instead of Probot's. So waiting for GitHub's rate
 * limits is bounded per judgement, every request has a timeout, and every write of the
 * installation passes its write gate (write-gate.ts), whichever handler makes it.
 */
import type { Context, Probot } from "probot";
import { JUDGEMENT_DEADLINE_MS, judgingClient } from "./github-client.js";
import type { JudgeContext } from "./judge-pull-request.js";
import { describeError } from "./redact.js";

/** Time limits of one judgement (tests shorten them). */
export interface JudgingLimits {
  /** One attempt of one request. */
  requestTimeoutMs: number;
  /** The reads of the judgement. */
  deadlineMs: number;
}

/**
 * The context with a client of its own for one judgement (or one merge, one deployment
 * event). Should that client not be made, the handler goes on with Probot's, whose throttling
 * waits without that bound (and spaces writes by their start only).
 */
export async function withJudgingClient(
  app: Probot,
  context: Context,
  limits?: JudgingLimits,
): Promise<JudgeContext> {
  const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
  if (installation === undefined) return context;
  try {
    // The reads of one judgement end by this deadline; the write that says so still goes out.
    const deadline = AbortSignal.timeout(limits?.deadlineMs ?? JUDGEMENT_DEADLINE_MS);
    const octokit = await judgingClient(app, installation, {
      deadline,
      ...(limits ? { requestTimeoutMs: limits.requestTimeoutMs } : {}),
    });
    return { octokit, config: context.config.bind(context), log: context.log };
  } catch (error) {
    context.log.warn({ reason: describeError(error) }, "judging with Probot's own client");
    return context;
  }
}
