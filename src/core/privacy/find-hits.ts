import { isAllowed, type AllowList } from "./allow-list.js";
import { ANCHOR, CANDIDATE, KEY_END } from "./candidates.js";
import {
  isCardShaped,
  isLegacyResidentId,
  isLuhnValid,
  isReportableIpv4,
  isReportableIpv6,
  isResidentId,
} from "./checks.js";
import { DETECTOR_CODES, type DetectorCode } from "./detector.js";
import {
  CARD_KEYWORDS,
  ID_KEYWORDS,
  KEYWORD_WINDOW,
  keywordBefore,
  PASSPORT_ANCHOR,
  PASSPORT_KEYWORD,
} from "./keywords.js";
import { maskHit } from "./mask-value.js";
import { isVersionContext } from "./version-context.js";

/** A detection by offsets into the scanned text. It never holds the value itself. */
export interface RawHit {
  detector: DetectorCode;
  /** How sure the detector is, from 0 to 1: a checksum-backed hit is surer than a keyword-backed one. */
  confidence: number;
  start: number;
  end: number;
  /**
   * Set when an overlapping detection was merged in: `[start, head)` is this detector's value,
   * masked by its convention; `[head, end)` is the rest of the other one, starred out.
   */
  head?: number;
}

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

/** The longest private key block looked for; a longer one is cut there (and still redacted). */
export const MAX_KEY_BLOCK = 64 * 1024;

export interface FindResult {
  /** Detections in text order, never overlapping. */
  hits: RawHit[];
  /**
   * Set when a private key block starts before `until` but its end is not in the text yet:
   * hits end before it, and the caller should feed more text and scan again from here.
   */
  needMoreFrom?: number;
}

type Found = Pick<RawHit, "detector" | "confidence"> | null;

const LOCAL = /[A-Za-z0-9._%+-]/;

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
  const cuts = new Set<number>();
  if (enabled.has("email")) findEmails(text, from, until, collect(), cuts);
  if (enabled.has("private-key") || enabled.has("token")) {
    needMoreFrom = findSecrets(text, from, until, final, collect(), cuts);
    if (needMoreFrom !== undefined) until = needMoreFrom;
  }
  if (enabled.has("cn-id") || enabled.has("cn-mobile") || enabled.has("bank-card")) {
    findNumbers(text, from, until, collect(), cuts);
  }
  const versions: Array<{ start: number; end: number }> = [];
  const ipv4 = collect();
  if (enabled.has("ipv4")) findIpv4(text, from, until, ipv4, versions, cuts);
  if (enabled.has("ipv6")) findIpv6(text, from, until, collect(), cuts);
  if (enabled.has("passport")) findPassports(text, from, until, collect(), cuts);

  let merged = nonOverlapping(lists);
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

/**
 * Merges the per-detector lists into text order. Where two candidates overlap, the one that
 * starts first (then the longer one) names the detection, and the detection grows to cover
 * both (see {@link RawHit.head}): in `a@b.cn+c@d.cn` the second address shares characters with
 * the first; masking only the first would leave the second whole, and masking only the second
 * would leave a remainder that is found again once the first is masked. Covering both keeps
 * masking idempotent and leaks nothing.
 */
function nonOverlapping(lists: RawHit[][]): RawHit[] {
  const heads = lists.map(() => 0);
  const out: RawHit[] = [];
  for (;;) {
    let best: RawHit | undefined;
    let bestList = -1;
    for (let i = 0; i < lists.length; i++) {
      const hit = lists[i]?.[heads[i] ?? 0];
      if (
        hit &&
        (!best || hit.start < best.start || (hit.start === best.start && hit.end > best.end))
      ) {
        best = hit;
        bestList = i;
      }
    }
    if (!best) return out;
    heads[bestList] = (heads[bestList] ?? 0) + 1;
    const last = out[out.length - 1];
    if (last === undefined || best.start >= last.end) out.push(best);
    else if (best.end > last.end) {
      out[out.length - 1] = { ...last, end: best.end, head: last.head ?? last.end };
    }
  }
}

type Add = (start: number, end: number, hit: Found) => void;

const IPV4: Pick<RawHit, "detector" | "confidence"> = { detector: "ipv4", confidence: 0.8 };

/**
 * A quad read as a version because of words before it is read again with the detections
 * before it masked: when the version word was part of personal data (`ghp_…version:1.2.3.4`),
 * masking removes it, and the quad must already count as an address now, or masking the text
 * a second time would find it.
 */
function recheckVersions(
  text: string,
  hits: RawHit[],
  versions: Array<{ start: number; end: number }>,
  replace: ScanOptions["replace"],
): RawHit[] {
  const out = [...hits];
  let first = 0;
  for (const quad of versions) {
    const lineStart = text.lastIndexOf("\n", quad.start - 1) + 1;
    while (first < hits.length && (hits[first]?.end ?? 0) <= lineStart) first++;
    const before: RawHit[] = [];
    for (let i = first; i < hits.length && (hits[i]?.end ?? Infinity) <= quad.start; i++) {
      before.push(hits[i] as RawHit);
    }
    if (before.length === 0) continue;
    let view = "";
    let pos = lineStart;
    for (const hit of before) {
      view += text.slice(pos, Math.max(pos, hit.start)) + maskHit(text, hit, replace);
      pos = hit.end;
    }
    view += text.slice(pos, quad.start);
    if (isVersionContext(view, view.length)) continue;
    if (out.some((h) => h.start < quad.end && quad.start < h.end)) continue;
    out.push({ ...IPV4, start: quad.start, end: quad.end });
  }
  return out.sort((a, b) => a.start - b.start);
}

function stickyAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** How far into a secret's prefix its anchor may start. */
const SECRET_LEAD = 5;

function findSecrets(
  text: string,
  from: number,
  until: number,
  final: boolean,
  add: Add,
  cuts: Set<number>,
): number | undefined {
  const anchor = ANCHOR.secret;
  anchor.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + SECRET_LEAD) {
    // The anchor starts inside the prefix for "-----BEGIN ", "sk-" and "eyJ" (see ANCHOR).
    const first = m[0].charCodeAt(0);
    const lead = first === 66 ? 5 : first === 107 || first === 121 ? 1 : 0; // B, k, y
    const start = m.index - lead;
    if (start < from || start >= until) continue;
    if (lead === 1 && text.charCodeAt(start) !== (first === 107 ? 115 : 101)) continue; // s, e
    if (lead === 5) {
      if (!text.startsWith("-----", start)) continue;
      const begin = stickyAt(CANDIDATE.keyBegin, text, start);
      if (begin === null) continue;
      let end = start + begin[0].length;
      KEY_END.lastIndex = end;
      const close = KEY_END.exec(text);
      if (close !== null && close.index - start <= MAX_KEY_BLOCK) {
        end = close.index + close[0].length;
      } else if (!final && text.length - start < MAX_KEY_BLOCK) {
        return start;
      } else {
        // No end in sight: fail closed and redact up to the first blank line.
        const blank = text.slice(end, start + MAX_KEY_BLOCK).search(/\r?\n\r?\n/);
        end = blank === -1 ? Math.min(text.length, start + MAX_KEY_BLOCK) : end + blank;
      }
      add(start, end, { detector: "private-key", confidence: 1 });
      anchor.lastIndex = end;
    } else {
      const token = stickyAt(CANDIDATE.token, upToCut(text, start, 6100, cuts), start);
      if (token === null) continue;
      add(start, start + token[0].length, { detector: "token", confidence: 0.95 });
      anchor.lastIndex = start + token[0].length;
    }
  }
  return undefined;
}

/**
 * Finds e-mail addresses. `cuts` receives the start of each address taken as the last 64
 * characters of a longer run: what precedes it in the run is left as it was, and the numbers
 * there must read the same before and after the address is replaced (see findNumbers).
 */
function findEmails(text: string, from: number, until: number, add: Add, cuts: Set<number>): void {
  // An address may end where a later one is cut out of its run; the cuts are known only after
  // a pass, so a pass that finds new ones is run again (rarely more than twice).
  let found: Array<[number, number]> = [];
  for (let pass = 0; pass < 4; pass++) {
    const known = cuts.size;
    found = emailsOnce(text, from, until, cuts);
    if (cuts.size === known) break;
  }
  for (const [start, end] of found) add(start, end, { detector: "email", confidence: 0.95 });
}

function emailsOnce(
  text: string,
  from: number,
  until: number,
  cuts: Set<number>,
): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const anchor = ANCHOR.email;
  anchor.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + 64) {
    // Back to the start of the local part, at most 64 characters (RFC 5321): of a longer run,
    // the last 64 are taken, so that whatever precedes cannot hide the address.
    let start = m.index;
    const floor = Math.max(0, m.index - 64);
    while (start > floor && LOCAL.test(text.charAt(start - 1))) start--;
    if (start === m.index) continue;
    const email = stickyAt(CANDIDATE.email, upToCut(text, start, 64 + 256, cuts), start);
    if (email === null) continue;
    if (start > 0 && LOCAL.test(text.charAt(start - 1))) cuts.add(start);
    found.push([start, start + email[0].length]);
    anchor.lastIndex = start + email[0].length;
  }
  return found;
}

/**
 * Finds mobile numbers, resident IDs and bank cards. The start of an address in `cuts` ends a
 * number as a space would: the address will be replaced, and what stood before it must be read
 * the same way before and after (idempotent masking).
 */
function findNumbers(text: string, from: number, until: number, add: Add, cuts: Set<number>): void {
  const found: Array<[number, number, Found]> = [];
  /** Tries a candidate whose first digit is at `digits`; returns where to look on. */
  const tryAt = (digits: number): number => {
    let n = 0;
    while (isDigit(text.charCodeAt(digits + n)) && !cuts.has(digits + n)) n++;
    const runEnd = digits + n;
    // The boundary before the digits: +86 belongs to the number; "+1", letters, dots, @ and
    // masked characters do not start one.
    let start = digits;
    const before = digits > 0 ? text.charCodeAt(digits - 1) : SPACE;
    const letterBefore = isLetter(before);
    if (letterBefore) {
      // Letters do not hide a mobile number or ID ("id110105…"); decided below, plain runs only.
      if (n < 11 || n > 18) return runEnd;
    } else if (before === PLUS) {
      if (!text.startsWith("86", digits)) return runEnd;
      start = digits - 1;
    } else if ((before === SPACE || before === DASH) && text.startsWith("+86", digits - 4)) {
      start = digits - 4;
    } else if (isAlnum(before) || before === DOT || before === AT) {
      return runEnd;
    }
    if (start === digits && (n >= 7 || letterBefore)) {
      // The common case, a plain run of digits, decided without the regular expression.
      let end = runEnd;
      const next = text.charCodeAt(end);
      if ((next === 88 || next === 120) && n === 17 && !cuts.has(end)) end++; // the X of an ID
      const after = cuts.has(end) ? SPACE : text.charCodeAt(end);
      const letterAfter = isLetter(after);
      if (n > 19 || n < 11 || (isAlnum(after) && !letterAfter) || after === AT) return runEnd;
      if (after === DOT && isDigit(text.charCodeAt(end + 1)) && !cuts.has(end + 1)) return runEnd;
      const hit = classifyNumber(text, digits, false, text.slice(digits, end));
      if ((letterBefore || letterAfter) && !isWordNumber(text, digits, end, hit, cuts)) {
        return runEnd;
      }
      found.push([digits, end, hit]);
      return end;
    }
    const number = stickyAt(CANDIDATE.number, upToCut(text, start, 32, cuts), start);
    if (number === null) return runEnd;
    const raw = number[0];
    // The groups may run on into the next number ("+86 139 1234 5678 2001"): the longest
    // reading that is something wins.
    for (let cut = raw.length; cut > 0; cut = lastSeparator(raw, cut)) {
      const hit = classifyNumber(text, start, number[1] !== undefined, raw.slice(0, cut));
      if (hit !== null) {
        found.push([start, start + cut, hit]);
        return start + cut;
      }
    }
    return runEnd; // a later group may still start a number of its own
  };
  const runStart = (i: number, limit: number): number => {
    let start = i;
    while (start > 0 && i - start < limit && isDigit(text.charCodeAt(start - 1))) start--;
    return start;
  };

  // Plain runs: the anchor finds the first 11 digits of a run.
  const digits = ANCHOR.digits;
  digits.lastIndex = Math.max(0, from - 1);
  let m: RegExpExecArray | null;
  while ((m = digits.exec(text)) !== null && m.index < until) {
    const start = runStart(m.index, 20);
    digits.lastIndex = Math.max(m.index + 1, tryAt(start));
  }
  // Grouped numbers, and plain runs after +86: the anchor finds the end of a first group.
  const groups = ANCHOR.groups;
  groups.lastIndex = Math.max(0, from - 7);
  while ((m = groups.exec(text)) !== null && m.index < until) {
    const start = runStart(m.index, 6);
    if (start > 0 && isDigit(text.charCodeAt(start - 1))) {
      groups.lastIndex = m.index + 1;
      continue;
    }
    groups.lastIndex = Math.max(m.index + 1, tryAt(start));
  }
  if (from === 0 && text.charCodeAt(0) === PLUS) tryAt(1);

  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let last = -1;
  for (const [start, end, hit] of found) {
    if (start === last) continue;
    add(start, end, hit);
    last = start;
  }
}

/**
 * The text as a candidate starting at `start` may read it: when an address cut out of a longer
 * run starts within `span` characters (see findEmails), the text ends there with a space, as it
 * will read once the address is replaced. Cuts are rare; without one the text is returned as is.
 */
function upToCut(text: string, start: number, span: number, cuts: Set<number>): string {
  if (cuts.size === 0) return text;
  for (let i = start + 1; i <= start + span; i++) {
    if (cuts.has(i)) return `${text.slice(0, i)} `;
  }
  return text;
}

/** Where the last group before `end` starts its separator; 0 when there is none. */
function lastSeparator(raw: string, end: number): number {
  for (let i = end - 1; i > 0; i--) {
    const code = raw.charCodeAt(i);
    if ((code === SPACE || code === DASH) && i > 3) return i;
  }
  return 0;
}

const PLUS = 43;
const AT = 64;
const DOT = 46;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
const SPACE = 32;
const DASH = 45;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isHexLetter(code: number): boolean {
  return (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Letters read as a word next to a number, at most this many on each side. */
const WORD_LETTERS = 12;

/**
 * Whether a mobile number or resident ID at `[start, end)` that touches letters stands on its
 * own (`id110105…`, `13912345678a`) rather than inside a hash, UUID or base64 run, where its
 * digits are a coincidence. It does when the run of letters and digits around it holds no
 * other digit and no `*` (a masked neighbour) and at most {@link WORD_LETTERS} letters on
 * each side (base64 and most hashes fail here), is not a hex run of 16 or more, and does
 * not touch `.`, `@`, `_`, `-` or `:` (domains, identifiers, tokens, UUIDs, IPv6 addresses,
 * pseudonyms such as `<phone:…>`).
 * Only the characters of the run and the one on each side decide, and none of them can be
 * part of another detection that masking would change: so masking stays idempotent. A
 * masked number keeps its first digits and turns the rest into `*`, so it is never read again.
 */
function isWordNumber(
  text: string,
  start: number,
  end: number,
  hit: Found,
  cuts: Set<number>,
): boolean {
  if (hit === null) return false;
  if (hit.detector !== "cn-mobile" && !(hit.detector === "cn-id" && end - start === 18)) {
    return false;
  }
  let left = start;
  while (left > 0 && start - left <= WORD_LETTERS && isLetter(text.charCodeAt(left - 1))) left--;
  let right = end;
  while (right - end <= WORD_LETTERS && !cuts.has(right) && isLetter(text.charCodeAt(right))) {
    right++;
  }
  if (start - left > WORD_LETTERS || right - end > WORD_LETTERS) return false;
  const outside = [
    left > 0 ? text.charCodeAt(left - 1) : SPACE,
    cuts.has(right) ? SPACE : text.charCodeAt(right),
  ];
  // Letters joined on by a dot, @, _, - or : may belong to a domain ("…@acme.cn13912345678"),
  // a token ("…4573ghp_…") or an IPv6 address whose own boundary is the number: the two would
  // be told apart only once one of them is replaced, and masking twice would then differ
  // from masking once.
  if (outside.some((code) => isAlnum(code) || JOINERS.has(code))) return false;
  let hexOnly = true;
  for (let i = left; i < right && hexOnly; i++) {
    const code = text.charCodeAt(i);
    hexOnly = isDigit(code) || isHexLetter(code);
  }
  return !hexOnly || right - left < 16;
}

/** Characters that join letters into an address, identifier or token: . @ _ - : */
const JOINERS = new Set([DOT, AT, 95, DASH, 58]);

/** A letter, a digit, or `*`, which stands for a masked letter or digit. */
function isAlnum(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 42
  );
}

/** Decides what a digit candidate is, by length, checksum, prefix and nearby keywords. */
function classifyNumber(text: string, start: number, hasPrefix: boolean, raw: string): Found {
  const body = hasPrefix ? raw.slice(3) : raw;
  const grouped = body.includes(" ") || body.includes("-");
  const digits = grouped ? body.replace(/[ -]/g, "") : body;
  const n = digits.length;
  if (hasPrefix) {
    return n === 11 && isMobilePrefix(digits) ? { detector: "cn-mobile", confidence: 0.95 } : null;
  }
  // The country code written without "+": 86 or 0086 and a mobile number is no longer run.
  if ((n === 13 || n === 15) && COUNTRY_CODE.test(raw)) {
    return { detector: "cn-mobile", confidence: 0.9 };
  }
  if (n === 11 && isMobilePrefix(digits)) {
    // Grouped, only the usual 3-4-4 split counts: "1380 0138 000" is something else.
    if (grouped && !/^\d{3}[ -]\d{4}[ -]\d{4}$/.test(raw)) return null;
    return { detector: "cn-mobile", confidence: 0.9 };
  }
  if (n === 18 && isResidentId(digits)) return { detector: "cn-id", confidence: 0.99 };
  const last = digits.charCodeAt(n - 1);
  if (last === 88 || last === 120) return null; // a trailing X belongs only to an ID
  if (n === 15 && isLegacyResidentId(digits) && keywordBefore(text, start, ID_KEYWORDS)) {
    return { detector: "cn-id", confidence: 0.8 };
  }
  if (n >= 13 && n <= 19) {
    if (isCardShaped(digits) && isLuhnValid(digits)) {
      return { detector: "bank-card", confidence: 0.9 };
    }
    // Some UnionPay cards do not pass Luhn; a keyword nearby makes up for it.
    if (n >= 16 && digits.startsWith("62") && keywordBefore(text, start, CARD_KEYWORDS)) {
      return { detector: "bank-card", confidence: 0.75 };
    }
  }
  return null;
}

/** 86 or 0086, then a mobile number, plain or in the usual 3-4-4 groups. */
const COUNTRY_CODE = /^(?:00)?86[ -]?(?:1[3-9]\d{9}|1[3-9]\d[ -]\d{4}[ -]\d{4})$/;

/** 1 and then 3 to 9: the mainland mobile number blocks. */
function isMobilePrefix(digits: string): boolean {
  const second = digits.charCodeAt(1);
  return digits.charCodeAt(0) === 49 && second >= 51 && second <= 57;
}

function findIpv4(
  text: string,
  from: number,
  until: number,
  add: Add,
  versions: Array<{ start: number; end: number }>,
  cuts: Set<number>,
): void {
  const anchor = ANCHOR.ipv4;
  const tryAt = (start: number): number => {
    const quad = stickyAt(CANDIDATE.ipv4, upToCut(text, start, 16, cuts), start);
    if (quad === null) return start + 1;
    const end = start + quad[0].length;
    if (isReportableIpv4(quad[0])) {
      if (!isVersionContext(text, start)) add(start, end, IPV4);
      else if (start >= from && start < until) versions.push({ start, end });
    }
    return end;
  };
  anchor.lastIndex = Math.max(0, from - 4);
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + 4) {
    // Back to the first octet: 1 to 3 digits after a boundary.
    let start = m.index;
    while (start > 0 && m.index - start < 4 && isDigit(text.charCodeAt(start - 1))) start--;
    const before = start > 0 ? text.charCodeAt(start - 1) : SPACE;
    if (
      start === m.index ||
      m.index - start > 3 ||
      isAlnum(before) ||
      before === DOT ||
      before === 95
    ) {
      anchor.lastIndex = m.index + 1;
      continue;
    }
    anchor.lastIndex = Math.max(m.index + 1, tryAt(start));
  }
}

function findIpv6(text: string, from: number, until: number, add: Add, cuts: Set<number>): void {
  const anchor = ANCHOR.ipv6;
  anchor.lastIndex = from;
  const floorOf = (i: number) => Math.max(0, i - 40);
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + 40) {
    let start = m.index;
    const floor = floorOf(m.index);
    while (start > floor && /[0-9A-Fa-f:]/.test(text.charAt(start - 1))) start--;
    if (start > 0 && /[A-Za-z0-9_:.*]/.test(text.charAt(start - 1))) {
      anchor.lastIndex = m.index + 1;
      continue;
    }
    const address = stickyAt(CANDIDATE.ipv6, upToCut(text, start, 40, cuts), start);
    if (address === null) {
      anchor.lastIndex = m.index + 1;
      continue;
    }
    if (isReportableIpv6(address[0])) {
      add(start, start + address[0].length, { detector: "ipv6", confidence: 0.85 });
    }
    anchor.lastIndex = Math.max(m.index + 1, start + address[0].length);
  }
}

function findPassports(
  text: string,
  from: number,
  until: number,
  add: Add,
  cuts: Set<number>,
): void {
  const anchor = PASSPORT_ANCHOR;
  anchor.lastIndex = Math.max(0, from - KEYWORD_WINDOW);
  // Candidates already reported after an earlier keyword are not looked at again.
  let next = 0;
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until) {
    const keyword = stickyAt(PASSPORT_KEYWORD, text, m.index);
    if (keyword === null) continue;
    const after = Math.max(next, m.index + keyword[0].length);
    // Only the rest of the keyword's window (and the longest number) is searched, on its line.
    let window = upToCut(text, after, KEYWORD_WINDOW + 10, cuts).slice(
      after,
      m.index + KEYWORD_WINDOW + 10,
    );
    const newline = window.indexOf("\n");
    if (newline !== -1) window = window.slice(0, newline);
    const candidate = CANDIDATE.passport;
    candidate.lastIndex = 0;
    let c: RegExpExecArray | null;
    while ((c = candidate.exec(window)) !== null && after + c.index <= m.index + KEYWORD_WINDOW) {
      // The window cut may have split a longer run; the real text decides.
      const start = after + c.index;
      const whole = stickyAt(CANDIDATE.passportAt, upToCut(text, start, 12, cuts), start);
      if (whole === null || (start > 0 && isAlnum(text.charCodeAt(start - 1)))) continue;
      add(start, start + whole[0].length, { detector: "passport", confidence: 0.8 });
      next = start + whole[0].length;
    }
  }
}
