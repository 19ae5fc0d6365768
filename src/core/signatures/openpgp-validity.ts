/**
 * Whether an OpenPGP key (or its signing subkey) could sign at a given time, and if not, why,
 * in words a security admin can act on. Expiry is read from the self-signature in force at
 * that time, so a key that expired and was extended later is "expired" in the gap between.
 */
import type { KeyID, PublicKey, Subkey } from "openpgp";
import type { KeyEntry, Revocation } from "./keyring.js";
import { keyIdText, subkeyRevocation } from "./openpgp-facts.js";
import { isoTime } from "./signer-check.js";

/** Why a key could not sign at a time. `subkey` names the signing subkey when it is the cause. */
export type Unfit = { subkey?: string } & (
  | { kind: "not-made"; at: Date }
  | { kind: "compromised"; revocation: Revocation }
  | { kind: "revoked"; revocation: Revocation }
  | { kind: "expired"; at: Date }
  /** No self-signature in force yet: the earliest one (`since`) was made later. */
  | { kind: "recertified"; since: Date }
  | { kind: "unusable"; detail: string }
);

/** Why the key could not make a signature at `at`, or null when it could. Never throws. */
export async function unfitAt(
  entry: KeyEntry,
  signingKey: PublicKey | Subkey,
  issuer: KeyID,
  at: Date,
): Promise<Unfit | null> {
  const key = entry.openpgp as PublicKey;
  const subkey = signingKey === key ? undefined : (signingKey as Subkey);
  const sub = subkey ? { subkey: keyIdText(subkey.getKeyID().toHex()) } : {};
  if (entry.revoked?.hard) return { kind: "compromised", revocation: entry.revoked };
  const subRevoked = subkey ? await subkeyRevocation(key, subkey) : null;
  if (subRevoked?.hard) return { kind: "compromised", revocation: subRevoked, ...sub };

  if (signingKey.getCreationTime().getTime() > at.getTime()) {
    return { kind: "not-made", at: signingKey.getCreationTime(), ...sub };
  }
  if (entry.revoked && entry.revoked.at.getTime() <= at.getTime()) {
    return { kind: "revoked", revocation: entry.revoked };
  }
  const expiry = await primaryExpiryAt(key, at);
  if (typeof expiry === "string") {
    const since = await recertifiedAfter(key, at);
    return since ? { kind: "recertified", since } : { kind: "unusable", detail: expiry };
  }
  if (expiry && expiry.getTime() <= at.getTime()) return { kind: "expired", at: expiry };
  if (subkey) {
    if (subRevoked && subRevoked.at.getTime() <= at.getTime()) {
      return { kind: "revoked", revocation: subRevoked, ...sub };
    }
    const expires = await subkey.getExpirationTime(at).catch(() => null);
    if (expires === null) {
      return { kind: "unusable", detail: "the subkey has no valid binding signature then", ...sub };
    }
    if (expires instanceof Date && expires.getTime() <= at.getTime()) {
      return { kind: "expired", at: expires, ...sub };
    }
  }
  try {
    await key.getSigningKey(issuer, at);
    return null;
  } catch (error) {
    return { kind: "unusable", detail: (error as Error).message };
  }
}

/**
 * When the primary key expires as its self-signature in force at `at` says (null: never), or
 * why there is no such self-signature.
 */
async function primaryExpiryAt(key: PublicKey, at: Date): Promise<Date | null | string> {
  let signature;
  try {
    signature = (await key.getPrimaryUser(at)).selfCertification;
  } catch (error) {
    return `no valid self-signature then (${(error as Error).message})`;
  }
  const limits: number[] = [];
  if (signature.keyNeverExpires === false && signature.keyExpirationTime) {
    limits.push(key.getCreationTime().getTime() + signature.keyExpirationTime * 1000);
  }
  const own = signature.getExpirationTime();
  if (own instanceof Date) limits.push(own.getTime());
  return limits.length === 0 ? null : new Date(Math.min(...limits));
}

/**
 * When the key's self-signatures were all made after `at` (GnuPG replaces the self-signature
 * when a key is extended, so the record of an expired key ends there): the earliest of them.
 */
async function recertifiedAfter(key: PublicKey, at: Date): Promise<Date | null> {
  const later = key.users
    .flatMap((user) => user.selfCertifications)
    .map((signature) => signature.created)
    .filter((created): created is Date => created !== null && created.getTime() > at.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  const first = later[0];
  if (first === undefined) return null;
  try {
    await key.getPrimaryUser(first);
    return first;
  } catch {
    return null;
  }
}

/** "key 0x…" or "subkey 0x… of 0x…": what signed. */
function signer(entry: KeyEntry, unfit: Unfit): string {
  return unfit.subkey ? `subkey ${unfit.subkey} of ${entry.id}` : `key ${entry.id}`;
}

/** Why a revocation is final, in one clause. */
function never(revocation: Revocation): string {
  return revocation.reason === "compromised"
    ? "a key revoked for compromise is never trusted, not even for older commits"
    : "a key revoked without a reason counts as compromised and is never trusted, not even for older commits";
}

/**
 * The reason a commit fails because its key could not sign at the time the commit (or, with
 * `event` "signature", its OpenPGP signature) says it was made.
 */
export function unfitAtCommit(
  entry: KeyEntry,
  unfit: Unfit,
  committedAt: Date,
  event: "commit" | "signature" = "commit",
): string {
  const who = `is signed by ${signer(entry, unfit)}`;
  const at = isoTime(committedAt);
  switch (unfit.kind) {
    case "compromised":
      return `${who}, which was revoked (${unfit.revocation.reason}) on ${isoTime(unfit.revocation.at)}; ${never(unfit.revocation)}`;
    case "not-made":
      return `${who}, which was made on ${isoTime(unfit.at)}, after the ${event} (${at})`;
    case "revoked":
      return `${who}, which was revoked (${unfit.revocation.reason}) on ${isoTime(unfit.revocation.at)}, before the ${event} was made (${at})`;
    case "expired":
      return `${who}, which expired on ${isoTime(unfit.at)}, before the ${event} was made (${at})`;
    case "recertified":
      return `${who}, which counts as expired at the ${event} time (${at}): its self-signature was made on ${isoTime(unfit.since)}, after the ${event}, as when an expired key is extended, so nothing vouches for the key before then; sign the commit again with the key as it is now`;
    case "unusable":
      return `${who}, which could not sign at the ${event} time ${at} (${unfit.detail})`;
  }
}

/**
 * The reason a commit fails because its key, valid at the date the commit claims, is no longer
 * valid when the pull request is judged. A commit's date is whatever its author wrote (and an
 * SSH signature carries no time at all), so the date cannot vouch for the key.
 */
export function unfitAtJudgement(
  entry: KeyEntry,
  unfit: Unfit,
  committedAt: Date,
  now: Date,
): string {
  const who = `is signed by ${signer(entry, unfit)}`;
  const rule = `the commit says it was made on ${isoTime(committedAt)}, but anyone can write a commit's date, so the key must still be valid when the pull request is judged (${isoTime(now)})`;
  switch (unfit.kind) {
    case "compromised":
      return unfitAtCommit(entry, unfit, committedAt);
    case "not-made":
      return `${who}, which is dated ${isoTime(unfit.at)}, after the time of this judgement (${isoTime(now)}); a key cannot sign before it is made`;
    case "revoked":
      return `${who}, which was revoked (${unfit.revocation.reason}) on ${isoTime(unfit.revocation.at)}; ${rule}: sign the commit again with the key that replaces it`;
    case "expired":
      return `${who}, which expired on ${isoTime(unfit.at)}; ${rule}: extend the key (gpg --quick-set-expire) and update policies/keys, or sign the commit again with a valid key`;
    case "recertified":
    case "unusable":
      return `${who}, which cannot sign at the time of judgement ${isoTime(now)} (${unfit.kind === "unusable" ? unfit.detail : "its self-signature is newer"})`;
  }
}
