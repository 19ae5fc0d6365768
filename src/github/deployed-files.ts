/** The deployment files an Actions job deploys, as GitHub lists them (see protection-rule.ts). */
import type { JudgeContext } from "./judge-pull-request.js";
import type { ProtectionRequest } from "./protection-request.js";

/** Deployments of the environment looked at to find the last one that succeeded. */
const DEPLOYMENTS_LOOKED_AT = 10;
/** GitHub's compare lists at most this many files; more cannot be shown covered. */
const COMPARE_FILE_LIMIT = 300;

/**
 * The deployment files the job deploys: those changed since the environment's last successful
 * deployment, or every one of them when it has none. What cannot be listed whole rejects.
 */
export async function deployedFiles(
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
