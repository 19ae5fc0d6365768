/**
 * Cryptographic verification of one commit signature against the keyring: which trusted key
 * made it, and whether that key was valid when the commit was made. Results are cached by
 * commit, keyring and signed bytes, so re-evaluating a pull request verifies nothing twice.
 */
import { createHash } from "node:crypto";
import { createMessage, enums, readSignature, type PublicKey, type Subkey } from "openpgp";
import type { CommitSignature } from "../types.js";
import type { KeyEntry, Keyring } from "./keyring.js";
import { LruCache } from "./lru-cache.js";
import { keyIdText } from "./openpgp-facts.js";
import { sshFingerprint } from "./ssh-wire.js";
import { checkSshSignature, parseSshSignature } from "./sshsig.js";

/** Which trusted key made a valid signature, or why there is none. */
export type SignerCheck =
  { ok: true; key: KeyEntry } | { ok: false; reason: string; key?: KeyEntry };

const cache = new LruCache<string, Promise<SignerCheck>>(20_000);
let verifications = 0;

/** How many signatures were verified for real (not answered from the cache) since the start. */
export function verificationCount(): number {
  return verifications;
}

/** Forgets every cached result (for benchmarks that measure cold verification). */
export function clearVerificationCache(): void {
  cache.clear();
}

/** The bytes a signature covers: `payloadBytes` when an adapter kept them, else the UTF-8 payload. */
export function signedBytes(signature: CommitSignature): Uint8Array {
  return signature.payloadBytes ?? new TextEncoder().encode(signature.payload);
}

/**
 * Verifies a commit's signature against the keyring, with the key's validity judged at
 * `committedAt` (the committer date of the signed payload). Never throws.
 */
export function verifySignature(
  sha: string,
  signature: CommitSignature,
  committedAt: Date,
  keyring: Keyring,
): Promise<SignerCheck> {
  const bytes = signedBytes(signature);
  // The signed bytes are part of the key: a snapshot cannot pair a verified sha with other bytes.
  const content = createHash("sha256").update(signature.signature).update("\0").update(bytes);
  const key = `${sha}\0${keyring.digest}\0${content.digest("hex")}\0${committedAt.getTime()}`;
  let result = cache.get(key);
  if (!result) {
    verifications++;
    result = check(signature, bytes, committedAt, keyring).catch((error: unknown): SignerCheck => ({
      ok: false,
      reason: `the signature could not be verified: ${(error as Error).message}`,
    }));
    cache.set(key, result);
  }
  return result;
}

async function check(
  signature: CommitSignature,
  bytes: Uint8Array,
  committedAt: Date,
  keyring: Keyring,
): Promise<SignerCheck> {
  switch (signature.format) {
    case "openpgp":
      return checkOpenPgp(signature.signature, bytes, committedAt, keyring);
    case "ssh":
      return checkSsh(signature.signature, bytes, committedAt, keyring);
    case "x509":
      return {
        ok: false,
        reason:
          "is signed with X.509 (gpgsm), which gatehouse does not accept; sign with an OpenPGP or SSH key",
      };
    default:
      return {
        ok: false,
        reason: "carries a signature of an unknown kind; sign with an OpenPGP or SSH key",
      };
  }
}

/** "2026-03-01T08:00:00Z" */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function checkOpenPgp(
  armored: string,
  bytes: Uint8Array,
  committedAt: Date,
  keyring: Keyring,
): Promise<SignerCheck> {
  let signature;
  try {
    signature = await readSignature({ armoredSignature: armored });
  } catch (error) {
    return {
      ok: false,
      reason: `carries an OpenPGP signature that cannot be read (${(error as Error).message})`,
    };
  }
  const issuers = signature.getSigningKeyIDs();
  const issuer = issuers[0];
  if (!issuer) return { ok: false, reason: "carries an OpenPGP signature that names no key" };
  const entries = keyring.keys.filter((e) => e.openpgp && e.openpgp.getKeys(issuer).length > 0);
  const entry = entries[0];
  if (!entry?.openpgp) {
    return {
      ok: false,
      reason: `is signed by key ${keyIdText(issuer.toHex())} which belongs to nobody in policies/keys`,
    };
  }
  const owners = new Set(entries.map((e) => e.login));
  if (owners.size > 1) {
    return {
      ok: false,
      reason: `is signed by key ${entry.id}, which policies/keys lists for ${[...owners].join(" and ")}; a key must belong to one login`,
      key: entry,
    };
  }
  const signingKey = entry.openpgp.getKeys(issuer)[0] as PublicKey | Subkey;
  const invalid = await validityAt(entry, entry.openpgp, signingKey, issuer, committedAt);
  if (invalid) return { ok: false, reason: invalid, key: entry };
  const packet = signature.packets.find((p) => p.issuerKeyID.equals(issuer));
  const type = packet?.signatureType;
  if (!packet?.created || (type !== enums.signature.binary && type !== enums.signature.text)) {
    return {
      ok: false,
      reason: `carries an OpenPGP signature by key ${entry.id} that is not a document signature`,
      key: entry,
    };
  }
  try {
    // What openpgp.verify does for a detached signature, without its stream machinery, which
    // costs several times the cryptography itself.
    const literal = (await createMessage({ binary: bytes })).packets[0] as object;
    await packet.verify(signingKey.keyPacket, type, literal, packet.created, true);
  } catch (error) {
    const message = (error as Error).message;
    if (/digest did not match|verification failed/i.test(message)) {
      return {
        ok: false,
        reason: `has a signature by key ${entry.id} that does not match its content: the commit was altered after signing`,
        key: entry,
      };
    }
    return {
      ok: false,
      reason: `has a signature by key ${entry.id} that is not valid (${message})`,
      key: entry,
    };
  }
  // The key must also have been valid when the signature says it was made.
  const created = packet.created;
  if (signingKey.getCreationTime().getTime() > created.getTime()) {
    return {
      ok: false,
      reason: `has a signature by key ${entry.id} dated ${isoTime(created)}, before the key was made`,
      key: entry,
    };
  }
  try {
    // Already checked at the commit time; git signs at that very second, so mostly skipped.
    if (created.getTime() !== committedAt.getTime()) {
      await entry.openpgp.getSigningKey(issuer, created);
    }
  } catch (error) {
    return {
      ok: false,
      reason: `has a signature by key ${entry.id} made on ${isoTime(created)}, when the key could not sign (${(error as Error).message})`,
      key: entry,
    };
  }
  return { ok: true, key: entry };
}

/** Why the key could not sign at the commit time, or null when it could. */
async function validityAt(
  entry: KeyEntry,
  key: PublicKey,
  signingKey: PublicKey | Subkey,
  issuer: Parameters<PublicKey["getKeys"]>[0],
  committedAt: Date,
): Promise<string | null> {
  const at = isoTime(committedAt);
  if (signingKey.getCreationTime().getTime() > committedAt.getTime()) {
    return `is signed by key ${entry.id}, which was made on ${isoTime(signingKey.getCreationTime())}, after the commit (${at})`;
  }
  const revoked = entry.revoked;
  if (revoked?.hard) {
    return `is signed by key ${entry.id}, which was revoked (${revoked.reason}) on ${isoTime(revoked.at)}; a key revoked for compromise is never trusted, not even for older commits`;
  }
  if (revoked && revoked.at.getTime() <= committedAt.getTime()) {
    return `is signed by key ${entry.id}, which was revoked (${revoked.reason}) on ${isoTime(revoked.at)}, before the commit was made (${at})`;
  }
  if (entry.expires && entry.expires.getTime() <= committedAt.getTime()) {
    return `is signed by key ${entry.id}, which expired on ${isoTime(entry.expires)}, before the commit was made (${at})`;
  }
  if (signingKey !== key) {
    const subkey = signingKey as Subkey;
    const id = keyIdText(subkey.getKeyID().toHex());
    if (
      await subkey.isRevoked(undefined as never, undefined as never, committedAt).catch(() => false)
    ) {
      return `is signed by subkey ${id} of ${entry.id}, which was revoked before the commit was made (${at})`;
    }
    const expires = await subkey.getExpirationTime(committedAt).catch(() => null);
    if (expires instanceof Date && expires.getTime() <= committedAt.getTime()) {
      return `is signed by subkey ${id} of ${entry.id}, which expired on ${isoTime(expires)}, before the commit was made (${at})`;
    }
  }
  try {
    await key.getSigningKey(issuer, committedAt);
  } catch (error) {
    return `is signed by key ${entry.id}, which could not sign at the commit time ${at} (${(error as Error).message})`;
  }
  return null;
}

function checkSsh(
  armored: string,
  bytes: Uint8Array,
  committedAt: Date,
  keyring: Keyring,
): SignerCheck {
  let signature;
  try {
    signature = parseSshSignature(armored);
  } catch (error) {
    return {
      ok: false,
      reason: `carries an SSH signature that cannot be read (${(error as Error).message})`,
    };
  }
  const blob = Buffer.from(signature.publicKey);
  const entries = keyring.keys.filter((e) => e.ssh && blob.equals(e.ssh.key.blob));
  const entry = entries[0];
  if (!entry?.ssh) {
    return {
      ok: false,
      reason: `is signed by SSH key ${sshFingerprint(blob)} which belongs to nobody in policies/keys`,
    };
  }
  const owners = new Set(entries.map((e) => e.login));
  if (owners.size > 1) {
    return {
      ok: false,
      reason: `is signed by SSH key ${entry.id}, which policies/keys lists for ${[...owners].join(" and ")}; a key must belong to one login`,
      key: entry,
    };
  }
  // Any line of the login that lists this key and allows the namespace and time will do.
  const at = isoTime(committedAt);
  const lines = entries.flatMap((e) => (e.ssh ? [e.ssh] : []));
  const usable = lines.filter((l) => !l.namespaces || l.namespaces.includes("git"));
  if (usable.length === 0) {
    return {
      ok: false,
      reason: `is signed by SSH key ${entry.id}, whose line in ${entry.path} does not allow the "git" namespace`,
      key: entry,
    };
  }
  const inTime = usable.filter(
    (l) =>
      (!l.validAfter || l.validAfter.getTime() <= committedAt.getTime()) &&
      (!l.validBefore || l.validBefore.getTime() > committedAt.getTime()),
  );
  if (inTime.length === 0) {
    const line = usable[0];
    if (line?.validBefore && line.validBefore.getTime() <= committedAt.getTime()) {
      return {
        ok: false,
        reason: `is signed by SSH key ${entry.id}, which expired on ${isoTime(line.validBefore)}, before the commit was made (${at})`,
        key: entry,
      };
    }
    return {
      ok: false,
      reason: `is signed by SSH key ${entry.id}, which is not valid yet at the commit time (${at})`,
      key: entry,
    };
  }
  const mismatch = checkSshSignature(signature, entry.ssh.key, bytes);
  if (mismatch) {
    const reason =
      mismatch === "the SSH signature does not match the commit"
        ? `has a signature by SSH key ${entry.id} that does not match its content: the commit was altered after signing`
        : `has an SSH signature by key ${entry.id} that is not valid: ${mismatch}`;
    return { ok: false, reason, key: entry };
  }
  return { ok: true, key: entry };
}
