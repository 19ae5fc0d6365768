/** Who holds a role, through direct membership or a team. */
import type { Login, RoleId, TeamName } from "../types.js";
import type { Member, RolesPolicy } from "./model.js";

// GitHub logins and team slugs are case-insensitive; every comparison goes through this.
const norm = (name: string): string => name.replace(/^@/, "").toLowerCase();

function teamMembers(teams: Record<TeamName, Login[]>, team: TeamName): Login[] {
  const wanted = norm(team);
  const members: Login[] = [];
  for (const [name, logins] of Object.entries(teams)) {
    if (norm(name) === wanted) members.push(...logins);
  }
  return members;
}

function memberLogins(member: Member, teams: Record<TeamName, Login[]>): Login[] {
  return "login" in member ? [member.login] : teamMembers(teams, member.team);
}

/**
 * The lower-case logins holding `role`: its direct members and the members of its teams (as
 * the snapshot's `teams` lists them). An unknown role has no holders.
 */
export function roleHolders(
  roles: RolesPolicy,
  role: RoleId,
  teams: Record<TeamName, Login[]>,
): Set<Login> {
  const holders = new Set<Login>();
  for (const member of roles.roles.get(role)?.members ?? []) {
    for (const login of memberLogins(member, teams)) holders.add(norm(login));
  }
  return holders;
}

/** Every role `login` holds, directly or through a team; the login's case does not matter. */
export function rolesOf(
  roles: RolesPolicy,
  login: Login,
  teams: Record<TeamName, Login[]>,
): Set<RoleId> {
  const wanted = norm(login);
  const held = new Set<RoleId>();
  for (const role of roles.roles.keys()) {
    if (roleHolders(roles, role, teams).has(wanted)) held.add(role);
  }
  return held;
}
