/**
 * SSH commit signatures (`gpg.format=ssh`), verified against the `.pub` keys of the keyring,
 * with the limits of their allowed-signers options (namespaces, valid-after, valid-before).
 */
import type { Keyring } from "./keyring.js";
import { isoTime, type SignerCheck } from "./signer-check.js";
import { sshFingerprint } from "./ssh-wire.js";
import { checkSshSignature, parseSshSignature } from "./sshsig.js";

/** Verifies an armored SSHSIG over `bytes`; never throws for a bad signature. */
export function checkSsh(
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
      reason: `is signed by SSH key ${sshFingerprint(blob)} which belongs to nobody in policies/keys at the base commit (a key added by this pull request is trusted only once it is merged)`,
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
