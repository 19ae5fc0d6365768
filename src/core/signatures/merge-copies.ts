/**
 * What only the whole keyring shows: one key exported twice, one key listed for two logins,
 * and one e-mail claimed by two logins' keys.
 */
import type { PublicKey } from "openpgp";
import { maskValue } from "../privacy/mask-value.js";
import type { Finding } from "../types.js";
import type { KeyEntry } from "./keyring.js";
import { describeOpenPgpKey } from "./openpgp-facts.js";

// Far enough ahead that every signature, whenever it was made, is merged.
const END_OF_TIME = new Date(8.64e15);

/**
 * One key with every user id, subkey and signature of two copies of it, as GnuPG merges them
 * on import, so that a revocation in either applies.
 */
export function mergeKeys(key: PublicKey, copy: PublicKey): Promise<PublicKey> {
  return key.update(copy, END_OF_TIME);
}

const ownerKey = (entry: KeyEntry) => `${entry.login.toLowerCase()}\0${entry.fingerprint}`;

/**
 * Merges the copies of one OpenPGP key that a login's files hold into one entry, as GnuPG does
 * on import: every user id, subkey and signature of every copy, so that the strongest
 * revocation applies. Appending a fresh `gpg --armor --export` to an old one thus adds its
 * revocations instead of being ignored. Copies that cannot be merged drop the key (fail closed).
 */
export async function mergeCopies(entries: KeyEntry[]): Promise<KeyEntry[]> {
  const groups = new Map<string, KeyEntry[]>();
  const out: Array<KeyEntry | KeyEntry[]> = [];
  for (const entry of entries) {
    if (entry.type !== "openpgp") {
      out.push(entry);
      continue;
    }
    const group = groups.get(ownerKey(entry));
    if (group) group.push(entry);
    else {
      const fresh = [entry];
      groups.set(ownerKey(entry), fresh);
      out.push(fresh);
    }
  }
  const merged: KeyEntry[] = [];
  for (const item of out) {
    if (!Array.isArray(item)) merged.push(item);
    else if (item.length === 1) merged.push(item[0] as KeyEntry);
    else merged.push(await mergeGroup(item));
  }
  return merged;
}

async function mergeGroup(copies: KeyEntry[]): Promise<KeyEntry> {
  const [first, ...rest] = copies as [KeyEntry, ...KeyEntry[]];
  let key = first.openpgp as PublicKey;
  for (const copy of rest) key = await mergeKeys(key, copy.openpgp as PublicKey);
  return {
    ...first,
    ...(await describeOpenPgpKey(key)),
    openpgp: key,
    copies: rest.map(({ path, line }) => ({ path, line })),
  };
}

/** A key listed for two logins is a problem: whichever login signs, ownership is unclear. */
export function sharedKeys(entries: KeyEntry[]): Finding[] {
  const owners = new Map<string, KeyEntry>();
  const findings: Finding[] = [];
  for (const entry of entries) {
    const first = owners.get(entry.fingerprint);
    if (!first) owners.set(entry.fingerprint, entry);
    else if (first.login.toLowerCase() !== entry.login.toLowerCase()) {
      findings.push({
        path: entry.path,
        line: entry.line,
        column: 1,
        code: "keys/shared-key",
        message: `key ${entry.id} is also listed for ${first.login} in ${first.path}; a key must belong to one login, remove one of them.`,
      });
    }
  }
  return findings;
}

/**
 * E-mails that keys of two or more logins claim, and a finding at each such key naming the
 * others. The e-mail maps to neither login, so the owner's own commits would show as an
 * unknown contributor's: the finding says so, and where to fix it.
 */
export function sharedEmails(entries: KeyEntry[]): {
  emails: Map<string, KeyEntry[]>;
  problems: Finding[];
} {
  const claims = new Map<string, KeyEntry[]>();
  for (const entry of entries) {
    for (const email of entry.emails) claims.set(email, [...(claims.get(email) ?? []), entry]);
  }
  const emails = new Map<string, KeyEntry[]>();
  const problems: Finding[] = [];
  for (const [email, claimants] of claims) {
    const logins = new Set(claimants.map((c) => c.login.toLowerCase()));
    if (logins.size < 2) continue;
    emails.set(email, claimants);
    for (const entry of claimants) {
      const others = claimants
        .filter((c) => c.login.toLowerCase() !== entry.login.toLowerCase())
        .map((c) => `${c.login} (${c.path}:${c.line})`);
      problems.push({
        path: entry.path,
        line: entry.line,
        column: 1,
        code: "keys/shared-email",
        message: `the e-mail ${maskValue("email", email)} of ${entry.login}'s key ${entry.id} is also claimed by the key of ${[...new Set(others)].join(" and ")}; it now maps commits to neither login, so their author shows as an unknown contributor: keep the address only in its owner's key.`,
      });
    }
  }
  return { emails, problems };
}
