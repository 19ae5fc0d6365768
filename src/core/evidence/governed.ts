/**
 * Which paths gatehouse governs: a change of any of them must leave evidence when merged, and
 * `gatehouse audit` reports a commit of the default branch that changed one without evidence.
 */
import picomatch from "picomatch";
import { policyDeployments } from "../deploy/policy-deployments.js";
import { environmentsOfPath } from "../deploy/load-deployments.js";
import { CONFIG_PATH } from "../policy/load-config.js";
import { CODEOWNERS_PATH } from "../policy/load-policy.js";
import type { Policy } from "../policy/model.js";
import { recordKindForPath } from "../records/parse-record.js";

/**
 * A test for governed paths: records (under the record directories), the policies directory,
 * the configuration and CODEOWNERS, the globs of the path rules, and deployment files.
 */
export function governedMatcher(policy: Policy): (path: string) => boolean {
  const dir = `${policy.config.policies}/`;
  const rules = policy.workflows.rules.flatMap((rule) => rule.paths);
  const ruled = rules.length > 0 ? picomatch(rules, { dot: true }) : () => false;
  const deployments = policyDeployments(policy).deployments;
  return (path) =>
    path.startsWith(dir) ||
    path === CONFIG_PATH ||
    path === CODEOWNERS_PATH ||
    recordKindForPath(path, policy.config) !== null ||
    ruled(path) ||
    (deployments !== null && environmentsOfPath(path, deployments).length > 0);
}
