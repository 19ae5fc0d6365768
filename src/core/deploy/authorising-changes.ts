/**
 * Which changes may authorise the deployment files of one environment in a pull request: those
 * its body names (`Change: CHG-…`) and those it moves into the deploy state itself, each in the
 * version that carries authority, and why every other named change does not apply.
 */
import type { EvaluationContext } from "../evaluate/context.js";
import type { ChangeFacts } from "./change-facts.js";
import { sameEnvironment } from "./change-facts.js";
import type { DeploymentPolicy } from "./load-deployments.js";
import { namedChanges } from "./named-changes.js";
import { scheduleOf } from "./schedule.js";

export interface Authorising {
  /** Changes that may authorise files of the environment: valid, in the deploy state, for it. */
  usable: ChangeFacts[];
  /** Why each other candidate does not apply, one sentence each. */
  refused: string[];
  /** True when the adapter gave no change records, so a named change could not be read. */
  unknown: boolean;
}

/** The fields a deployment relies on; a pull request that deploys must leave them as approved. */
const AUTHORITY = ["state", "type", "system", "environment", "window", "covers", "standard"];

/** The changes that may authorise deployment files of `environment` in this pull request. */
export function authorisingChanges(
  ctx: EvaluationContext,
  policy: DeploymentPolicy,
  environment: string,
): Authorising {
  const schedule = scheduleOf(ctx);
  const ids = new Set(namedChanges(ctx.snapshot.body));
  for (const [id, { before, after }] of schedule.head) {
    if (after.state === policy.state && before?.state !== policy.state) ids.add(id);
  }
  const usable: ChangeFacts[] = [];
  const refused: string[] = [];
  let unknown = false;
  for (const id of ids) {
    const written = schedule.head.get(id);
    let change: ChangeFacts | undefined;
    if (written && written.before?.state === policy.state) {
      // Already scheduled: its approved version authorises, and this pull request may not
      // rewrite it on the way (a wider covers, a moved window).
      const changed = AUTHORITY.filter(
        (field) =>
          JSON.stringify(written.before!.record.data[field]) !==
          JSON.stringify(written.after.record.data[field]),
      );
      if (changed.length > 0) {
        refused.push(
          `${id} is ${policy.state}, and this pull request changes its ${changed.join(", ")}; a deployment must not change the change that authorises it, so change the record in a pull request of its own`,
        );
        continue;
      }
      change = written.before;
    } else change = written?.after ?? schedule.base.get(id);
    if (!change) {
      if (!schedule.loaded) unknown = true;
      refused.push(
        schedule.loaded
          ? `${id} is named in the pull request, but the base branch holds no change record with that id`
          : `${id} is named in the pull request, but gatehouse was not given the base branch's change records to read it; this is a fault of gatehouse, please report it`,
      );
      continue;
    }
    if (!change.valid) {
      refused.push(`${id} (${change.path}) is not a valid record, so it authorises nothing`);
    } else if (!sameEnvironment(change.environment, environment)) {
      refused.push(`${id} is for ${change.environment ?? "no environment"}, not ${environment}`);
    } else if (change.state !== policy.state) {
      refused.push(
        `${id} is ${change.state ?? "without a state"}, not ${policy.state}; only a ${policy.state} change may deploy`,
      );
    } else usable.push(change);
  }
  return { usable, refused, unknown };
}
