import type { DetectorCode } from "./detector.js";
import { normalizeValue } from "./normalize.js";

/** One allow-list entry of privacy.yml: a value or a pattern that is known not to be personal data. */
export interface AllowEntry {
  /** An exact value; compared as written and without separators (`4111 1111 1111 1111`). */
  value?: string;
  /** A pattern matched against the whole value (anchored `^(?:...)$` by the loader, not global). */
  pattern?: RegExp;
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
    return entry.pattern?.test(raw) ?? false;
  });
}
