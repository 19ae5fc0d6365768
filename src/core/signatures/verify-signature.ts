/**
 * Cryptographic verification of one commit signature against the keyring: which trusted key
 * made it, and whether that key was valid when the commit was made. Results are cached by
 * commit, keyring and signed bytes, so re-evaluating a pull request verifies nothing twice.
 */
import { createHash } from "node:crypto";
import type { CommitSignature } from "../types.js";
import type { Keyring } from "./keyring.js";
import { LruCache } from "./lru-cache.js";
import type { SignerCheck, SignerTimes } from "./signer-check.js";
import { checkOpenPgp } from "./verify-openpgp.js";
import { checkSsh } from "./verify-ssh.js";

export { isoTime, type SignerCheck, type SignerTimes } from "./signer-check.js";

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
 * Verifies a commit's signature against the keyring. The key must have been valid at
 * `committedAt` (the committer date of the signed payload) and must still be at `now`, the
 * time of judgement: a commit's date is written by whoever makes it, so only `now` is a time
 * gatehouse can vouch for. A caller that judges history may pass as `now` an earlier time it
 * can prove the signature existed by (for example, from signed evidence of a merge). The
 * cryptography and the commit time are cached; `now` is checked on every call. Never throws.
 */
export async function verifySignature(
  sha: string,
  signature: CommitSignature,
  { committedAt, now }: SignerTimes,
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
      reason: `has a signature that could not be verified: ${(error as Error).message}`,
    }));
    cache.set(key, result);
  }
  const verified = await result;
  if (!verified.ok) return verified;
  const stale = await verified.stillValidAt(now).catch((error: unknown) => {
    return `could not be checked at the time of judgement: ${(error as Error).message}`;
  });
  return stale === null ? verified : { ok: false, reason: stale, key: verified.key };
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
