/**
 * Mistakes of a repository that is being set up, which the gate meets only later and then on
 * every pull request: the policy pack's example members still holding roles, and signatures
 * required while no key is trusted (every commit would fail).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Policy } from "../../core/policy/model.js";
import { loadKeyring } from "../../core/signatures/keyring.js";
import type { Finding } from "../../core/types.js";
import { parseYaml } from "../../core/yaml/parse-yaml.js";
import { findPackageRoot } from "../package-root.js";

type RolesData = { roles?: Record<string, { members?: unknown } | null> } | null;

/** The findings of both checks, for a policy that loaded from `files` (path -> content). */
export async function adoptionFindings(
  policy: Policy,
  files: Map<string, string>,
): Promise<Finding[]> {
  return [...(await exampleMembers(policy, files)), ...(await keylessSignatures(policy, files))];
}

/**
 * Members of roles.yml that came with the pack (`@example-…` logins, `@acme/…` teams): `init`
 * writes them so that the file shows its shape, and they must be replaced before the gate can
 * ask the right people. Compared with the pack as gatehouse ships it, so they are exactly the
 * members init wrote.
 */
async function exampleMembers(policy: Policy, files: Map<string, string>): Promise<Finding[]> {
  const path = `${policiesDir(policy)}/roles.yml`;
  const text = files.get(path);
  if (text === undefined) return [];
  const examples = await packMembers();
  const parsed = parseYaml(path, text);
  const roles = (parsed.data as RolesData)?.roles ?? {};
  const findings: Finding[] = [];
  for (const [role, spec] of Object.entries(roles)) {
    const members = Array.isArray(spec?.members) ? (spec.members as unknown[]) : [];
    for (const [index, member] of members.entries()) {
      if (typeof member !== "string" || !examples.has(normalise(member))) continue;
      findings.push({
        ...parsed.locate(`/roles/${escape(role)}/members/${index}`),
        code: "roles/example-member",
        message: `${member} is one of the example members 'gatehouse init' wrote; replace it with the GitHub login (@login) or team (@org/team) of your ${role}`,
      });
    }
  }
  return findings;
}

async function keylessSignatures(policy: Policy, files: Map<string, string>): Promise<Finding[]> {
  if (!policy.workflows.signatures.required) return [];
  const keyring = await loadKeyring(policy.keys);
  if (keyring.keys.length > 0) return [];
  const dir = policiesDir(policy);
  const path = `${dir}/workflows.yml`;
  const at = parseYaml(path, files.get(path) ?? "").locate("/signatures/required");
  return [
    {
      ...at,
      path,
      code: "signatures/no-keys",
      message: `signatures are required, but ${dir}/keys/ holds no public key, so every commit would fail the gate; add each signer's key there with 'gatehouse keys add' (<login>.asc for OpenPGP, <login>.pub for SSH), or set signatures.required to false`,
    },
  ];
}

let cached: Promise<Set<string>> | undefined;

/** Every member the shipped packs' roles.yml files name. */
function packMembers(): Promise<Set<string>> {
  cached ??= (async () => {
    const text = await readFile(
      join(findPackageRoot(), "policies", "finance", "roles.yml"),
      "utf8",
    );
    const roles = (parseYaml("roles.yml", text).data as RolesData)?.roles ?? {};
    const members = Object.values(roles).flatMap((spec) =>
      Array.isArray(spec?.members) ? (spec.members as unknown[]) : [],
    );
    return new Set(members.filter((m): m is string => typeof m === "string").map(normalise));
  })();
  return cached;
}

/** Logins and teams compare without regard to case or a leading "@", as GitHub's do. */
function normalise(member: string): string {
  return member.trim().replace(/^@/, "").toLowerCase();
}

function policiesDir(policy: Policy): string {
  return policy.config.policies.replace(/\/+$/, "");
}

/** A JSON pointer segment. */
function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
