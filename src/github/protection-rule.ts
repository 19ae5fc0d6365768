/**
 * The custom deployment protection rule (`deployment_protection_rule.requested`): approves or
 * rejects an Actions job that targets a protected environment, by the rules of a deployment pull
 * request (see core/deploy/judge-protection.ts), and says why in the rule's comment. GitHub waits
 * for the answer, but a webhook delivery that is not answered within 10 seconds counts as failed,
 * so the whole judgement runs inside the delivery with a time limit; past it, or on any error,
 * the job is rejected with the reason (fail closed) and can be re-run.
 */
import type { DeploymentAnswer } from "../core/deploy/judge-protection.js";
import type { JudgeContext } from "./judge-pull-request.js";
import { judgeProtectionRequest } from "./judge-protection-request.js";
import type { ProtectionDeps, ProtectionRequest } from "./protection-request.js";
import { describeError } from "./redact.js";

export type { ProtectionDeps, ProtectionRequest } from "./protection-request.js";

/** GitHub gives up on a webhook delivery after 10 s; answer well before that. */
export const PROTECTION_TIME_LIMIT_MS = 8_000;

/** Judges one protection rule request and answers GitHub. Never throws. */
export async function answerProtectionRule(
  context: JudgeContext,
  request: ProtectionRequest,
  deps: ProtectionDeps = {},
): Promise<DeploymentAnswer> {
  const limit = deps.timeLimitMs ?? PROTECTION_TIME_LIMIT_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DeploymentAnswer>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          rejected(
            `gatehouse could not judge this deployment within ${limit / 1000} s; re-run the job`,
          ),
        ),
      limit,
    );
  });
  const answer = await Promise.race([
    judgeProtectionRequest(context, request, deps).catch((error: unknown) =>
      rejected(`gatehouse could not judge this deployment: ${describeError(error)}`),
    ),
    late,
  ]);
  clearTimeout(timer);
  try {
    await context.octokit.request(`POST ${request.callbackUrl}`, {
      environment_name: request.environment,
      state: answer.approved ? "approved" : "rejected",
      comment: answer.comment.slice(0, 65_000),
    });
    context.log.info(
      { environment: request.environment, sha: request.sha, approved: answer.approved },
      "deployment judged",
    );
  } catch (error) {
    context.log.error(
      { reason: describeError(error) },
      "could not answer the deployment protection rule",
    );
  }
  return answer;
}

function rejected(reason: string): DeploymentAnswer {
  return {
    approved: false,
    comment: `Rejected: ${reason}.`,
    node: { id: "deployments", status: "failed", reason, children: [] },
    acts: [],
  };
}
