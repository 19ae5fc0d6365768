/** `roles.yml`: who holds which role, and which roles one person may never combine. */
import type { Finding, RoleId } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import { createAjv, schemaFindings } from "../yaml/schema-findings.js";
import type { Member, Role, RolesPolicy } from "./model.js";
import { unknownRoleFinding } from "./role-reference.js";
import rolesSchema from "./schemas/roles.schema.json" with { type: "json" };

const validateRoles = createAjv().compile(rolesSchema);

interface RolesFile {
  roles: Record<string, { members: string[] }>;
  "separation-of-duties"?: string[][];
}

/** "@zhang-wei" -> a login, "@acme/qa" -> a team. Logins are kept lower-case: GitHub ignores case. */
export function parseMember(text: string): Member {
  const name = text.replace(/^@/, "");
  return name.includes("/") ? { team: name.toLowerCase() } : { login: name.toLowerCase() };
}

/**
 * Parses and validates roles.yml. Returns null roles when the file cannot be understood;
 * separation-of-duties pairs that name an unknown role are findings.
 */
export function parseRoles(
  path: string,
  text: string,
): { roles: RolesPolicy | null; findings: Finding[] } {
  const parse = parseYaml(path, text);
  if (parse.findings.length > 0) return { roles: null, findings: parse.findings };
  const findings = schemaFindings(validateRoles, parse.data, parse, "policy/schema");
  if (findings.length > 0) return { roles: null, findings };

  const file = parse.data as RolesFile;
  const roles = new Map<RoleId, Role>();
  for (const [id, role] of Object.entries(file.roles)) {
    const pointer = `/roles/${id}`;
    roles.set(id, { id, members: role.members.map(parseMember), at: parse.locateKey(pointer) });
  }
  const known = new Set(roles.keys());
  const separationOfDuties: RolesPolicy["separationOfDuties"] = [];
  for (const [i, pair] of (file["separation-of-duties"] ?? []).entries()) {
    const [first, second] = pair as [RoleId, RoleId];
    let valid = true;
    for (const [j, role] of [first, second].entries()) {
      const finding = unknownRoleFinding(
        role,
        known,
        parse.locate(`/separation-of-duties/${i}/${j}`),
        path,
      );
      if (finding !== undefined) {
        findings.push(finding);
        valid = false;
      }
    }
    if (valid && first === second) {
      findings.push({
        ...parse.locate(`/separation-of-duties/${i}`),
        code: "policy/schema",
        message: `a separation-of-duties pair must name two different roles; found "${first}" twice; replace one with the role that ${first} may not be combined with`,
      });
      valid = false;
    }
    if (valid) {
      separationOfDuties.push({
        roles: [first, second],
        at: parse.locate(`/separation-of-duties/${i}`),
      });
    }
  }
  return { roles: { roles, separationOfDuties }, findings };
}
