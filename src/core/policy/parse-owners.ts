/** OWNERS (or `.github/CODEOWNERS`): GitHub CODEOWNERS syntax, with `role:<id>` owners. */
import type { Finding, RoleId, SourceLocation } from "../types.js";
import type { Owner, OwnersEntry } from "./model.js";
import { unknownRoleFinding } from "./role-reference.js";

const LOGIN = /^@([A-Za-z0-9][A-Za-z0-9-]*)$/;
const TEAM = /^@([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*)$/;
const ROLE = /^role:(.+)$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Parses an OWNERS file line by line. Each owner is checked against the owner syntax and,
 * for `role:<id>`, against the roles of roles.yml (`knownRoles`, defined in `rolesPath`).
 * Lines with an unsupported pattern (`!`, `[ ]`) are left out and reported, since GitHub would
 * not honour them either.
 */
export function parseOwners(
  path: string,
  text: string,
  knownRoles: ReadonlySet<RoleId>,
  rolesPath: string,
): { entries: OwnersEntry[]; findings: Finding[] } {
  const entries: OwnersEntry[] = [];
  const findings: Finding[] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.replace(/(^|\s)#.*$/, "");
    const tokens = [...line.matchAll(/\S+/g)];
    const first = tokens[0];
    if (first === undefined) continue;
    const at = (column: number): SourceLocation => ({ path, line: index + 1, column: column + 1 });
    const pattern = first[0];
    const patternProblem = unsupportedPattern(pattern);
    if (patternProblem !== undefined) {
      findings.push({ ...at(first.index), code: "policy/owners-syntax", message: patternProblem });
      continue;
    }
    const owners: Owner[] = [];
    for (const token of tokens.slice(1)) {
      const place = at(token.index);
      const owner = parseOwner(token[0]);
      if (typeof owner === "string") {
        findings.push({ ...place, code: "policy/owners-syntax", message: owner });
        continue;
      }
      if ("role" in owner) {
        const unknown = unknownRoleFinding(owner.role, knownRoles, place, rolesPath);
        if (unknown !== undefined) {
          findings.push(unknown);
          continue;
        }
      }
      owners.push(owner);
    }
    entries.push({ pattern, owners, at: at(first.index) });
  }
  return { entries, findings };
}

function unsupportedPattern(pattern: string): string | undefined {
  if (pattern.startsWith("!")) {
    return `the pattern "${pattern}" starts with "!", but negation is not supported in OWNERS (nor by GitHub CODEOWNERS); list the paths that need owners, or add a later line without owners to remove ownership`;
  }
  if (/[[\]]/.test(pattern)) {
    return `the pattern "${pattern}" uses a character range "[ ]", which OWNERS does not support (nor does GitHub CODEOWNERS); write one line per name instead`;
  }
  return undefined;
}

/** An owner, or the message saying why the token is not one. */
function parseOwner(token: string): Owner | string {
  const login = LOGIN.exec(token);
  if (login?.[1] !== undefined) return { login: login[1].toLowerCase() };
  const team = TEAM.exec(token);
  if (team?.[1] !== undefined) return { team: team[1].toLowerCase() };
  const role = ROLE.exec(token);
  if (role?.[1] !== undefined) return { role: role[1] };
  if (EMAIL.test(token)) {
    return `this owner is an e-mail address, which gatehouse cannot match to an approval; write the GitHub login as @login instead`;
  }
  return `owner "${token}" is not an owner gatehouse understands; write @login, @org/team or role:<id>`;
}
