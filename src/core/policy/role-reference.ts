/** Checking that a policy names only roles that roles.yml defines. */
import type { Finding, RoleId, SourceLocation } from "../types.js";
import { didYouMean } from "./did-you-mean.js";

/**
 * A finding when `role` is not one of `known`, naming the close match or the defined roles.
 * `rolesPath` is where roles are defined, for the remedy.
 */
export function unknownRoleFinding(
  role: RoleId,
  known: ReadonlySet<RoleId>,
  at: SourceLocation,
  rolesPath: string,
): Finding | undefined {
  if (known.has(role)) return undefined;
  const close = didYouMean(role, known);
  const remedy =
    close !== undefined
      ? `did you mean "${close}"?`
      : known.size === 0
        ? `no roles are defined there; add it`
        : `the defined roles are ${[...known].join(", ")}; use one of them or add it there`;
  return {
    ...at,
    code: "policy/unknown-role",
    message: `role "${role}" is not defined in ${rolesPath}; ${remedy}`,
  };
}
