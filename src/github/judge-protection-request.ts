/** Reading what a deployment protection rule is judged by on GitHub, and judging it. */
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import { environmentsOfPath } from "../core/deploy/load-deployments.js";
import { namedChanges } from "../core/deploy/named-changes.js";
import { policyDeployments } from "../core/deploy/policy-deployments.js";
import { judgeDeploymentRequest, type DeploymentAnswer } from "../core/deploy/judge-protection.js";
import { recordEvidence } from "../core/evidence/record-evidence.js";
import { loadPolicy } from "../core/policy/load-policy.js";
import type { Evidence } from "../core/types.js";
import { deployedFiles } from "./deployed-files.js";
import type { TreeNode, BlobNode } from "./graphql-types.js";
import type { JudgeContext } from "./judge-pull-request.js";
import { policyTeams } from "./policy-teams.js";
import type { ProtectionDeps, ProtectionRequest } from "./protection-request.js";
import { blobText, flattenTree } from "./snapshot-parts.js";
import { BLOB, POLICY_TREE } from "./snapshot-queries.js";
import { changeRecordsOf } from "./change-records.js";
import { readRecordLedger } from "./read-ledger.js";
import { readTeamMembers } from "./team-members.js";

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

/**
 * Judges one protection rule request by the default branch: its configuration, policy and
 * change records, the changes the deployed commit names, the files the job deploys and the
 * earlier acts on those changes. Throws when any of them cannot be read.
 */
export async function judgeProtectionRequest(
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
