import type { CommitSignature } from "../core/types.js";

/**
 * Tells the kind of a commit signature from its armor. GitHub's `signature` field holds the
 * armored header exactly as git stored it, so the first line decides.
 */
export function signatureFormat(signature: string): CommitSignature["format"] {
  const armor = signature.trimStart();
  if (armor.startsWith("-----BEGIN PGP SIGNATURE-----")) return "openpgp";
  if (armor.startsWith("-----BEGIN SSH SIGNATURE-----")) return "ssh";
  if (armor.startsWith("-----BEGIN SIGNED MESSAGE-----")) return "x509";
  return "unknown";
}
