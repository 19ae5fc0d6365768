/**
 * Loading the whole policy from the files of the base commit. Policy is read from the base,
 * never from the head, so a pull request cannot approve itself by editing the rules.
 */
import { createHash } from "node:crypto";
import { LruCache } from "../signatures/lru-cache.js";
import type { Finding } from "../types.js";
import { CONFIG_PATH, loadConfig } from "./load-config.js";
import type { OwnersEntry, PolicyLoad } from "./model.js";
import { parseOwners } from "./parse-owners.js";
import { parseRoles } from "./parse-roles.js";
import { parseWorkflows } from "./parse-workflows.js";

/** The repository's own CODEOWNERS, used instead of `<policies>/OWNERS` when configured. */
export const CODEOWNERS_PATH = ".github/CODEOWNERS";

/**
 * Loads config, roles, owners and workflows from `files` (path from the repository root ->
 * content). Keys under `<policies>/keys/` and the other files of the policies directory
 * (privacy.yml, calendar.yml) are passed on untouched. Fails closed: any finding means
 * `ok: false`, because judging with a half-understood policy could let a change through.
 */
export function loadPolicy(files: Map<string, string>): PolicyLoad {
  try {
    // Production judges many pull requests against the same base policy, as the keyring is
    // cached by digest; the load is pure, so equal policy files give an equal result.
    const digest = policyDigest(files);
    let load = loaded.get(digest);
    if (load === undefined) {
      load = readPolicy(files);
      loaded.set(digest, load);
    }
    return load;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      findings: [
        {
          path: CONFIG_PATH,
          line: 1,
          column: 1,
          code: "policy/internal",
          message: `gatehouse could not load the policy (${reason}), so nothing can be approved; please report this as a bug`,
        },
      ],
    };
  }
}

/** Loads by the digest of their policy files; shared, so callers treat a load as read-only. */
const loaded = new LruCache<string, PolicyLoad>(16);

/** Forgets every policy loaded, so that a benchmark can measure a cold load. */
export function forgetLoadedPolicies(): void {
  loaded.clear();
}

/**
 * The SHA-256 of everything {@link readPolicy} reads: the config, the repository's CODEOWNERS
 * and every file under the policies directory the config names, independent of map order.
 * Other files of the base commit (old versions of records) do not change the policy.
 */
export function policyDigest(files: Map<string, string>): string {
  const configText = files.get(CONFIG_PATH);
  const dir = `${loadConfig(configText, CONFIG_PATH).config.policies}/`;
  const hash = createHash("sha256");
  const paths = [...files.keys()].filter(
    (path) => path.startsWith(dir) || path === CONFIG_PATH || path === CODEOWNERS_PATH,
  );
  for (const path of paths.sort()) {
    hash
      .update(path)
      .update("\0")
      .update(files.get(path) ?? "")
      .update("\0");
  }
  return hash.digest("hex");
}

function readPolicy(files: Map<string, string>): PolicyLoad {
  const { config, findings } = loadConfig(files.get(CONFIG_PATH), CONFIG_PATH);
  const dir = `${config.policies}/`;
  const rolesPath = `${dir}roles.yml`;
  const workflowsPath = `${dir}workflows.yml`;
  const ownersPath = config.codeowners ? CODEOWNERS_PATH : `${dir}OWNERS`;

  const missing = (path: string, what: string): Finding => ({
    path,
    line: 1,
    column: 1,
    code: "policy/missing-file",
    message: `${path} is missing, so gatehouse cannot tell ${what}; run "gatehouse init" to write the finance pack, or add the file`,
  });

  const rolesText = files.get(rolesPath);
  const roles =
    rolesText === undefined
      ? { roles: null, findings: [missing(rolesPath, "who holds which role")] }
      : parseRoles(rolesPath, rolesText);
  findings.push(...roles.findings);
  const knownRoles = new Set(roles.roles?.roles.keys() ?? []);
  // Without roles every role would look unknown; report the roles file alone then.
  const checkedRoles = roles.roles === null ? null : knownRoles;

  const workflowsText = files.get(workflowsPath);
  let workflows = null;
  if (workflowsText === undefined) {
    findings.push(missing(workflowsPath, "which transitions are allowed"));
  } else {
    const parsed = parseWorkflows(
      workflowsPath,
      workflowsText,
      checkedRoles ?? ANY_ROLE,
      rolesPath,
    );
    findings.push(...parsed.findings);
    workflows = parsed.workflows;
  }

  let owners: OwnersEntry[] = [];
  const ownersText = files.get(ownersPath);
  if (ownersText !== undefined) {
    const parsed = parseOwners(ownersPath, ownersText, checkedRoles ?? ANY_ROLE, rolesPath);
    findings.push(...parsed.findings);
    owners = parsed.entries;
  } else if (config.codeowners) {
    findings.push({
      ...missing(ownersPath, "who owns which path"),
      message: `${ownersPath} is missing, but ${CONFIG_PATH} sets codeowners: true; add the file or remove the setting`,
    });
  }

  const keys = new Map<string, string>();
  const other = new Map<string, string>();
  const own = new Set([rolesPath, workflowsPath, ownersPath]);
  for (const [path, content] of files) {
    if (!path.startsWith(dir) || own.has(path)) continue;
    (path.startsWith(`${dir}keys/`) ? keys : other).set(path, content);
  }

  if (findings.length > 0 || roles.roles === null || workflows === null) {
    return { ok: false, findings };
  }
  return {
    ok: true,
    policy: { config, roles: roles.roles, owners, workflows, files: other, keys },
    findings,
  };
}

/** Stands in for the roles when roles.yml itself is broken, so only that file is reported. */
const ANY_ROLE: ReadonlySet<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();
