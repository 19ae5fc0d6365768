/** What verifying one signature against the keyring tells, shared by the OpenPGP and SSH checks. */
import type { KeyEntry } from "./keyring.js";

/**
 * Which trusted key made a valid signature, or why there is none. A valid signature also says
 * whether its key is still valid at a later time: the cryptography and the commit time are
 * checked once and cached, the time of judgement each time.
 */
export type SignerCheck =
  | { ok: true; key: KeyEntry; stillValidAt(now: Date): Promise<string | null> }
  | { ok: false; reason: string; key?: KeyEntry };

/**
 * The times a signature is judged at: when the commit says it was made (its committer date)
 * and when it is judged. The key must be valid at both: the first is written by whoever makes
 * the commit, so only the second is a time gatehouse can vouch for.
 */
export interface SignerTimes {
  committedAt: Date;
  now: Date;
}

/** A time as messages show it: "2026-03-01T08:00:00Z". */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
