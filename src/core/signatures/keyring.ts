/**
 * The trusted keyring: every key under `<policies>/keys/` at the base commit, each belonging to
 * the login its file is named after. It comes from the base so that a pull request cannot
 * trust a key it adds itself.
 */
import { createHash } from "node:crypto";
import { readKeys, type PublicKey } from "openpgp";
import type { Finding, Login } from "../types.js";
import { parseSshKeyLines, type SshKeyLine } from "./allowed-signers.js";
import { describeOpenPgpKey } from "./openpgp-facts.js";
import { LruCache } from "./lru-cache.js";

export type KeyType = "openpgp" | "ssh";

/** What a key says about itself, OpenPGP or SSH, in the words `gatehouse keys list` shows. */
export interface KeyFacts {
  /** OpenPGP: "0x" and the 16-hex key id; SSH: "SHA256:…". What messages show. */
  id: string;
  /** OpenPGP: the 40-hex fingerprint; SSH: "SHA256:…". */
  fingerprint: string;
  /** "ed25519", "rsa-3072", "ecdsa-p256", … */
  algorithm: string;
  created: Date | null;
  /** When the key stops being valid; null when it never expires. */
  expires: Date | null;
  /** OpenPGP revocation of the primary key, when there is one. */
  revoked: { at: Date; reason: string; hard: boolean } | null;
  /** E-mails of the user ids (OpenPGP) or principals (SSH) that map to the login. */
  emails: string[];
}

/** One trusted key and what it says about itself. */
export interface KeyEntry extends KeyFacts {
  login: Login;
  type: KeyType;
  /** The file and line the key comes from. */
  path: string;
  line: number;
  openpgp?: PublicKey;
  ssh?: SshKeyLine;
}

export interface Keyring {
  /** SHA-256 over the sorted paths and contents: what verification results are cached by. */
  digest: string;
  keys: KeyEntry[];
  /** Files or lines that could not be read; `gatehouse keys list` shows them. */
  problems: Finding[];
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const cache = new LruCache<string, Promise<Keyring>>(16);

/** The SHA-256 of a set of key files, independent of map order. */
export function keyringDigest(keys: Map<string, string>): string {
  const hash = createHash("sha256");
  for (const path of [...keys.keys()].sort()) {
    hash
      .update(path)
      .update("\0")
      .update(keys.get(path) ?? "")
      .update("\0");
  }
  return hash.digest("hex");
}

/**
 * Parses the key files (path -> content) into a keyring. A file or line that cannot be read
 * becomes a problem with its place; it never throws. Parsed keyrings are cached by digest.
 */
export function loadKeyring(keys: Map<string, string>): Promise<Keyring> {
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

/** The start of any armored or PEM private key: OpenPGP, OpenSSH, PKCS#1/#8, EC. */
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/;

async function parseKeyring(keys: Map<string, string>, digest: string): Promise<Keyring> {
  const keyring: Keyring = { digest, keys: [], problems: [] };
  const problem = (path: string, line: number, column: number, code: string, message: string) =>
    keyring.problems.push({ path, line, column, code: `keys/${code}`, message });

  for (const path of [...keys.keys()].sort()) {
    const content = keys.get(path) ?? "";
    const file = path.slice(path.lastIndexOf("/") + 1);
    if (file.startsWith(".") || /^readme/i.test(file)) continue;
    const dot = file.lastIndexOf(".");
    const login = dot > 0 ? file.slice(0, dot) : file;
    const extension = dot > 0 ? file.slice(dot) : "";
    const secret = PRIVATE_KEY.exec(content);
    if (secret) {
      const line = content.slice(0, secret.index).split("\n").length;
      problem(
        path,
        line,
        1,
        "private-key",
        "this is a PRIVATE key: remove it from the repository and its history, and rotate it, since everyone who can read the repository has it; keep only public keys here",
      );
      continue;
    }
    if (extension !== ".asc" && extension !== ".pub") {
      problem(
        path,
        1,
        1,
        "unknown-file",
        "is neither <login>.asc nor <login>.pub, so it trusts nobody; rename or remove it.",
      );
      continue;
    }
    if (!LOGIN.test(login)) {
      problem(
        path,
        1,
        1,
        "bad-login",
        `"${login}" is not a GitHub login; name the file after the key owner's login.`,
      );
      continue;
    }
    if (extension === ".asc") await readOpenPgpFile(keyring, path, login, content, problem);
    else readSshFile(keyring, path, login, content, problem);
  }
  flagDuplicates(keyring, problem);
  return keyring;
}

type Problem = (path: string, line: number, column: number, code: string, message: string) => void;

async function readOpenPgpFile(
  keyring: Keyring,
  path: string,
  login: Login,
  content: string,
  problem: Problem,
): Promise<void> {
  const blocks = armorBlocks(content);
  if (blocks.length === 0) {
    problem(
      path,
      1,
      1,
      "no-key",
      `holds no "-----BEGIN PGP PUBLIC KEY BLOCK-----"; export the key with "gpg --armor --export".`,
    );
  }
  for (const block of blocks) {
    let read: PublicKey[];
    try {
      read = await readKeys({ armoredKeys: block.text });
    } catch (error) {
      problem(
        path,
        block.line,
        1,
        "unreadable",
        `is not a readable OpenPGP key (${(error as Error).message}); export it again with "gpg --armor --export".`,
      );
      continue;
    }
    for (const key of read) {
      if (key.isPrivate()) {
        problem(
          path,
          block.line,
          1,
          "private-key",
          "holds a PRIVATE key; remove it from the repository now and replace it with the public key.",
        );
        continue;
      }
      const facts: KeyFacts = await describeOpenPgpKey(key);
      keyring.keys.push({ login, type: "openpgp", path, line: block.line, ...facts, openpgp: key });
    }
  }
}

function readSshFile(
  keyring: Keyring,
  path: string,
  login: Login,
  content: string,
  problem: Problem,
): void {
  const { keys, problems } = parseSshKeyLines(content);
  for (const p of problems) problem(path, p.line, p.column, "bad-ssh-line", `${p.message}.`);
  if (keys.length === 0 && problems.length === 0) {
    problem(
      path,
      1,
      1,
      "no-key",
      `holds no SSH public key; add a line such as "ssh-ed25519 AAAA… ${login}".`,
    );
  }
  for (const line of keys) {
    keyring.keys.push({
      login,
      type: "ssh",
      path,
      line: line.line,
      id: line.key.fingerprint,
      fingerprint: line.key.fingerprint,
      algorithm: line.key.algorithm,
      created: line.validAfter ?? null,
      expires: line.validBefore ?? null,
      revoked: null,
      emails: line.principals.filter((p) => p.includes("@")).map((p) => p.toLowerCase()),
      ssh: line,
    });
  }
}

/** A key listed for two logins is a problem: whichever login signs, ownership is unclear. */
function flagDuplicates(keyring: Keyring, problem: Problem): void {
  const owners = new Map<string, KeyEntry>();
  for (const entry of keyring.keys) {
    const first = owners.get(entry.fingerprint);
    if (!first) owners.set(entry.fingerprint, entry);
    else if (first.login !== entry.login) {
      problem(
        entry.path,
        entry.line,
        1,
        "shared-key",
        `${entry.path}:${entry.line} key ${entry.id} is also listed for ${first.login} in ${first.path}; a key must belong to one login, remove one of them.`,
      );
    }
  }
}

/** The armored blocks of a file, with the line each starts on. */
function armorBlocks(content: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = content.split(/\r?\n/);
  let start = -1;
  lines.forEach((text, index) => {
    if (/^-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----/.test(text)) start = index;
    else if (start !== -1 && /^-----END PGP (PUBLIC|PRIVATE) KEY BLOCK-----/.test(text)) {
      blocks.push({ line: start + 1, text: lines.slice(start, index + 1).join("\n") + "\n" });
      start = -1;
    }
  });
  return blocks;
}

/**
 * E-mail -> login from the keys' user ids and principals. An e-mail that two logins claim maps
 * to neither, so that no one can borrow another person's identity by naming their address.
 */
export function keyringIdentities(keyring: Keyring): Map<string, Login> {
  const map = new Map<string, Login>();
  const contested = new Set<string>();
  for (const entry of keyring.keys) {
    if (entry.login === WEB_FLOW_LOGIN) continue;
    for (const email of entry.emails) {
      const seen = map.get(email);
      if (seen !== undefined && seen.toLowerCase() !== entry.login.toLowerCase())
        contested.add(email);
      else map.set(email, entry.login);
    }
  }
  for (const email of contested) map.delete(email);
  return map;
}

/**
 * The file name of GitHub's own web-flow signing key in the keyring (`web-flow.asc`). Commits
 * it signs were made in GitHub's web interface and are trusted only when the policy says so.
 */
export const WEB_FLOW_LOGIN = "web-flow";
