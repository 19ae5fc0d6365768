/** The deployment policy of a policy (`<policies>/deployments.yml` of the base commit), read once. */
import type { Policy } from "../policy/model.js";
import type { Finding } from "../types.js";
import { loadDeployments, type DeploymentPolicy } from "./load-deployments.js";

export interface PolicyDeployments {
  path: string;
  /** Null when the file (or, without it, the defaults) cannot be used. */
  deployments: DeploymentPolicy | null;
  findings: Finding[];
  /** Whether the file exists; without it the defaults apply. */
  present: boolean;
}

let last: { key: string; loaded: PolicyDeployments } | undefined;

/** The deployment policy; the defaults (`deploy/{environment}/**`) when the file is absent. */
export function policyDeployments(policy: Policy): PolicyDeployments {
  const dir = policy.config.policies;
  const path = `${dir}/deployments.yml`;
  const text = policy.files.get(path);
  const roles = [...policy.roles.roles.keys()];
  const key = `${path}\0${text ?? "\0absent"}\0${roles.join(",")}`;
  if (last?.key !== key) {
    const { policy: deployments, findings } = loadDeployments(
      path,
      text,
      new Set(roles),
      `${dir}/roles.yml`,
    );
    last = { key, loaded: { path, deployments, findings, present: text !== undefined } };
  }
  return last.loaded;
}
