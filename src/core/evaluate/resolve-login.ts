import type { Login, Person } from "../types.js";

/** The e-mail -> login maps consulted, in order, after the login an adapter set itself. */
export interface Identities {
  /** From the snapshot (`--context` identities, GitHub's knowledge); keys in lower case. */
  known: Map<string, Login>;
  /** From the stages (for example the user ids of trusted keys); keys in lower case. */
  extra: Map<string, Login>;
}

// GitHub's private commit e-mails: "login@…" (old style) and "123+login@…" (new style).
const NOREPLY = /^(?:\d+\+)?([a-z\d](?:[a-z\d-]{0,38}))@users\.noreply\.github\.com$/i;

/**
 * The GitHub login of a commit's author or committer, or null when nobody can tell.
 *
 * Order: the login the adapter set; the snapshot's identities by e-mail (case-insensitive);
 * GitHub's noreply addresses; the stages' identities.
 */
export function resolveLogin(person: Person, identities: Identities): Login | null {
  if (person.login) return person.login;
  const email = person.email.trim().toLowerCase();
  if (email === "") return null;
  const known = identities.known.get(email);
  if (known) return known;
  const noreply = NOREPLY.exec(email)?.[1];
  if (noreply) return noreply;
  return identities.extra.get(email) ?? null;
}

/** Logins compare without regard to case, as GitHub does. */
export function loginKey(login: Login): string {
  return login.toLowerCase();
}

/** A lower-cased copy of an e-mail -> login record or map. */
export function identityMap(entries: Iterable<[string, Login]>): Map<string, Login> {
  const map = new Map<string, Login>();
  for (const [email, login] of entries) map.set(email.trim().toLowerCase(), login);
  return map;
}
