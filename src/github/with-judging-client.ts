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
 * Why a handler stopped before it read or wrote anything: it had no client whose writes pass
 * the installation's write gate. The delivery fails with these words (GitHub can redeliver it).
 */
export class NoJudgingClient extends Error {
  override name = "NoJudgingClient";
}

/**
 * The context with a client of its own for one judgement (or one merge, one deployment event).
 * There is no other: Probot's `context.octokit` spaces writes by their start only and knows
 * neither the installation's gate nor its hourly count, so a handler that cannot have this
 * client writes nothing. It throws {@link NoJudgingClient}, which fails the delivery with the
 * reason; no check is written, so a new head stays blocked, and the next event judges again.
 */
export async function withJudgingClient(
  app: Probot,
  context: Context,
  limits?: JudgingLimits,
): Promise<JudgeContext> {
  const installation = (context.payload as { installation?: { id?: unknown } }).installation?.id;
  if (typeof installation !== "number") {
    throw new NoJudgingClient(
      `gatehouse did not act on this ${context.name} event: it names no installation, and ` +
        "gatehouse writes to GitHub only as an installation, through that installation's write gate",
    );
  }
  try {
    // The reads of one judgement end by this deadline; the write that says so still goes out.
    const deadline = AbortSignal.timeout(limits?.deadlineMs ?? JUDGEMENT_DEADLINE_MS);
    const octokit = await judgingClient(app, installation, {
      deadline,
      ...(limits ? { requestTimeoutMs: limits.requestTimeoutMs } : {}),
    });
    return { octokit, config: context.config.bind(context), log: context.log };
  } catch (error) {
    const reason = describeError(error);
    context.log.error(
      { installation, reason },
      "no GitHub client with the write gate could be made; nothing was read or written",
    );
    throw new NoJudgingClient(
      `gatehouse did not act on this ${context.name} event: it could not make its GitHub client ` +
        `for installation ${installation} (${reason}), and writes nothing without one; the ` +
        "next event, a redelivery or `/gatehouse recheck` judges again",
      { cause: error },
    );
  }
}
