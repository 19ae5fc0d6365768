/**
 * The scanner: every detector over a text, in one call, and their detections merged into text
 * order. Each detector lives in `detectors/` with the bound of its running time written next
 * to it; every one is linear in the text (a bounded amount of work per anchor, and at most one
 * anchor per position), so the scan is too: O(n) with a constant of at most a few thousand
 * character reads per position in the worst case and a handful on ordinary text.
 */
import { isAllowed, type AllowList } from "./allow-list.js";
import { Cuts } from "./cuts.js";
import { DETECTOR_CODES, type DetectorCode } from "./detector.js";
import { findEmails } from "./detectors/find-emails.js";
import { findIpv4, type VersionQuad } from "./detectors/find-ipv4.js";
import { findIpv6 } from "./detectors/find-ipv6.js";
import { findLandlines } from "./detectors/find-landlines.js";
import { findNumbers } from "./detectors/find-numbers.js";
import { findPassports } from "./detectors/find-passports.js";
import { findSecrets } from "./detectors/find-secrets.js";
import { mergeHits } from "./merge-hits.js";
import type { Add, RawHit } from "./raw-hit.js";
import { recheckVersions } from "./recheck-versions.js";

export type { RawHit } from "./raw-hit.js";
export { MAX_KEY_BLOCK } from "./detectors/find-secrets.js";

export interface ScanOptions {
  /** Only these detectors; all when absent. */
  detectors?: readonly DetectorCode[];
  /** Values that are known not to be personal data. */
  allow?: AllowList;
  /**
   * How masking will replace values (`maskValue` when absent): contexts next to a value, such
   * as a version word, are judged as they will read once it is replaced.
   */
  replace?: (detector: DetectorCode, raw: string) => string;
}

export interface FindResult {
  /** Detections in text order, never overlapping. */
  hits: RawHit[];
  /**
   * Set when a private key block starts before `until` but its end is not in the text yet:
   * hits end before it, and the caller should feed more text and scan again from here.
   */
  needMoreFrom?: number;
}

/**
 * Finds detections that start in `[from, until)` of `text`. Text before `from` serves as
 * context only (boundaries, keywords). With `final` false, a private key block whose end
 * marker is not in the text yet stops the scan there (see {@link FindResult.needMoreFrom}).
 */
export function findHits(
  text: string,
  from: number,
  until: number,
  final: boolean,
  options: ScanOptions = {},
): FindResult {
  const enabled = new Set<DetectorCode>(options.detectors ?? DETECTOR_CODES);
  // One list per detector family; each comes out in text order, so they merge without sorting.
  const lists: RawHit[][] = [];
  const collect = (): Add => {
    const list: RawHit[] = [];
    lists.push(list);
    return (start, end, hit) => {
      if (hit !== null && start >= from && start < until) {
        list.push({ detector: hit.detector, confidence: hit.confidence, start, end });
      }
    };
  };
  let needMoreFrom: number | undefined;

  // Where an address cut out of a longer run of local-part characters starts (see findEmails):
  // found first, because every other detector reads such a start as the end of its candidate.
  const cuts = new Cuts();
  if (enabled.has("email")) findEmails(text, from, until, collect(), cuts);
  if (enabled.has("private-key") || enabled.has("token")) {
    needMoreFrom = findSecrets(text, from, until, final, collect(), cuts);
    if (needMoreFrom !== undefined) until = needMoreFrom;
  }
  if (enabled.has("cn-id") || enabled.has("cn-mobile") || enabled.has("bank-card")) {
    findNumbers(text, from, until, collect(), cuts);
  }
  const versions: VersionQuad[] = [];
  const ipv4 = collect();
  if (enabled.has("ipv4")) findIpv4(text, from, until, ipv4, versions, cuts);
  if (enabled.has("ipv6")) findIpv6(text, from, until, collect(), cuts);
  if (enabled.has("passport")) findPassports(text, from, until, collect(), cuts);
  if (enabled.has("cn-landline")) findLandlines(text, from, until, collect(), cuts);

  let merged = mergeHits(lists);
  if (versions.length > 0) merged = recheckVersions(text, merged, versions, options.replace);
  const allow = options.allow ?? [];
  const hits: RawHit[] = [];
  for (const hit of merged) {
    if (!enabled.has(hit.detector) || hit.start >= until) continue;
    if (allow.length > 0 && isAllowed(allow, hit.detector, text.slice(hit.start, hit.end)))
      continue;
    hits.push(hit);
  }
  return needMoreFrom === undefined ? { hits } : { hits, needMoreFrom };
}
