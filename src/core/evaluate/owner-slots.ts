import type { Owner, OwnersEntry } from "../policy/model.js";
import { matchOwners } from "../policy/match-owners.js";
import type { Login } from "../types.js";
import type { EvaluationContext } from "./context.js";
import { loginKey } from "./resolve-login.js";
import type { Slot } from "./slot.js";

/**
 * One slot per distinct OWNERS entry that owns a changed path (the last matching line wins; a
 * line without owners removes ownership). Any one listed owner's approval fills it; the
 * author's never does, because approvals already leave the author out.
 */
export function ownerSlots(ctx: EvaluationContext, paths: string[]): Slot[] {
  const entries = new Map<OwnersEntry, string>();
  for (const path of paths) {
    const entry = matchOwners(ctx.policy.owners, path);
    if (entry && entry.owners.length > 0 && !entries.has(entry)) entries.set(entry, path);
  }
  const slots: Slot[] = [];
  for (const entry of entries.keys()) {
    const eligible = expandOwners(entry.owners, ctx);
    const keys = new Set(eligible.map(loginKey));
    const id = `owners/${entry.pattern}`;
    slots.push({
      id,
      kind: "owners",
      role: null,
      label: `an owner of ${entry.pattern} (${entry.owners.map(ownerName).join(", ")})`,
      record: null,
      group: `${id}@${entry.at.line}`,
      candidates: ctx.approvals.map((a) => a.user).filter((login) => keys.has(loginKey(login))),
      eligible,
    });
  }
  return slots;
}

function expandOwners(owners: Owner[], ctx: EvaluationContext): Login[] {
  const out = new Map<string, Login>();
  for (const owner of owners) {
    const logins =
      "login" in owner
        ? [owner.login]
        : "team" in owner
          ? (ctx.snapshot.teams[owner.team] ?? [])
          : ctx.holders(owner.role);
    for (const login of logins) if (!out.has(loginKey(login))) out.set(loginKey(login), login);
  }
  return [...out.values()];
}

/** An owner as OWNERS writes it. */
export function ownerName(owner: Owner): string {
  return "login" in owner
    ? `@${owner.login}`
    : "team" in owner
      ? `@${owner.team}`
      : `role:${owner.role}`;
}
