/**
 * What a merged pull request deploys: per environment whose deployment files it changed, the
 * change that authorised them, with the payload of the GitHub Deployment the App creates (the
 * change id, its steps and rollback), and the emergency changes whose review must now be opened.
 */
import { buildContext } from "../evaluate/context.js";
import { changedRecords } from "../evaluate/changed-records.js";
import { loadPolicy } from "../policy/load-policy.js";
import type { Snapshot } from "../types.js";
import type { ChangeFacts } from "./change-facts.js";
import { judgeDeployments } from "./judge-deployments.js";
import { policyDeployments } from "./policy-deployments.js";
import { scheduleOf } from "./schedule.js";

export interface DeploymentPlan {
  environment: string;
  change: ChangeFacts;
  files: string[];
  /** The Deployment's payload: enough for a pipeline to run and roll back without the record. */
  payload: Record<string, unknown>;
}

export interface MergePlans {
  deployments: DeploymentPlan[];
  /** Emergency changes the pull request scheduled or deployed under: each gets a review issue. */
  emergencies: ChangeFacts[];
  /** Roles whose holders review an emergency change afterwards. */
  reviewers: string[];
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** The deployments and emergency reviews of a merged pull request's snapshot. */
export function mergePlans(snapshot: Snapshot): MergePlans {
  const load = loadPolicy(snapshot.base.files);
  if (!load.ok) return { deployments: [], emergencies: [], reviewers: [] };
  const policy = load.policy;
  const ctx = buildContext(snapshot, policy, changedRecords(snapshot, policy.config), new Map());
  const settings = policyDeployments(policy).deployments;
  const deployments: DeploymentPlan[] = [];
  for (const judgement of judgeDeployments(ctx).judgements) {
    for (const { change, window } of judgement.changes) {
      const deployment = (change.record.data.deployment ?? {}) as Record<string, unknown>;
      deployments.push({
        environment: judgement.environment,
        change,
        files: judgement.files,
        payload: {
          change: change.id,
          // Where the change's record is, for the evidence of the deployment's statuses.
          record: change.path,
          title: change.title,
          system: change.system,
          window: change.window ? change.window.text : null,
          windowText: window,
          version: deployment.version ?? null,
          artifact: deployment.artifact ?? null,
          strategy: deployment.strategy ?? null,
          steps: list(deployment.steps),
          rollback: list(deployment.rollback),
          files: judgement.files,
        },
      });
    }
  }
  const emergencies = new Map<string, ChangeFacts>();
  for (const plan of deployments)
    if (plan.change.type === "emergency") emergencies.set(plan.change.id, plan.change);
  for (const [id, { before, after }] of scheduleOf(ctx).head) {
    const state = settings?.state ?? "scheduled";
    if (after.type === "emergency" && after.state === state && before?.state !== state)
      emergencies.set(id, after);
  }
  return {
    deployments,
    emergencies: [...emergencies.values()],
    reviewers: settings?.emergency.reviewers ?? [],
  };
}
