import { createHash } from "node:crypto";
import type { DetectorCode } from "./detector.js";
import { normalizeValue } from "./normalize.js";

/** One allow-list entry of privacy.yml: a value or a pattern that is known not to be personal data. */
export interface AllowEntry {
  /** An exact value; compared as written and without separators (`4111 1111 1111 1111`). */
  value?: string;
  /** A pattern matched against the whole value (anchored `^(?:...)$` by the loader, not global). */
  pattern?: RegExp;
  /**
   * The digest of the value ({@link allowDigest}, 64 lowercase hex digits): an entry for a value
   * that must not be written out, not even into the policy.
   */
  sha256?: string;
  /** Only these detectors; all when absent. */
  detectors?: DetectorCode[];
  /** Why the value is harmless, for the auditors; required. */
  reason: string;
}

export type AllowList = readonly AllowEntry[];

/** Whether the allow-list lets the value found by the detector pass. */
export function isAllowed(list: AllowList, detector: DetectorCode, raw: string): boolean {
  if (list.length === 0) return false;
  const normalized = normalizeValue(detector, raw);
  return list.some((entry) => {
    if (entry.detectors && !entry.detectors.includes(detector)) return false;
    if (entry.value !== undefined) {
      return entry.value === raw || normalizeValue(detector, entry.value) === normalized;
    }
    if (entry.sha256 !== undefined) return entry.sha256 === digestOf(detector, normalized);
    return entry.pattern?.test(raw) ?? false;
  });
}

/**
 * The digest an allow-list entry names a value by: SHA-256 of the detector and the value as
 * the detector normalises it (separators and spelling left out), in hex. The same value
 * spelt otherwise has the same digest.
 */
export function allowDigest(detector: DetectorCode, raw: string): string {
  return digestOf(detector, normalizeValue(detector, raw));
}

function digestOf(detector: DetectorCode, normalized: string): string {
  return createHash("sha256").update(`${detector}\0${normalized}`).digest("hex");
}
