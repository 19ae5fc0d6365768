/** What an OpenPGP public key says about itself, in the words `gatehouse keys list` shows. */
import { enums, type AlgorithmInfo, type PublicKey } from "openpgp";
import type { KeyFacts } from "./keyring.js";

// Far enough ahead that every revocation, soft or hard, counts as made already.
const END_OF_TIME = new Date(8.64e15);

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
 * A revocation for compromise, or without a reason, is "hard": it withdraws trust in every
 * signature the key ever made, because a stolen key can back-date commits. A key revoked as
 * superseded or retired stays valid for commits made before the revocation.
 */
export function revocationOf(
  signatures: PublicKey["revocationSignatures"],
): { at: Date; reason: string; hard: boolean } | null {
  const signature = signatures[0];
  if (!signature) return null;
  const flag = signature.reasonForRevocationFlag ?? enums.reasonForRevocation.noReason;
  const hard =
    flag !== enums.reasonForRevocation.keySuperseded &&
    flag !== enums.reasonForRevocation.keyRetired;
  return { at: signature.created ?? new Date(0), reason: REASONS[flag] ?? `reason ${flag}`, hard };
}

/** The facts of a key; never throws (a key without valid self-signature has no expiry). */
export async function describeOpenPgpKey(key: PublicKey): Promise<KeyFacts> {
  let expires: Date | null = null;
  try {
    const time = await key.getExpirationTime();
    if (time instanceof Date) expires = time;
  } catch {
    // No valid self-signature: verification will refuse the key with openpgp's reason.
  }
  let revoked: KeyFacts["revoked"] = null;
  try {
    if (await key.isRevoked(undefined, undefined, END_OF_TIME)) {
      revoked = revocationOf(key.revocationSignatures);
    }
  } catch {
    revoked = null;
  }
  const emails = key.users
    .map((user) => user.userID?.email.trim().toLowerCase() ?? "")
    .filter((email) => email !== "");
  return {
    id: keyIdText(key.getKeyID().toHex()),
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: algorithmName(key.getAlgorithmInfo()),
    created: key.getCreationTime(),
    expires,
    revoked,
    emails: [...new Set(emails)],
  };
}
