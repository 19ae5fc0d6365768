/**
 * The custom deployment protection rule (`deployment_protection_rule.requested`): approves or
 * rejects an Actions job that targets a protected environment, by the rules of a deployment pull
 * request (see core/deploy/judge-protection.ts), and says why in the rule's comment. GitHub waits
 * for the answer, but a webhook delivery that is not answered within 10 seconds counts as failed,
 * so the whole judgement runs inside the delivery with a time limit; past it, or on any error,
 * the job is rejected with the reason (fail closed) and can be re-run.
 */
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import { environmentsOfPath } from "../core/deploy/load-deployments.js";
import { namedChanges } from "../core/deploy/named-changes.js";
import { policyDeployments } from "../core/deploy/policy-deployments.js";
import { judgeDeploymentRequest, type DeploymentAnswer } from "../core/deploy/judge-protection.js";
import { recordEvidence } from "../core/evidence/record-evidence.js";
import { loadPolicy } from "../core/policy/load-policy.js";
import type { Evidence, Login } from "../core/types.js";
import type { TreeNode, BlobNode } from "./graphql-types.js";
import type { JudgeContext } from "./judge-pull-request.js";
import { policyTeams } from "./policy-teams.js";
import { describeError } from "./redact.js";
import { blobText, flattenTree } from "./snapshot-parts.js";
import { BLOB, POLICY_TREE } from "./snapshot-queries.js";
import { changeRecordsOf } from "./change-records.js";
import { readRecordLedger } from "./read-ledger.js";
import { readTeamMembers } from "./team-members.js";

/** GitHub gives up on a webhook delivery after 10 s; answer well before that. */
export const PROTECTION_TIME_LIMIT_MS = 8_000;
/** Deployments of the environment looked at to find the last one that succeeded. */
const DEPLOYMENTS_LOOKED_AT = 10;
/** GitHub's compare lists at most this many files; more cannot be shown covered. */
const COMPARE_FILE_LIMIT = 300;

export interface ProtectionRequest {
  owner: string;
  repo: string;
  defaultBranch: string;
  environment: string;
  sha: string;
  callbackUrl: string;
  /** Who triggered the job: the executor. */
  sender: Login;
  /** The change the deployment's payload names (our own deployments carry one). */
  payloadChange: string | null;
  /** The id of the deployment being judged, left out when looking for the last one. */
  deploymentId: number | null;
}

export interface ProtectionDeps {
  /**
   * The earlier acts on the named changes; by default read from the evidence ledger on GitHub
   * (refs/notes/gatehouse, one request) and verified against the default branch's keys.
   */
  evidenceFor?(
    context: JudgeContext,
    request: ProtectionRequest,
    ids: string[],
  ): Promise<Evidence[]>;
  now?(): Date;
  timeLimitMs?: number;
  /** This App's id: only the statuses of Deployments it created go into evidence. */
  appId?: number | undefined;
}

const QUERY = `query GatehouseDeployment($owner: String!, $name: String!, $config: String!, $policies: String!, $changes: String!, $sha: GitObjectID!) {
  repository(owner: $owner, name: $name) {
    config: object(expression: $config) { ... on Blob { ...BlobText } }
    policies: object(expression: $policies) { ... on Tree { ...PolicyTree } }
    changes: object(expression: $changes) { ... on Tree { ...PolicyTree } }
    deployed: object(oid: $sha) { ... on Commit { message associatedPullRequests(first: 5) { nodes { body merged } } } }
  }
}
${BLOB}
${POLICY_TREE}`;

interface Answer {
  repository: {
    config: BlobNode | null;
    policies: TreeNode | null;
    changes: TreeNode | null;
    deployed: {
      message?: string;
      associatedPullRequests?: {
        nodes: Array<{ body: string; merged: boolean } | null> | null;
      } | null;
    } | null;
  } | null;
}

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
    judge(context, request, deps).catch((error: unknown) =>
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

async function judge(
  context: JudgeContext,
  request: ProtectionRequest,
  deps: ProtectionDeps,
): Promise<DeploymentAnswer> {
  const branch = request.defaultBranch;
  const read = async (policies: string, changes: string) =>
    context.octokit.graphql<Answer>(QUERY, {
      owner: request.owner,
      name: request.repo,
      config: `${branch}:${CONFIG_PATH}`,
      policies: `${branch}:${policies}`,
      changes: `${branch}:${changes}`,
      sha: request.sha,
    });
  let answer = await read("policies", "changes");
  const configText = blobText(answer.repository?.config);
  const { config } = loadConfig(configText ?? undefined);
  const changesDir = config.records.ChangeRequest.replace(/\/+$/, "");
  if (config.policies !== "policies" || changesDir !== "changes") {
    answer = await read(config.policies, changesDir);
  }
  const repository = answer.repository;
  if (!repository) throw new Error(`the repository ${request.owner}/${request.repo} was not found`);
  const baseFiles = new Map<string, string>();
  if (configText !== null) baseFiles.set(CONFIG_PATH, configText);
  const unreadable = flattenTree(repository.policies, baseFiles);
  if (unreadable.length > 0)
    throw new Error(`${unreadable.slice(0, 3).join(", ")} of the policy could not be read`);
  const changeRecords = changeRecordsOf(repository.changes, config);
  const load = loadPolicy(baseFiles);
  const deployments = load.ok ? policyDeployments(load.policy).deployments : null;

  const names = new Set<string>();
  if (request.payloadChange)
    for (const id of namedChanges(`Change: ${request.payloadChange}`)) names.add(id);
  for (const id of namedChanges(repository.deployed?.message)) names.add(id);
  for (const pull of repository.deployed?.associatedPullRequests?.nodes ?? []) {
    if (pull?.merged) for (const id of namedChanges(pull.body)) names.add(id);
  }
  const files = deployments
    ? await deployedFiles(context, request, (p) =>
        environmentsOfPath(p, deployments).includes(request.environment.toLowerCase()),
      )
    : [];
  const teams = load.ok ? await readTeamMembers(context.octokit, policyTeams(baseFiles)) : {};
  const ids = [...names];
  const now = deps.now?.() ?? new Date();
  const evidence = deps.evidenceFor
    ? await deps.evidenceFor(context, request, ids)
    : await ledgerEvidence(context, request, { branch, baseFiles, changeRecords, ids, now });
  return judgeDeploymentRequest({
    repo: `${request.owner}/${request.repo}`,
    environment: request.environment,
    sha: request.sha,
    base: { sha: branch, files: baseFiles },
    changeRecords,
    changes: ids,
    files,
    executor: request.sender,
    teams,
    now,
    evidence,
  });
}

/**
 * The executor's earlier acts on the named changes, from the evidence ledger on GitHub as a pull
 * request's judgement reads them: one request, verified against the default branch's evidence
 * key, compared with the change records there. A document that does not verify, or a change that
 * moved on without evidence, becomes a failed entry, which rejects (judge-deployments.ts).
 */
async function ledgerEvidence(
  context: JudgeContext,
  request: ProtectionRequest,
  at: {
    branch: string;
    baseFiles: Map<string, string>;
    changeRecords: Map<string, string>;
    ids: string[];
    /** The time of judgement: the evidence key must be valid then. */
    now: Date;
  },
): Promise<Evidence[]> {
  if (at.ids.length === 0) return [];
  const ledger = await readRecordLedger(context.octokit, request, at.ids);
  const judged = {
    base: { sha: at.branch, files: at.baseFiles },
    changed: [],
    body: at.ids.map((id) => `Change: ${id}`).join("\n"),
    changeRecords: at.changeRecords,
    now: at.now,
  };
  return recordEvidence(judged, ledger);
}

/**
 * The deployment files the job deploys: those changed since the environment's last successful
 * deployment, or every one of them when it has none. What cannot be listed whole rejects.
 */
async function deployedFiles(
  context: JudgeContext,
  request: ProtectionRequest,
  deploys: (path: string) => boolean,
): Promise<string[]> {
  const { owner, repo } = request;
  const { data: list } = await context.octokit.rest.repos.listDeployments({
    owner,
    repo,
    environment: request.environment,
    per_page: DEPLOYMENTS_LOOKED_AT,
  });
  let since: string | null = null;
  for (const deployment of list) {
    if (deployment.id === request.deploymentId) continue;
    const { data: statuses } = await context.octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: deployment.id,
      per_page: 1,
    });
    if (statuses[0]?.state === "success") {
      since = deployment.sha;
      break;
    }
  }
  if (since === null) {
    const { data: tree } = await context.octokit.rest.git.getTree({
      owner,
      repo,
      tree_sha: request.sha,
      recursive: "1",
    });
    if (tree.truncated)
      throw new Error(
        "the repository's tree is too large for GitHub to list whole, so the deployment files cannot be shown covered",
      );
    return tree.tree.flatMap((e) =>
      e.type !== "tree" && e.path && deploys(e.path) ? [e.path] : [],
    );
  }
  if (since === request.sha) return [];
  const { data: compare } = await context.octokit.rest.repos.compareCommitsWithBasehead({
    owner,
    repo,
    basehead: `${since}...${request.sha}`,
    per_page: COMPARE_FILE_LIMIT,
  });
  const changed = compare.files ?? [];
  if (changed.length >= COMPARE_FILE_LIMIT) {
    throw new Error(
      `more than ${COMPARE_FILE_LIMIT - 1} files changed since the last deployment to ${request.environment}; deploy in smaller steps`,
    );
  }
  const paths = changed.flatMap((f) =>
    f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
  );
  return [...new Set(paths.filter(deploys))];
}
