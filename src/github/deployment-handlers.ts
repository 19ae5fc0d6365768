/**
 * The handlers of merges that deploy: the statuses of the Deployments a merge created (the merge
 * itself is merge-handler.ts's) and the custom deployment protection rule. Registered beside the
 * judgement handlers by {@link registerHandlers}.
 */
import type { Context, Probot } from "probot";
import { answerProtectionRule, type ProtectionDeps } from "./protection-rule.js";
import { recordDeploymentStatus } from "./record-deployment-status.js";
import { withJudgingClient } from "./with-judging-client.js";

/**
 * Registers the deployment handlers on `app`. They read and write with the App's own client
 * ({@link withJudgingClient}), so their writes (a status's evidence, the answer to GitHub) pass
 * the installation's write gate like every other write.
 */
export function registerDeploymentHandlers(app: Probot, deps: ProtectionDeps = {}): void {
  // What the pipeline reports of a deployment gatehouse created goes into its change's evidence.
  app.on("deployment_status.created", async (context: Context<"deployment_status.created">) => {
    const { deployment, deployment_status: status } = context.payload;
    await recordDeploymentStatus(await withJudgingClient(app, context), {
      ...context.repo(),
      deployment: {
        id: deployment.id,
        sha: deployment.sha,
        ref: deployment.ref,
        environment: deployment.environment,
        payload: deployment.payload,
        app: deployment.performed_via_github_app?.id ?? null,
      },
      ownApp: deps.appId ?? (Number(process.env.APP_ID) || null),
      status: {
        id: status.id,
        state: status.state,
        description: status.description ?? null,
        creator: status.creator?.login ?? null,
        at: status.created_at,
        logUrl: status.log_url ?? null,
      },
    });
  });

  // GitHub asks before each Actions job that targets an environment with this rule enabled.
  app.on(
    "deployment_protection_rule.requested",
    async (context: Context<"deployment_protection_rule.requested">) => {
      const payload = context.payload;
      const deployment = payload.deployment as
        { id?: number; sha?: string; payload?: unknown } | undefined;
      const change =
        deployment?.payload && typeof deployment.payload === "object"
          ? (deployment.payload as { change?: unknown }).change
          : undefined;
      // The commit the job runs on (GitHub's description has it; Probot's types lag behind).
      const sha = (payload as { sha?: string }).sha ?? deployment?.sha;
      if (!payload.deployment_callback_url || !payload.environment || !sha) {
        context.log.warn(
          "deployment_protection_rule without a callback, environment or sha; nothing to answer",
        );
        return;
      }
      await answerProtectionRule(
        await withJudgingClient(app, context),
        {
          ...context.repo(),
          defaultBranch: payload.repository?.default_branch ?? "main",
          environment: payload.environment,
          sha,
          callbackUrl: payload.deployment_callback_url,
          sender: payload.sender?.login ?? "",
          payloadChange: typeof change === "string" ? change : null,
          deploymentId: deployment?.id ?? null,
        },
        deps,
      );
    },
  );
}
