import { parseDocument } from "yaml";
import type { Login, RoleId } from "../../core/types.js";

/**
 * The files of `gatehouse init` made ready for a story: the given people become the members
 * of their roles (replacing the pack's examples), and their keys the trusted keys. Without
 * keys, signatures are switched off in this copy of the pack, since nobody could sign.
 */
export function demoPack(
  files: Map<string, string>,
  people: ReadonlyArray<{ login: Login; role: RoleId }>,
  keys: Map<Login, string> | null,
): Map<string, string> {
  const result = new Map(files);
  const roles = parseDocument(files.get("policies/roles.yml") ?? "version: 1\nroles: {}\n");
  const members = new Map<RoleId, string[]>();
  for (const { login, role } of people) {
    members.set(role, [...(members.get(role) ?? []), `@${login}`]);
  }
  for (const [role, logins] of members) roles.setIn(["roles", role, "members"], logins);
  result.set("policies/roles.yml", String(roles));
  if (keys) {
    for (const [login, key] of keys) result.set(`policies/keys/${login}.pub`, key);
  } else {
    const workflows = parseDocument(files.get("policies/workflows.yml") ?? "version: 1\n");
    workflows.setIn(["signatures", "required"], false);
    result.set("policies/workflows.yml", String(workflows));
  }
  return result;
}
