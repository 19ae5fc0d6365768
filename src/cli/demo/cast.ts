import type { Login, RoleId } from "../../core/types.js";

/** A person of the demo's bank, with the role they hold in `roles.yml`. */
export interface DemoPerson {
  login: Login;
  name: string;
  role: RoleId;
  /** How the narrative calls them: "the release manager". */
  title: string;
}

/** One person per role of the finance pack, plus a second security admin for policy changes. */
export const CAST: readonly DemoPerson[] = [
  {
    login: "liu-yang",
    name: "Liu Yang",
    role: "requirements-liaison",
    title: "the requirements liaison",
  },
  { login: "zhang-wei", name: "Zhang Wei", role: "architect", title: "the architect" },
  { login: "wang-jun", name: "Wang Jun", role: "dev-lead", title: "the dev lead" },
  { login: "sun-li", name: "Sun Li", role: "test-lead", title: "the test lead" },
  { login: "li-na", name: "Li Na", role: "release-manager", title: "the release manager" },
  { login: "zhao-min", name: "Zhao Min", role: "qa", title: "QA" },
  { login: "chen-jie", name: "Chen Jie", role: "ops-lead", title: "the ops lead" },
  { login: "huang-lei", name: "Huang Lei", role: "dev-manager", title: "the dev manager" },
  { login: "zhou-qiang", name: "Zhou Qiang", role: "ops-manager", title: "the ops manager" },
  { login: "xu-ming", name: "Xu Ming", role: "security-admin", title: "a security admin" },
  { login: "guo-fang", name: "Guo Fang", role: "security-admin", title: "a security admin" },
];

/**
 * Extra memberships beyond one role each: the ops lead deputises for the release manager, and
 * the release manager for the ops lead, which is allowed, but separation of duties keeps each
 * from doing both on one change. The ops manager deputises as ops lead too: the ops lead who
 * scheduled a change may not execute it, so a deployment needs a second ops lead.
 */
export const DEPUTIES: ReadonlyArray<{ login: Login; role: RoleId }> = [
  { login: "chen-jie", role: "release-manager" },
  { login: "li-na", role: "ops-lead" },
  { login: "zhou-qiang", role: "ops-lead" },
];

export const EMAIL_DOMAIN = "bank.example";

export function emailOf(login: Login): string {
  return `${login}@${EMAIL_DOMAIN}`;
}

export function person(login: Login): DemoPerson {
  const found = CAST.find((p) => p.login === login);
  if (!found) throw new Error(`the demo has no person '${login}'.`);
  return found;
}
