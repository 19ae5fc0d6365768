/**
 * The custom deployment protection rule: whether a deployment to an environment may go ahead
 * now, by the same rules as a pull request that changes its deployment files. The request is
 * judged as such a pull request would be: opened by the person who triggers the deployment (the
 * executor), naming the changes the deployment names, bringing the deployment files it deploys,
 * against the policy and change records of the default branch's tip. Pure.
 */
import { assign, DEFAULT_BUDGET } from "../evaluate/assign.js";
import { buildContext } from "../evaluate/context.js";
import { slotNodes } from "../evaluate/slot-nodes.js";
import { historyActs } from "../evidence/evidence-rule.js";
import { loadPolicy } from "../policy/load-policy.js";
import type { Act, Evidence, Login, RuleResult, TeamName } from "../types.js";
import { deploymentNodes } from "./deployment-nodes.js";
import { executorSod, judgeEnvironment } from "./judge-deployments.js";
import { policyDeployments } from "./policy-deployments.js";

export interface DeploymentRequest {
  repo: string;
  environment: string;
  /** The commit to deploy. */
  sha: string;
  /** The default branch's tip: its policy and change records judge the deployment. */
  base: { sha: string; files: Map<string, string> };
  changeRecords: Map<string, string>;
  /** The change ids the deployment names (its payload, the commit, its pull request). */
  changes: string[];
  /** Deployment files the deployment brings (changed since the environment's last deployment). */
  files: string[];
  /** Who triggers the deployment: the executor. */
  executor: Login;
  teams: Record<TeamName, Login[]>;
  evidence?: Evidence[];
  now: Date;
}

export interface DeploymentAnswer {
  approved: boolean;
  /** One paragraph for the protection rule's comment: why, naming the change and window. */
  comment: string;
  node: RuleResult;
  acts: Act[];
  /** When time alone changes the answer (the window opens or closes). */
  changesAt?: Date;
}

/** Judges a deployment request. Fails closed: anything that cannot be judged rejects. */
export function judgeDeploymentRequest(request: DeploymentRequest): DeploymentAnswer {
  const reject = (reason: string): DeploymentAnswer => ({
    approved: false,
    comment: reason,
    node: { id: "deployments", status: "failed", reason, children: [] },
    acts: [],
  });
  try {
    const load = loadPolicy(request.base.files);
    if (!load.ok) {
      const first = load.findings[0];
      return reject(
        `the policy of the default branch cannot be loaded${first ? ` (${first.path}:${first.line}:${first.column} ${first.message})` : ""}, so no deployment can be approved`,
      );
    }
    const policy = load.policy;
    const snapshot = {
      repo: request.repo,
      author: request.executor,
      base: request.base,
      head: { sha: request.sha, files: new Map<string, string>() },
      changed: request.files.map((path) => ({ path, status: "modified" as const })),
      commits: [],
      approvals: [],
      teams: request.teams,
      labels: [],
      checks: {},
      now: request.now,
      body: request.changes.map((id) => `Change: ${id}`).join("\n"),
      changeRecords: request.changeRecords,
      ...(request.evidence ? { evidence: request.evidence } : {}),
    };
    const ctx = buildContext(snapshot, policy, [], new Map());
    const deployments = policyDeployments(policy).deployments;
    if (!deployments) {
      return reject(
        `${policyDeployments(policy).path} cannot be used, so no deployment can be approved`,
      );
    }
    const judgement = judgeEnvironment(
      ctx,
      deployments,
      request.environment.toLowerCase(),
      request.files,
    );
    const roles = [...policy.roles.roles.keys()];
    const recordSod = new Map(
      judgement.changes.map(({ change }) => [change.id, executorSod(roles, deployments.executor)]),
    );
    const sod = policy.roles.separationOfDuties.map((p) => p.roles);
    // Only verified (or hand-given) evidence counts; a failed document rejects the change.
    const history = historyActs(request.evidence);
    const result = assign({
      slots: judgement.slots,
      sod,
      history,
      recordSod,
      budget: DEFAULT_BUDGET,
    });
    const filled = slotNodes(ctx, judgement.slots, { ...result, sod, history, recordSod });
    const [root] = deploymentNodes(
      { judgements: [judgement], policyNode: null, recordSod },
      filled,
      result.filled,
    );
    const node = root!.children[0]!;
    const approved = node.status === "satisfied";
    const answer: DeploymentAnswer = {
      approved,
      comment: approved ? `Approved: ${node.reason}.` : `Rejected: ${problems(node).join("; ")}.`,
      node,
      acts: filled.acts,
    };
    const next = judgement.changesAt.filter((d) => d.getTime() > request.now.getTime());
    if (next.length > 0) answer.changesAt = new Date(Math.min(...next.map((d) => d.getTime())));
    return answer;
  } catch (error) {
    return reject(
      `gatehouse could not judge this deployment: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The reasons of every leaf that does not hold, in tree order. */
function problems(node: RuleResult): string[] {
  if (node.children.length === 0)
    return node.status === "satisfied" || node.status === "skipped" ? [] : [node.reason];
  return node.children.flatMap(problems);
}
