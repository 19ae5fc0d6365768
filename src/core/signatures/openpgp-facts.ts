/** What an OpenPGP public key says about itself, in the words `gatehouse keys list` shows. */
import {
  enums,
  type AlgorithmInfo,
  type PublicKey,
  type SignaturePacket,
  type Subkey,
} from "openpgp";
import type { KeyFacts, Revocation, SubkeyFacts } from "./keyring.js";

/** openpgp reads a null date as "at any time": a revocation counts whenever it was made. */
export const ANY_TIME = null as unknown as Date;

/** The key id as messages show it: "0x" and 16 upper-case hex digits. */
export function keyIdText(hex: string): string {
  return `0x${hex.toUpperCase()}`;
}

/** "ed25519", "rsa-3072", "ecdsa-p256", … for the key's algorithm. */
export function algorithmName(info: AlgorithmInfo): string {
  if (info.algorithm.startsWith("rsa")) return `rsa-${info.bits ?? "?"}`;
  if (info.algorithm === "eddsaLegacy" || info.algorithm === "ed25519") return "ed25519";
  if (info.algorithm === "ed448") return "ed448";
  if (info.algorithm === "ecdsa" && info.curve) {
    return `ecdsa-${info.curve.toLowerCase().replace("nist", "")}`;
  }
  return info.curve ? `${info.algorithm}-${info.curve}` : info.algorithm;
}

const REASONS: Record<number, string> = {
  [enums.reasonForRevocation.noReason]: "no reason given",
  [enums.reasonForRevocation.keySuperseded]: "superseded",
  [enums.reasonForRevocation.keyCompromised]: "compromised",
  [enums.reasonForRevocation.keyRetired]: "retired",
};

/**
 * One revocation signature in words. A revocation for compromise, or without a reason (as
 * GnuPG's ready-made revocation certificate), is "hard": it withdraws trust in every signature
 * the key ever made, because a stolen key can back-date commits. A key revoked as superseded or
 * retired stays valid for what it signed before the revocation.
 */
function revocationFacts(signature: SignaturePacket): Revocation {
  const flag = signature.reasonForRevocationFlag ?? enums.reasonForRevocation.noReason;
  const hard =
    flag !== enums.reasonForRevocation.keySuperseded &&
    flag !== enums.reasonForRevocation.keyRetired;
  return { at: signature.created ?? new Date(0), reason: REASONS[flag] ?? `reason ${flag}`, hard };
}

/**
 * The strongest of the valid revocations: a hard one before any soft one, then the earliest.
 * Each signature is verified on its own, so that a forged or broken revocation can neither add
 * to nor soften what the genuine ones say.
 */
async function strongest(
  signatures: SignaturePacket[],
  verify: (signature: SignaturePacket) => Promise<void>,
): Promise<Revocation | null> {
  const valid: Revocation[] = [];
  for (const signature of signatures) {
    try {
      await verify(signature);
      valid.push(revocationFacts(signature));
    } catch {
      // Not a valid revocation of this key: it changes nothing.
    }
  }
  valid.sort((a, b) => Number(b.hard) - Number(a.hard) || a.at.getTime() - b.at.getTime());
  return valid[0] ?? null;
}

/** The strongest valid revocation of the primary key, or null. */
export function primaryRevocation(key: PublicKey): Promise<Revocation | null> {
  const data = { key: key.keyPacket };
  return strongest(key.revocationSignatures, (signature) =>
    signature.verify(key.keyPacket, enums.signature.keyRevocation, data, ANY_TIME),
  );
}

/** The strongest valid revocation of a subkey, or null. */
export function subkeyRevocation(key: PublicKey, subkey: Subkey): Promise<Revocation | null> {
  const data = { key: key.keyPacket, bind: subkey.keyPacket };
  return strongest(subkey.revocationSignatures, (signature) =>
    signature.verify(key.keyPacket, enums.signature.subkeyRevocation, data, ANY_TIME),
  );
}

/** A Date, or null for "never" (Infinity) and for "cannot tell" (null). */
function finiteDate(time: Date | number | null): Date | null {
  return time instanceof Date ? time : null;
}

/** Whether a subkey is bound as a signing key (its newest binding says so). */
function signs(subkey: Subkey): boolean {
  const newest = [...subkey.bindingSignatures].sort(
    (a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0),
  )[0];
  return ((newest?.keyFlags?.[0] ?? 0) & enums.keyFlags.signData) !== 0;
}

/** The facts of a key; never throws (a key without valid self-signature has no expiry). */
export async function describeOpenPgpKey(key: PublicKey): Promise<KeyFacts> {
  const expires = finiteDate(await key.getExpirationTime().catch(() => null));
  const revoked = await primaryRevocation(key);
  const emails = key.users
    .map((user) => user.userID?.email.trim().toLowerCase() ?? "")
    .filter((email) => email !== "");
  const subkeys: SubkeyFacts[] = [];
  for (const subkey of key.subkeys.filter(signs)) {
    subkeys.push({
      id: keyIdText(subkey.getKeyID().toHex()),
      algorithm: algorithmName(subkey.getAlgorithmInfo()),
      expires: finiteDate(await subkey.getExpirationTime().catch(() => null)),
      revoked: await subkeyRevocation(key, subkey),
    });
  }
  return {
    id: keyIdText(key.getKeyID().toHex()),
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: algorithmName(key.getAlgorithmInfo()),
    created: key.getCreationTime(),
    expires,
    revoked,
    emails: [...new Set(emails)],
    subkeys,
  };
}
