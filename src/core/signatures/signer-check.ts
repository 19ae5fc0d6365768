/** What verifying one signature against the keyring tells, shared by the OpenPGP and SSH checks. */
import type { KeyEntry } from "./keyring.js";

/** Which trusted key made a valid signature, or why there is none. */
export type SignerCheck =
  { ok: true; key: KeyEntry } | { ok: false; reason: string; key?: KeyEntry };

/** A time as messages show it: "2026-03-01T08:00:00Z". */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
