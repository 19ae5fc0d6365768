import { loadPolicy } from "../core/policy/load-policy.js";
import type { TeamName } from "../core/types.js";

/**
 * The teams the base commit's policy names, in roles and in OWNERS, so that the loader can list
 * their members. A policy that does not load names no teams: the core then fails on the policy
 * itself, which says more than a missing team would.
 */
export function policyTeams(baseFiles: Map<string, string>): TeamName[] {
  const load = loadPolicy(baseFiles);
  if (!load.ok) return [];
  const teams = new Set<TeamName>();
  for (const role of load.policy.roles.roles.values()) {
    for (const member of role.members) if ("team" in member) teams.add(member.team);
  }
  for (const entry of load.policy.owners) {
    for (const owner of entry.owners) if ("team" in owner) teams.add(owner.team);
  }
  return [...teams].sort();
}
