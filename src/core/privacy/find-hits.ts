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
import { keywordAnchors } from "./keyword-anchors.js";
import { KEYWORD_WINDOW } from "./keywords.js";
import { mergeHits } from "./merge-hits.js";
import type { Add, RawHit } from "./raw-hit.js";
import { recheckVersions } from "./recheck-versions.js";
import { textRange, textView, viewOffset } from "./text-view.js";

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
  /**
   * The text holds UTF-8 bytes, one character per byte (read as latin1, as `gatehouse mask`
   * reads files): full-width and invisible characters are then recognised by their bytes.
   */
  utf8Bytes?: boolean;
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
 * Finds detections that start in `[from, until)` of `text`, as the text reads (see
 * {@link textView}): offsets are the text's, and a value spelt otherwise than it reads carries
 * its reading (`RawHit.read`). Text before `from` serves as context only (boundaries,
 * keywords). With `final` false, a private key block whose end marker is not in the text yet
 * stops the scan there (see {@link FindResult.needMoreFrom}).
 */
export function findHits(
  text: string,
  from: number,
  until: number,
  final: boolean,
  options: ScanOptions = {},
): FindResult {
  const view = textView(text, options.utf8Bytes);
  if (view.viewAt.length === 0) return findInView(text, from, until, final, options);
  const read = view.view;
  const found = findInView(read, viewOffset(view, from), viewOffset(view, until), final, options);
  const hits = found.hits.map((hit): RawHit => {
    const [start, end] = textRange(view, hit.start, hit.end);
    const value = read.slice(hit.start, hit.end);
    const head = hit.head === undefined ? undefined : hit.head - hit.start;
    const mapped: RawHit = { detector: hit.detector, confidence: hit.confidence, start, end };
    if (text.slice(start, end) !== value) {
      mapped.read = value;
      if (head !== undefined) mapped.readHead = head;
    } else if (head !== undefined) mapped.head = start + head;
    return mapped;
  });
  if (found.needMoreFrom === undefined) return { hits };
  return { hits, needMoreFrom: textRange(view, found.needMoreFrom, found.needMoreFrom)[0] };
}

/** {@link findHits} on a text that is its own view. */
function findInView(
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
  if (enabled.has("passport") || enabled.has("cn-landline")) {
    // Keywords may stand up to a window before the first number looked for.
    const keywords = keywordAnchors(text, Math.max(0, from - KEYWORD_WINDOW), until);
    if (enabled.has("passport")) findPassports(text, until, keywords.passport, collect(), cuts);
    if (enabled.has("cn-landline")) {
      findLandlines(text, from, until, keywords.phone, collect(), cuts);
    }
  }

  // An e-mail address's mask keeps its domain (see maskValue): a value in it must be hidden too.
  let merged = mergeHits(lists, (hit) =>
    hit.detector === "email" ? text.lastIndexOf("@", hit.end - 1) : hit.end,
  );
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
