/**
 * SSH commit signatures (`gpg.format=ssh`), verified against the `.pub` keys of the keyring,
 * with the limits of their allowed-signers options (namespaces, valid-after, valid-before).
 * An SSH signature carries no time, so a line must allow both the commit's date and the time
 * of judgement.
 */
import type { Keyring } from "./keyring.js";
import { isoTime, type SignerCheck } from "./signer-check.js";
import type { SshKeyLine } from "./allowed-signers.js";
import { certificateAuthority, sshFingerprint } from "./ssh-wire.js";
import { checkSshSignature, parseSshSignature } from "./sshsig.js";

const NOBODY =
  "which belongs to nobody in policies/keys at the base commit (a key added by this pull request is trusted only once it is merged)";

/** Whether a line allows a signature at `at`. */
function allows(line: SshKeyLine, at: Date): boolean {
  return (
    (!line.validAfter || line.validAfter.getTime() <= at.getTime()) &&
    (!line.validBefore || line.validBefore.getTime() > at.getTime())
  );
}

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
  if (!entry?.ssh) return { ok: false, reason: untrusted(blob, keyring) };
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
  const inTime = usable.filter((l) => allows(l, committedAt));
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
  const stillValidAt = (now: Date): Promise<string | null> => {
    if (inTime.some((l) => allows(l, now))) return Promise.resolve(null);
    const ended = inTime.find((l) => l.validBefore && l.validBefore.getTime() <= now.getTime());
    const from = inTime.find((l) => l.validAfter && l.validAfter.getTime() > now.getTime());
    const when = ended?.validBefore
      ? `expired on ${isoTime(ended.validBefore)}`
      : `is valid only from ${isoTime(from?.validAfter ?? now)}`;
    const remedy = ended
      ? `extend its valid-before in ${entry.path}, or sign the commit again with a valid key`
      : `judge it again once the key's valid-after has passed, or sign the commit again with a key that is valid now`;
    return Promise.resolve(
      `is signed by SSH key ${entry.id}, which ${when}; the commit says it was made on ${at}, but an SSH signature carries no time and anyone can write a commit's date, so the key must still be valid when the pull request is judged (${isoTime(now)}): ${remedy}`,
    );
  };
  return { ok: true, key: entry, stillValidAt };
}

/**
 * Why a signature by a key that no trusted line lists is refused: a cert-authority line that
 * lists it (or that issued the certificate it signed with) says so, rather than "nobody".
 */
function untrusted(blob: Buffer, keyring: Keyring): string {
  const refused = keyring.refusedSsh.find((r) => blob.equals(r.blob));
  if (refused) {
    return `is signed by SSH key ${sshFingerprint(blob)}, whose line in ${refused.path}:${refused.line} is a cert-authority line: gatehouse trusts each person's own key, never a certificate authority; list the signer's key itself`;
  }
  const authority = certificateAuthority(blob);
  if (authority !== null) {
    const issuer = keyring.refusedSsh.find((r) => Buffer.from(authority).equals(r.blob));
    const by = issuer
      ? `issued by SSH key ${sshFingerprint(authority)}, a cert-authority line in ${issuer.path}:${issuer.line}`
      : `issued by SSH key ${sshFingerprint(authority)}`;
    return `is signed with an SSH certificate ${by}: gatehouse trusts each person's own key, never certificates; list the signer's key itself in policies/keys/<login>.pub and sign with it`;
  }
  return `is signed by SSH key ${sshFingerprint(blob)} ${NOBODY}`;
}
