/**
 * `policies/deployments.yml`: where each environment's deployment files live, the state a change
 * must be in to deploy, the role that executes, and the emergency review. Like every policy file
 * it is read from the base commit. A missing file means the defaults below, so that
 * `deploy/<environment>/**` is governed in every repository, configured or not.
 */
import picomatch from "picomatch";
import { unknownRoleFinding } from "../policy/role-reference.js";
import type { Finding, RoleId } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import { createAjv, schemaFindings } from "../yaml/schema-findings.js";
import schema from "./deployments.schema.json" with { type: "json" };

export const ENVIRONMENT_SLOT = "{environment}";

/** A glob with `{environment}` as one folder name: the folder names the environment. */
export interface PathTemplate {
  text: string;
  /** Which folder of a path names the environment. */
  segment: number;
  match: (path: string) => boolean;
}

export interface DeploymentPolicy {
  /** Where it was read from, or the file it would be read from when absent. */
  path: string;
  templates: PathTemplate[];
  /** Environment (lower case) -> globs of its deployment files, beside the templates. */
  environments: Map<string, { globs: string[]; match: (path: string) => boolean }>;
  /** The ChangeRequest state a change must be in to deploy. */
  state: string;
  /** The role whose holder executes: approves the deployment and has no other hand in the change. */
  executor: RoleId;
  emergency: { reviewDays: number; reviewers: RoleId[] };
}

export const DEFAULT_DEPLOYMENTS = {
  paths: [`deploy/${ENVIRONMENT_SLOT}/**`],
  state: "scheduled",
  executor: "ops-lead",
  emergency: { reviewDays: 5, reviewers: ["qa", "ops-manager"] },
} as const;

const validate = createAjv().compile(schema);

// Deployment tools read paths as the file system of their machine does; on a case-insensitive
// one `Deploy/Production/` is the production folder, so matching ignores case.
const GLOB_OPTIONS = { dot: true, nocase: true } as const;

interface RawDeployments {
  paths?: string[];
  environments?: Record<string, string[]>;
  state?: string;
  executor?: string;
  emergency?: { "review-within-days"?: number; reviewers?: string[] };
}

/**
 * Parses deployments.yml (`text` undefined: the file is absent, and the defaults apply).
 * `roles` are the roles of roles.yml, so that a misspelt executor is a finding, not a rule
 * no one can ever meet.
 */
export function loadDeployments(
  path: string,
  text: string | undefined,
  roles: ReadonlySet<RoleId>,
  rolesPath: string,
): { policy: DeploymentPolicy | null; findings: Finding[] } {
  let raw: RawDeployments = {};
  const findings: Finding[] = [];
  let locate = (_pointer: string) => ({ path, line: 1, column: 1 });
  if (text !== undefined) {
    const parse = parseYaml(path, text);
    if (parse.findings.length > 0) return { policy: null, findings: parse.findings };
    findings.push(...schemaFindings(validate, parse.data, parse, "deployments/schema"));
    if (findings.length > 0) return { policy: null, findings };
    raw = parse.data as RawDeployments;
    locate = parse.locate;
  }
  const templates: PathTemplate[] = [];
  (raw.paths ?? DEFAULT_DEPLOYMENTS.paths).forEach((text, i) => {
    const segments = text.split("/");
    const segment = segments.indexOf(ENVIRONMENT_SLOT);
    const before = segments.slice(0, Math.max(segment, 0));
    if (segment < 0 || before.some((s) => s.includes("**"))) {
      findings.push({
        ...locate(`/paths/${i}`),
        code: "deployments/path",
        message: `"${text}" must hold ${ENVIRONMENT_SLOT} as a whole folder name with no ** before it, such as deploy/${ENVIRONMENT_SLOT}/**`,
      });
      return;
    }
    const glob = segments.map((s, j) => (j === segment ? "*" : s)).join("/");
    templates.push({ text, segment, match: picomatch(glob, GLOB_OPTIONS) });
  });
  const environments: DeploymentPolicy["environments"] = new Map();
  for (const [name, globs] of Object.entries(raw.environments ?? {})) {
    environments.set(name.toLowerCase(), { globs, match: picomatch(globs, GLOB_OPTIONS) });
  }
  const executor = raw.executor ?? DEFAULT_DEPLOYMENTS.executor;
  const reviewers = raw.emergency?.reviewers ?? [...DEFAULT_DEPLOYMENTS.emergency.reviewers];
  const named: Array<[RoleId, string]> = [
    [executor, "/executor"],
    ...reviewers.map((role, i): [RoleId, string] => [role, `/emergency/reviewers/${i}`]),
  ];
  for (const [role, pointer] of named) {
    const finding = unknownRoleFinding(role, roles, locate(pointer), rolesPath);
    // The defaults name the finance pack's roles; a repository without them has a file to write.
    if (finding && text === undefined) {
      finding.message = `${finding.message} (the default of ${path}, which is missing; write it to name your roles)`;
    }
    if (finding) findings.push(finding);
  }
  if (findings.length > 0) return { policy: null, findings };
  return {
    policy: {
      path,
      templates,
      environments,
      state: raw.state ?? DEFAULT_DEPLOYMENTS.state,
      executor,
      emergency: {
        reviewDays:
          raw.emergency?.["review-within-days"] ?? DEFAULT_DEPLOYMENTS.emergency.reviewDays,
        reviewers,
      },
    },
    findings,
  };
}

/**
 * The environments (lower case) whose deployment files include `path`: the folder a template
 * names, and every environment whose own globs match. Empty for a file that deploys nothing.
 */
export function environmentsOfPath(path: string, policy: DeploymentPolicy): string[] {
  const found = new Set<string>();
  for (const template of policy.templates) {
    if (!template.match(path)) continue;
    const name = path.split("/")[template.segment];
    if (name !== undefined && name !== "") found.add(name.toLowerCase());
  }
  for (const [name, env] of policy.environments) if (env.match(path)) found.add(name);
  return [...found].sort();
}
