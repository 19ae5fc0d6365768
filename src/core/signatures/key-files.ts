/**
 * One file of the keyring directory read into trusted keys and problems: `<login>.asc` holds
 * armored OpenPGP keys, `<login>.pub` SSH public key lines. A private key, in any form, is
 * called out first, wherever it lies and whatever its name.
 */
import { readKeys, revokeKey, type PublicKey } from "openpgp";
import type { Finding, Login } from "../types.js";
import { parseSshKeyLines, sshLineEmails } from "./allowed-signers.js";
import type { KeyEntry, Keyring } from "./keyring.js";
import { ANY_TIME, describeOpenPgpKey } from "./openpgp-facts.js";

export interface KeyFileRead {
  keys: KeyEntry[];
  problems: Finding[];
  refusedSsh: Keyring["refusedSsh"];
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** The start of a text private key: OpenPGP, OpenSSH, PKCS#1/#8, EC, and PuTTY's. */
const PRIVATE_KEY =
  /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----|^PuTTY-User-Key-File-\d+:/m;

const ROTATE =
  "remove it from the repository and its history, and rotate it (revoke it and make a new one), since everyone who can read the repository has it; keep only public keys here";

/** Reads one key file. Never throws: what cannot be read becomes a problem with its place. */
export async function readKeyFile(
  path: string,
  content: string | Uint8Array,
): Promise<KeyFileRead> {
  const read: KeyFileRead = { keys: [], problems: [], refusedSsh: [] };
  const problem = (line: number, column: number, code: string, message: string) =>
    read.problems.push({ path, line, column, code: `keys/${code}`, message });

  const file = path.slice(path.lastIndexOf("/") + 1);
  if (typeof content !== "string") {
    await readBinary(content, problem);
    return read;
  }
  const secret = PRIVATE_KEY.exec(content);
  if (secret) {
    const line = content.slice(0, secret.index).split("\n").length;
    problem(line, 1, "private-key", `this is a PRIVATE key: ${ROTATE}.`);
    return read;
  }
  if (file.startsWith(".") || /^readme/i.test(file)) return read;
  const dot = file.lastIndexOf(".");
  const login = dot > 0 ? file.slice(0, dot) : file;
  const extension = dot > 0 ? file.slice(dot) : "";
  if (extension !== ".asc" && extension !== ".pub") {
    problem(
      1,
      1,
      "unknown-file",
      "is neither <login>.asc nor <login>.pub, so it trusts nobody; rename or remove it.",
    );
  } else if (!LOGIN.test(login)) {
    problem(
      1,
      1,
      "bad-login",
      `"${login}" is not a GitHub login; name the file after the key owner's login.`,
    );
  } else if (extension === ".asc") {
    await readOpenPgp(read, path, login, content, problem);
  } else {
    readSsh(read, path, login, content, problem);
  }
  return read;
}

type Problem = (line: number, column: number, code: string, message: string) => void;

/**
 * A file that is not text. gatehouse reads only armored keys (the GitHub App cannot read
 * binary files), but says what the bytes are: above all, a private key exported without
 * `--armor` is as much a leak as an armored one.
 */
async function readBinary(bytes: Uint8Array, problem: Problem): Promise<void> {
  let keys: PublicKey[] = [];
  try {
    keys = await readKeys({ binaryKeys: bytes });
  } catch {
    // Not a key openpgp can read; the packet tag below still tells a secret key.
  }
  if (keys.some((k) => k.isPrivate()) || isSecretKeyPacket(bytes[0])) {
    problem(1, 1, "private-key", `this is a PRIVATE key (a binary OpenPGP export): ${ROTATE}.`);
  } else if (keys.length > 0) {
    problem(
      1,
      1,
      "binary-key",
      'is a binary OpenPGP export, which gatehouse does not read; export the public key again with "gpg --armor --export <key id>".',
    );
  } else {
    problem(
      1,
      1,
      "binary-file",
      "is not a text file, so it trusts nobody: keys/ holds armored OpenPGP public keys (<login>.asc) and SSH public key lines (<login>.pub). If it is a private key, remove it from the repository and its history, and rotate it.",
    );
  }
}

/** Whether the first byte of OpenPGP data opens a secret key or secret subkey packet. */
function isSecretKeyPacket(first: number | undefined): boolean {
  if (first === undefined || (first & 0x80) === 0) return false;
  const tag = (first & 0x40) !== 0 ? first & 0x3f : (first >> 2) & 0x0f;
  return tag === 5 || tag === 7;
}

async function readOpenPgp(
  read: KeyFileRead,
  path: string,
  login: Login,
  content: string,
  problem: Problem,
): Promise<void> {
  const blocks = armorBlocks(content);
  if (blocks.length === 0) {
    problem(
      1,
      1,
      "no-key",
      `holds no "-----BEGIN PGP PUBLIC KEY BLOCK-----"; export the key with "gpg --armor --export".`,
    );
  }
  const unread: Array<{ line: number; text: string; error: string }> = [];
  for (const block of blocks) {
    let keys: PublicKey[];
    try {
      keys = await readKeys({ armoredKeys: block.text });
    } catch (error) {
      unread.push({ ...block, error: (error as Error).message });
      continue;
    }
    for (const key of keys) {
      if (key.isPrivate()) {
        problem(block.line, 1, "private-key", `holds a PRIVATE key: ${ROTATE}.`);
        continue;
      }
      const facts = await describeOpenPgpKey(key);
      read.keys.push({
        login,
        type: "openpgp",
        path,
        line: block.line,
        copies: [],
        ...facts,
        openpgp: key,
      });
    }
  }
  // A block that is no key may be a revocation certificate (gpg --gen-revoke, or the one GnuPG
  // keeps in openpgp-revocs.d): it revokes the key of this file it names.
  for (const block of unread) {
    if (!(await applyRevocation(read, path, block.text))) {
      problem(
        block.line,
        1,
        "unreadable",
        `is not a readable OpenPGP key (${block.error}), nor a revocation certificate of a key in this file; export it again with "gpg --armor --export".`,
      );
    }
  }
}

/** Applies a revocation certificate to the file's keys it revokes; false when none. */
async function applyRevocation(read: KeyFileRead, path: string, text: string): Promise<boolean> {
  let applied = false;
  for (const entry of read.keys) {
    if (entry.path !== path || !entry.openpgp) continue;
    try {
      const { publicKey: revoked } = await revokeKey({
        key: entry.openpgp,
        revocationCertificate: text,
        date: ANY_TIME,
        format: "object",
      });
      Object.assign(entry, await describeOpenPgpKey(revoked), { openpgp: revoked });
      applied = true;
    } catch {
      // Not a revocation of this key.
    }
  }
  return applied;
}

function readSsh(
  read: KeyFileRead,
  path: string,
  login: Login,
  content: string,
  problem: Problem,
): void {
  const { keys, problems } = parseSshKeyLines(content);
  for (const p of problems) problem(p.line, p.column, "bad-ssh-line", `${p.message}.`);
  if (keys.length === 0 && problems.length === 0) {
    problem(
      1,
      1,
      "no-key",
      `holds no SSH public key; add a line such as "ssh-ed25519 AAAA… ${login}".`,
    );
  }
  for (const line of keys) {
    if (line.certAuthority) {
      read.refusedSsh.push({ path, line: line.line, blob: line.key.blob });
      problem(
        line.line,
        1,
        "cert-authority",
        "is a cert-authority line, which gatehouse never trusts: it trusts each person's own key, not certificates; list the signer's key itself.",
      );
      continue;
    }
    read.keys.push({
      login,
      type: "ssh",
      path,
      line: line.line,
      copies: [],
      id: line.key.fingerprint,
      fingerprint: line.key.fingerprint,
      algorithm: line.key.algorithm,
      created: line.validAfter ?? null,
      expires: line.validBefore ?? null,
      revoked: null,
      emails: sshLineEmails(line),
      subkeys: [],
      ssh: line,
    });
  }
}

/** The armored key blocks of a file, with the lines each starts and ends on (from 1). */
export function armorBlocks(content: string): Array<{ line: number; end: number; text: string }> {
  const blocks: Array<{ line: number; end: number; text: string }> = [];
  const lines = content.split(/\r?\n/);
  let start = -1;
  lines.forEach((text, index) => {
    // GnuPG guards the revocation certificates it keeps with a leading ":".
    if (/^:?-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----/.test(text)) start = index;
    else if (start !== -1 && /^-----END PGP (PUBLIC|PRIVATE) KEY BLOCK-----/.test(text)) {
      const block =
        lines
          .slice(start, index + 1)
          .join("\n")
          .replace(/^:/, "") + "\n";
      blocks.push({ line: start + 1, end: index + 1, text: block });
      start = -1;
    }
  });
  return blocks;
}
