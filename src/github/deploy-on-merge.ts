/**
 * After a merge: a GitHub Deployment for every environment whose deployment files the pull
 * request changed under a scheduled change (ref = the merge commit, the environment, a payload
 * with the change id, its steps and rollback, `auto_merge: false`), and a post-implementation
 * review issue for every emergency change it scheduled or deployed under, assigned to the
 * people who acted as its reviewers' roles (else every holder), opened once per change.
 *
 * A redelivered merge creates nothing twice: a Deployment of the same merge, environment and
 * change, or a review issue of the same change, that this App made (GitHub names it in
 * `performed_via_github_app`) stands; one that someone else made does not.
 */
import { mergePlans } from "../core/deploy/deployment-plans.js";
import { roleHolders } from "../core/policy/roles.js";
import { loadPolicy } from "../core/policy/load-policy.js";
import type { Act, Login, Snapshot } from "../core/types.js";
import type { JudgeContext } from "./judge-pull-request.js";
import { ownIssues } from "./own-issues.js";
import { describeError } from "./redact.js";

export const REVIEW_LABEL = "gatehouse:post-implementation-review";
/** GitHub assigns at most ten people to an issue. */
const MAX_ASSIGNEES = 10;

export interface MergedPull {
  owner: string;
  repo: string;
  number: number;
  mergeSha: string;
}

/**
 * Creates the deployments and review issues of a merged pull request. Never throws: what could
 * not be done is logged and listed in `failures`, for the delivery to fail.
 */
export async function afterMerge(
  context: JudgeContext,
  pull: MergedPull,
  snapshot: Snapshot,
  acts: Act[],
  appId: number | undefined,
): Promise<{ deployments: number[]; issues: number[]; failures: string[] }> {
  const done = { deployments: [] as number[], issues: [] as number[], failures: [] as string[] };
  const failed = (what: string, fields: Record<string, unknown>, error: unknown) => {
    const reason = describeError(error);
    context.log.error({ ...fields, reason }, what);
    done.failures.push(`${what}: ${reason}`);
  };
  const plans = mergePlans(snapshot);
  const { owner, repo } = pull;
  let made: Set<string>;
  try {
    made = await ownDeployments(context, pull, appId, plans.deployments.length);
  } catch (error) {
    // Unknown whether an earlier delivery deployed: none is created rather than one twice.
    failed("could not create the deployment", { merge: pull.mergeSha }, error);
    made = new Set(plans.deployments.map(deploymentKey));
  }
  for (const plan of plans.deployments) {
    if (made.has(deploymentKey(plan))) continue;
    try {
      const { data } = await context.octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref: pull.mergeSha,
        environment: plan.environment,
        auto_merge: false,
        // The merge was gated by the gatehouse check; the protection rule gates the deployment.
        required_contexts: [],
        payload: plan.payload,
        description: `${plan.change.id} ${plan.change.title}`.slice(0, 140),
        production_environment: plan.environment === "production",
      });
      if ("id" in data) done.deployments.push(data.id);
    } catch (error) {
      failed("could not create the deployment", { change: plan.change.id }, error);
    }
  }
  if (plans.emergencies.length === 0) return done;
  try {
    const existing = await ownIssues(
      context.octokit,
      { owner, repo },
      { label: REVIEW_LABEL, appId },
    );
    const load = loadPolicy(snapshot.base.files);
    for (const change of plans.emergencies) {
      // The whole title: CHG-2026-00011's review must not stand for CHG-2026-0001's.
      if (existing.some((issue) => issue.title === reviewTitle(change.id))) continue;
      const assignees = reviewersOf(
        change.id,
        plans.reviewers,
        acts,
        snapshot,
        load.ok ? load.policy.roles : null,
      );
      const { data } = await context.octokit.rest.issues.create({
        owner,
        repo,
        title: reviewTitle(change.id),
        labels: [REVIEW_LABEL],
        assignees,
        body: [
          `Emergency change **${change.id}** (${change.title}) was merged in #${pull.number} (${pull.mergeSha.slice(0, 7)}).`,
          "",
          `Write its post-implementation review (\`review.summary\`) and close it: ${plans.reviewers.join(" and ")} approve the closing.`,
          "Until it is closed, every verdict that touches its system names it as overdue once the pack's limit has passed.",
        ].join("\n"),
      });
      done.issues.push(data.number);
    }
  } catch (error) {
    failed("could not open the post-implementation review", {}, error);
  }
  return done;
}

const reviewTitle = (id: string) => `Post-implementation review of emergency change ${id}`;

const deploymentKey = (plan: { environment: string; change: { id: string } }) =>
  `${plan.environment}\n${plan.change.id}`;

/** The deployments of the merge that this App already created (one request, when it deploys). */
async function ownDeployments(
  context: JudgeContext,
  pull: MergedPull,
  appId: number | undefined,
  planned: number,
): Promise<Set<string>> {
  if (planned === 0 || appId === undefined) return new Set();
  const deployments = await context.octokit.paginate(context.octokit.rest.repos.listDeployments, {
    owner: pull.owner,
    repo: pull.repo,
    sha: pull.mergeSha,
    per_page: 100,
  });
  return new Set(
    deployments.flatMap((d) => {
      const change = (d.payload as { change?: unknown } | null)?.change;
      return d.performed_via_github_app?.id === appId && typeof change === "string"
        ? [deploymentKey({ environment: d.environment, change: { id: change } })]
        : [];
    }),
  );
}

/** The people who acted in the reviewer roles on the change, else every holder; at most ten. */
function reviewersOf(
  id: string,
  roles: string[],
  acts: Act[],
  snapshot: Snapshot,
  policyRoles: Parameters<typeof roleHolders>[0] | null,
): Login[] {
  const out = new Set<Login>();
  for (const role of roles) {
    const acted = acts.filter((a) => a.record === id && a.role === role).map((a) => a.login);
    const holders =
      acted.length > 0 ? acted : policyRoles ? roleHolders(policyRoles, role, snapshot.teams) : [];
    for (const login of holders) out.add(login);
  }
  return [...out].slice(0, MAX_ASSIGNEES);
}
