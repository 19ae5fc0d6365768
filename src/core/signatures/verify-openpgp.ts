/**
 * OpenPGP commit signatures, verified with openpgp against the trusted keyring. The key (or
 * signing subkey) must have been valid at the commit time (not made later, not expired, not
 * revoked before it, never revoked for compromise), at the time the signature says it was
 * made, and still at the time of judgement: the dates are written by whoever makes the commit,
 * and GnuPG signs at whatever time its clock is set to.
 */
import { createMessage, enums, readSignature, type PublicKey, type Subkey } from "openpgp";
import type { Keyring } from "./keyring.js";
import { keyIdText } from "./openpgp-facts.js";
import { LruCache } from "./lru-cache.js";
import { unfitAt, unfitAtCommit, unfitAtJudgement, type Unfit } from "./openpgp-validity.js";
import type { SignerCheck } from "./signer-check.js";

const atJudgement = new LruCache<string, Promise<Unfit | null>>(256);

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
  const atCommit = await unfitAt(entry, signingKey, issuer, committedAt);
  if (atCommit)
    return { ok: false, reason: unfitAtCommit(entry, atCommit, committedAt), key: entry };
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
  // The key must also have been valid when the signature says it was made (git signs at that
  // very second, so this is mostly the commit time again).
  const created = packet.created;
  if (created.getTime() !== committedAt.getTime()) {
    const atSigning = await unfitAt(entry, signingKey, issuer, created);
    if (atSigning) {
      return {
        ok: false,
        reason: unfitAtCommit(entry, atSigning, created, "signature"),
        key: entry,
      };
    }
  }
  // And still valid when judged: the dates above are whatever the signer wrote.
  const stillValidAt = async (now: Date) => {
    // Many commits of a judgement share a key and its time: ask openpgp once for them all.
    const memo = `${keyring.digest}\0${entry.fingerprint}\0${issuer.toHex()}\0${now.getTime()}`;
    let unfit = atJudgement.get(memo);
    if (!unfit) {
      unfit = unfitAt(entry, signingKey, issuer, now);
      atJudgement.set(memo, unfit);
    }
    const why = await unfit;
    return why ? unfitAtJudgement(entry, why, committedAt, now) : null;
  };
  return { ok: true, key: entry, stillValidAt };
}
