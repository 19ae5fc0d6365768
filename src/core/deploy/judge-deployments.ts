/**
 * The deployment-file rule. A file under an environment's deployment paths (`deploy/production/**`
 * by default) changes only in a pull request that names a change (`Change: CHG-…`, or the record
 * moved into the deploy state here) which is in that state for the environment, covers every such
 * file, and whose window holds now, inside the calendar and clear of freezes (emergency changes:
 * windows only). Its executor, a holder of the executor role with no other hand in the change,
 * approves: that is a slot of the assignment, so separation of duties holds across everything.
 */
import { policyCalendar } from "../calendar/policy-calendar.js";
import { formatWindow, judgeWindowNow } from "../calendar/window-now.js";
import type { SodPairs } from "../evaluate/assign.js";
import type { EvaluationContext } from "../evaluate/context.js";
import { andList } from "../evaluate/explain-slot.js";
import { leaf } from "../evaluate/nodes.js";
import { changedPaths } from "../evaluate/path-slots.js";
import { loginKey } from "../evaluate/resolve-login.js";
import type { Slot } from "../evaluate/slot.js";
import { evidenceRule } from "../evidence/evidence-rule.js";
import type { RoleId, RuleResult } from "../types.js";
import { authorisingChanges } from "./authorising-changes.js";
import type { ChangeFacts } from "./change-facts.js";
import { coversMatcher } from "./covers.js";
import {
  environmentsOfPath,
  isDefaultDeploymentFile,
  type DeploymentPolicy,
} from "./load-deployments.js";
import { overlapping } from "./overlaps.js";
import { policyDeployments } from "./policy-deployments.js";
import { scheduleOf } from "./schedule.js";
import { standardProblem } from "./standard-entry.js";
import { windowModeOf } from "./window-mode.js";

/** What one environment's deployment files contribute before the assignment runs. */
export interface DeploymentJudgement {
  /** "deployments/<environment>". */
  id: string;
  environment: string;
  files: string[];
  /** Rules that need no approval: the change, its covers, its window, conflicts. */
  rules: RuleResult[];
  /** One executor slot per change that authorises files here. */
  slots: Slot[];
  /** The changes that authorise the files, with their windows in words. */
  changes: Array<{ change: ChangeFacts; window: string }>;
  /** Instants at which time alone changes this judgement (a window opens or closes). */
  changesAt: Date[];
}

export interface DeploymentsResult {
  judgements: DeploymentJudgement[];
  /** A failed node when the deployment policy cannot be used; null when it can (or is not needed). */
  policyNode: RuleResult | null;
  /** Record -> extra separation of duties: its executor may act in no other role on it. */
  recordSod: Map<string, SodPairs>;
}

const shown = (files: string[]) =>
  files.length === 1 ? files[0]! : `${files[0]!} and ${files.length - 1} more`;

/** Judges every deployment file the pull request changes, environment by environment. */
export function judgeDeployments(ctx: EvaluationContext): DeploymentsResult {
  const result: DeploymentsResult = { judgements: [], policyNode: null, recordSod: new Map() };
  const loaded = policyDeployments(ctx.policy);
  const paths = changedPaths(ctx);
  const policy = loaded.deployments;
  if (!policy) {
    // A broken file fails every judgement; the defaults failing (no such role) only matter
    // when a deployment file changes.
    const touches = paths.some(isDefaultDeploymentFile);
    if (loaded.present || touches) {
      result.policyNode = leaf(
        "deployments",
        "failed",
        `${loaded.path} cannot be used (${loaded.findings.length === 1 ? "1 problem" : `${loaded.findings.length} problems`}), so no deployment file can be judged; fix the findings listed below`,
        { findings: loaded.findings },
      );
    }
    return result;
  }
  const byEnvironment = new Map<string, string[]>();
  for (const path of paths) {
    for (const env of environmentsOfPath(path, policy)) {
      byEnvironment.set(env, [...(byEnvironment.get(env) ?? []), path]);
    }
  }
  const roles = [...ctx.policy.roles.roles.keys()];
  for (const [environment, files] of [...byEnvironment].sort(([a], [b]) => a.localeCompare(b))) {
    const judgement = judgeEnvironment(ctx, policy, environment, files);
    result.judgements.push(judgement);
    for (const { change } of judgement.changes) {
      result.recordSod.set(change.id, executorSod(roles, policy.executor));
    }
  }
  return result;
}

/**
 * The executor of a change may have no other hand in it: not in another role, and not in the
 * executor's own role either (the ops lead who approved its schedule does not execute it).
 * Executing it again is no other hand (see `assign`).
 */
export function executorSod(roles: RoleId[], executor: RoleId): SodPairs {
  return roles.map((r): [RoleId, RoleId] => [executor, r]);
}

/**
 * Judges the deployment files of one environment (none: a deployment that brings no file, as a
 * protection rule may see, still needs every named change that applies to hold).
 */
export function judgeEnvironment(
  ctx: EvaluationContext,
  policy: DeploymentPolicy,
  environment: string,
  files: string[],
): DeploymentJudgement {
  const id = `deployments/${environment}`;
  const judgement: DeploymentJudgement = {
    id,
    environment,
    files,
    rules: [],
    slots: [],
    changes: [],
    changesAt: [],
  };
  const { usable, refused } = authorisingChanges(ctx, policy, environment);
  const why = refused.length > 0 ? `; ${refused.join("; ")}` : "";
  if (usable.length === 0) {
    judgement.rules.push(
      leaf(
        `${id}/change`,
        "failed",
        `${shown(files)} ${files.length === 1 ? "is a deployment file" : "are deployment files"} of ${environment}, which change only under a change ${policy.state} for ${environment}: name it with a line "Change: CHG-…" in the pull request's description${why}`,
      ),
    );
    return judgement;
  }
  const matchers = usable.map((change) => ({ change, covers: coversMatcher(change.covers) }));
  const used = new Set<ChangeFacts>();
  const uncovered: string[] = [];
  for (const file of files) {
    const covering = matchers.filter((m) => m.covers(file));
    if (covering.length === 0) uncovered.push(file);
    for (const m of covering) used.add(m.change);
  }
  const names = andList(usable.map((c) => c.id));
  // With no file to cover, every change that may authorise the environment is judged.
  if (files.length === 0) for (const change of usable) used.add(change);
  if (files.length === 0) {
    judgement.rules.push(
      leaf(`${id}/covers`, "satisfied", `no deployment file changes; judged under ${names}`),
    );
  } else if (uncovered.length > 0) {
    const covers = usable.map(
      (c) => `${c.id} covers ${c.covers.length > 0 ? andList(c.covers) : "nothing"}`,
    );
    judgement.rules.push(
      leaf(
        `${id}/covers`,
        "failed",
        `${shown(uncovered)} ${uncovered.length === 1 ? "is" : "are"} not covered by ${names} (${covers.join("; ")}); take ${uncovered.length === 1 ? "it" : "them"} out of this pull request, or widen the change's covers in a pull request of its own (which needs the change approved again)`,
      ),
    );
  } else {
    judgement.rules.push(
      leaf(
        `${id}/covers`,
        "satisfied",
        `${shown(files)} covered by ${andList([...used].map((c) => c.id))}`,
      ),
    );
  }
  const { calendar, path: calendarPath } = policyCalendar(ctx.policy);
  const schedule = scheduleOf(ctx);
  const workflow = ctx.policy.workflows.kinds.ChangeRequest;
  for (const change of used) {
    const base = `${id}/${change.id}`;
    let window = "no window";
    if (!change.window) {
      judgement.rules.push(
        leaf(
          `${base}/window`,
          "failed",
          `${change.id} has no window (window.start and window.end); it cannot deploy`,
        ),
      );
    } else if (!calendar) {
      judgement.rules.push(
        leaf(
          `${base}/window`,
          "failed",
          `${calendarPath} is missing or invalid, so the window of ${change.id} cannot be judged; fix the calendar`,
        ),
      );
    } else {
      window = formatWindow(change.window.start, change.window.end, calendar.timezone);
      const mode = windowModeOf(change, workflow, ctx.policy.workflows.lists, policy.state);
      const answer = judgeWindowNow(
        calendar,
        environment,
        change.window.start,
        change.window.end,
        ctx.snapshot.now,
        mode,
      );
      if (answer.changesAt) judgement.changesAt.push(answer.changesAt);
      judgement.rules.push(
        leaf(
          `${base}/window`,
          answer.ok ? "satisfied" : "failed",
          `${change.id}: ${answer.reason}`,
        ),
      );
    }
    judgement.changes.push({ change, window });
    // The change's earlier acts decide who may execute it, so evidence that cannot be trusted
    // fails the deployment (a change this pull request writes is judged by its record's node).
    if (!schedule.head.has(change.id))
      judgement.rules.push(...evidenceRule(change.id, base, ctx.snapshot.evidence));
    const standard = standardProblem(change, ctx.policy.workflows);
    if (standard) judgement.rules.push(leaf(`${base}/standard`, "failed", standard));
    const conflicts = overlapping(change, schedule.merged, policy.state);
    judgement.rules.push(
      conflicts.length > 0
        ? leaf(
            `${base}/conflicts`,
            "failed",
            `${change.id} conflicts with ${andList(conflicts.map((c) => `${c.id} (${c.window!.text.start} to ${c.window!.text.end})`))}: ${conflicts.length === 1 ? "another change" : "other changes"} of ${change.system ?? "the same system"} in ${environment} scheduled in an overlapping window; move one of the windows or cancel one change`,
          )
        : leaf(
            `${base}/conflicts`,
            "satisfied",
            `no other change of ${change.system ?? "its system"} in ${environment} overlaps the window of ${change.id}`,
          ),
    );
    judgement.slots.push(executorSlot(ctx, policy, base, change));
  }
  return judgement;
}

/** The executor of a change approves (or opens) the deployment pull request. */
function executorSlot(
  ctx: EvaluationContext,
  policy: DeploymentPolicy,
  base: string,
  change: ChangeFacts,
): Slot {
  const role = policy.executor;
  const author = ctx.snapshot.author;
  const approvers = ctx.approvers(role);
  // The executor may open the deployment pull request; four-eyes still needs someone else.
  const candidates = ctx.holds(author, role)
    ? [author, ...approvers.filter((l) => loginKey(l) !== loginKey(author))]
    : approvers;
  return {
    id: `${base}/executor`,
    kind: "execution",
    role,
    label: `${role} to execute ${change.id}`,
    record: change.id,
    group: `${base}/executor`,
    candidates,
    eligible: ctx.holders(role),
  };
}
