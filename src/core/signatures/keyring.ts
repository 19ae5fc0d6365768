/**
 * The trusted keyring: every key under `<policies>/keys/` at the base commit, each belonging to
 * the login its file is named after. It comes from the base so that a pull request cannot
 * trust a key it adds itself.
 *
 * This is the one reader of the keyring for every consumer: commit signatures (the
 * `signatures` stage, `gatehouse keys`), identities (e-mail -> login), and anything else that
 * verifies a signature against the policy's keys. Use {@link loadKeyring} to read the files,
 * `keys` for the trusted keys and `problems` for what could not be trusted and why.
 */
import { createHash } from "node:crypto";
import type { PublicKey } from "openpgp";
import type { Finding, Login } from "../types.js";
import type { SshKeyLine } from "./allowed-signers.js";
import { readKeyFile } from "./key-files.js";
import { LruCache } from "./lru-cache.js";
import { mergeCopies, sharedEmails, sharedKeys } from "./merge-copies.js";

export type KeyType = "openpgp" | "ssh";

/** A revocation in words: when, why, and whether it withdraws trust in older signatures too. */
export interface Revocation {
  at: Date;
  /** "compromised", "no reason given", "superseded", "retired". */
  reason: string;
  /** Compromised or no reason: never trusted again, not even for older signatures. */
  hard: boolean;
}

/** A subkey of an OpenPGP key, as `gatehouse keys list` shows it. */
export interface SubkeyFacts {
  id: string;
  algorithm: string;
  expires: Date | null;
  revoked: Revocation | null;
}

/** What a key says about itself, OpenPGP or SSH, in the words `gatehouse keys list` shows. */
export interface KeyFacts {
  /** OpenPGP: "0x" and the 16-hex key id; SSH: "SHA256:…". What messages show. */
  id: string;
  /** OpenPGP: the 40-hex fingerprint; SSH: "SHA256:…". */
  fingerprint: string;
  /** "ed25519", "rsa-3072", "ecdsa-p256", … */
  algorithm: string;
  created: Date | null;
  /** When the key stops being valid, as its newest self-signature says; null: never. */
  expires: Date | null;
  /** The strongest valid revocation of the primary key (OpenPGP), when there is one. */
  revoked: Revocation | null;
  /** E-mails of the user ids (OpenPGP) or principals (SSH) that map to the login. */
  emails: string[];
  /** OpenPGP subkeys; empty for SSH. */
  subkeys: SubkeyFacts[];
}

/** One trusted key and what it says about itself. */
export interface KeyEntry extends KeyFacts {
  login: Login;
  type: KeyType;
  /** The file and line the key comes from (its first copy, when it appears more than once). */
  path: string;
  line: number;
  /** Further copies of the same key in the login's files, merged into this entry. */
  copies: Array<{ path: string; line: number }>;
  openpgp?: PublicKey;
  ssh?: SshKeyLine;
}

export interface Keyring {
  /** SHA-256 over the sorted paths and contents: what verification results are cached by. */
  digest: string;
  keys: KeyEntry[];
  /** Files or lines that could not be read or trusted; `gatehouse keys list` shows them. */
  problems: Finding[];
  /**
   * E-mails that keys of two or more logins claim, with those keys. Such an e-mail maps to no
   * login, so that no one can borrow another person's identity by naming their address.
   */
  sharedEmails: Map<string, KeyEntry[]>;
  /** SSH lines gatehouse refuses to trust although their key is readable (cert-authority). */
  refusedSsh: Array<{ path: string; line: number; blob: Uint8Array }>;
}

/** Key files as adapters hand them in: text, or the bytes of a file that is not text. */
export type KeyFiles = ReadonlyMap<string, string | Uint8Array>;

const cache = new LruCache<string, Promise<Keyring>>(16);

/** The SHA-256 of a set of key files, independent of map order. */
export function keyringDigest(keys: KeyFiles): string {
  const hash = createHash("sha256");
  for (const path of [...keys.keys()].sort()) {
    const content = keys.get(path) ?? "";
    hash
      .update(typeof content === "string" ? "t" : "b")
      .update(path)
      .update("\0")
      .update(content)
      .update("\0");
  }
  return hash.digest("hex");
}

/**
 * Parses the key files (path -> content) into a keyring. A file or line that cannot be read
 * becomes a problem with its place; it never throws. Parsed keyrings are cached by digest.
 */
export function loadKeyring(keys: KeyFiles): Promise<Keyring> {
  const digest = keyringDigest(keys);
  let keyring = cache.get(digest);
  if (!keyring) {
    keyring = parseKeyring(keys, digest);
    cache.set(digest, keyring);
    // Never keep a failure: the next evaluation should try again, not inherit it.
    keyring.catch(() => cache.delete(digest));
  }
  return keyring;
}

async function parseKeyring(keys: KeyFiles, digest: string): Promise<Keyring> {
  const keyring: Keyring = {
    digest,
    keys: [],
    problems: [],
    sharedEmails: new Map(),
    refusedSsh: [],
  };
  for (const path of [...keys.keys()].sort()) {
    const read = await readKeyFile(path, keys.get(path) ?? "");
    keyring.keys.push(...read.keys);
    keyring.problems.push(...read.problems);
    keyring.refusedSsh.push(...read.refusedSsh);
  }
  keyring.keys = await mergeCopies(keyring.keys);
  keyring.problems.push(...sharedKeys(keyring.keys));
  const shared = sharedEmails(keyring.keys.filter((k) => k.login !== WEB_FLOW_LOGIN));
  keyring.sharedEmails = shared.emails;
  keyring.problems.push(...shared.problems);
  return keyring;
}

/**
 * E-mail -> login from the keys' user ids and principals. An e-mail that two logins claim maps
 * to neither (see {@link Keyring.sharedEmails}).
 */
export function keyringIdentities(keyring: Keyring): Map<string, Login> {
  const map = new Map<string, Login>();
  for (const entry of keyring.keys) {
    if (entry.login === WEB_FLOW_LOGIN) continue;
    for (const email of entry.emails) {
      if (!keyring.sharedEmails.has(email)) map.set(email, entry.login);
    }
  }
  return map;
}

/**
 * The file name of GitHub's own web-flow signing key in the keyring (`web-flow.asc`). Commits
 * it signs were made in GitHub's web interface and are trusted only when the policy says so.
 */
export const WEB_FLOW_LOGIN = "web-flow";
