/**
 * `policies/deployments.yml`: where each environment's deployment files live, the state a change
 * must be in to deploy, the role that executes, and the emergency review. Like every policy file
 * it is read from the base commit. A missing file means the defaults below, so that
 * `deploy/<environment>/**` is governed in every repository, configured or not.
 */
import { comparablePath, pathMatcher } from "../paths/path-matcher.js";
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

/**
 * Whether a path is a deployment file by the default paths: what a pull request touches when the
 * deployment policy itself cannot be read, so that a broken file cannot hide deployment files.
 */
export const isDefaultDeploymentFile = pathMatcher(
  DEFAULT_DEPLOYMENTS.paths.map((p) => p.replace(ENVIRONMENT_SLOT, "*")),
);

const validate = createAjv().compile(schema);

// Deployment files are found through the project's one path matcher, like every other path rule:
// deployment tools read paths as the file system of their machine does, so on a case-insensitive
// one `Deploy/Production/` is the production folder, and a name holding a control character
// (which picomatch's `*` and `**` would not cross) is still a deployment file. Finding more
// files only adds requirements. A change's `covers` (covers.ts) are matched the other way round,
// case-sensitively on the name as git stores it: there a looser match would authorise more, so
// `deploy/Production/…` or a name with a control character is left uncovered, and refused.

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
    templates.push({ text, segment, match: pathMatcher(glob) });
  });
  const environments: DeploymentPolicy["environments"] = new Map();
  for (const [name, globs] of Object.entries(raw.environments ?? {})) {
    environments.set(name.toLowerCase(), { globs, match: pathMatcher(globs) });
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
  // The folder is read from the path as the matcher compared it (no leading "./", controls as
  // "_"), so that the template's folder number points at the same folder.
  const folders = comparablePath(path).split("/");
  for (const template of policy.templates) {
    if (!template.match(path)) continue;
    const name = folders[template.segment];
    if (name !== undefined && name !== "") found.add(name.toLowerCase());
  }
  for (const [name, env] of policy.environments) if (env.match(path)) found.add(name);
  return [...found].sort();
}
