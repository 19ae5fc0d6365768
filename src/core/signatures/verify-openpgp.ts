/**
 * OpenPGP commit signatures, verified with openpgp against the trusted keyring. The key (or
 * signing subkey) must have been valid at the commit time: not made later, not expired, not
 * revoked before it, and never revoked for compromise.
 */
import { createMessage, enums, readSignature, type PublicKey, type Subkey } from "openpgp";
import type { KeyEntry, Keyring } from "./keyring.js";
import { keyIdText } from "./openpgp-facts.js";
import { isoTime, type SignerCheck } from "./signer-check.js";

/** Verifies an armored OpenPGP signature over `bytes`; never throws for a bad signature. */
export async function checkOpenPgp(
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
      reason: `is signed by key ${keyIdText(issuer.toHex())} which belongs to nobody in policies/keys at the base commit (a key added by this pull request is trusted only once it is merged)`,
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
