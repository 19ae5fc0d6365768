/**
 * Mobile numbers, resident IDs and bank cards, plain or in groups.
 *
 * Linear: two global anchors (11 digits in a row; the end of a first group) fire at most once
 * per position. From each, the scan walks back over at most 19 digits, reads the groups of one
 * candidate (at most 21 digits and their separators, {@link readGroups}) and classifies at most
 * one reading per group, each in constant time ({@link classifyDigits}), with one keyword look
 * of 48 characters per candidate. After a candidate the anchors resume behind it or one
 * character on. A plain run of digits is walked once, however long. O(n · 100).
 */
import { ANCHOR } from "../candidates.js";
import type { Cuts } from "../cuts.js";
import type { Add, Found } from "../raw-hit.js";
import { AT, DASH, DOT, isAlnum, isDigit, isLetter, PLUS, SPACE } from "../text-chars.js";
import { classifyDigits, isPlus86Mobile, keywordsBefore } from "./classify-number.js";
import {
  groupDigits,
  isNumberGrouping,
  MAX_DIGITS,
  readGroups,
  separatorAt,
} from "./number-groups.js";
import { isWordNumber } from "./word-number.js";

const MOBILE_PLUS86: Found = { detector: "cn-mobile", confidence: 0.95 };

/**
 * Finds mobile numbers, resident IDs and bank cards. The start of an address in `cuts` ends a
 * number as a space would: the address will be replaced, and what stood before it must be read
 * the same way before and after (idempotent masking).
 */
export function findNumbers(text: string, from: number, until: number, add: Add, cuts: Cuts): void {
  const found: Array<[number, number, Found]> = [];
  /** Tries a candidate whose first digit is at `digits`; returns where to look on. */
  const tryAt = (digits: number): number => {
    let n = 0;
    while (isDigit(text.charCodeAt(digits + n)) && !cuts.has(digits + n)) n++;
    const runEnd = digits + n;
    // The boundary before the digits: +86 belongs to the number; "+1", letters, dots and masked
    // characters do not start one. An @ does: a mention "@13800138000" or an address's domain
    // "zhang@13800138000.cn" holds the number whole (merge-hits stars it out with the address).
    let start = digits;
    let body = digits;
    const before = digits > 0 ? text.charCodeAt(digits - 1) : SPACE;
    const letterBefore = isLetter(before);
    if (letterBefore) {
      // Letters do not hide a mobile number or ID ("id110105…"); decided below, plain runs only.
      if (n < 11 || n > 18) return runEnd;
    } else if (before === PLUS) {
      if (!text.startsWith("86", digits)) return runEnd;
      start = digits - 1;
      body = digits + 2;
      const after86 = text.charCodeAt(body);
      if ((after86 === SPACE || after86 === DASH) && isDigit(text.charCodeAt(body + 1))) body++;
    } else if ((before === SPACE || before === DASH) && text.startsWith("+86", digits - 4)) {
      start = digits - 4;
    } else if ((before === SPACE || before === DASH) && countryCodeBefore(text, digits - 1) > 0) {
      // 86 or 0086 as a group of its own: the reading starts there ("0086-139-1234-5678").
      start = body = digits - 1 - countryCodeBefore(text, digits - 1);
    } else if (isAlnum(before) || before === DOT) {
      return runEnd;
    }
    const grouped = separatorAt(text, runEnd, cuts) > 0;
    if (start === digits && (letterBefore || (!grouped && n >= 7))) {
      // The common case, a plain run of digits, decided without reading groups.
      let end = runEnd;
      const next = text.charCodeAt(end);
      if ((next === 88 || next === 120) && n === 17 && !cuts.has(end)) end++; // the X of an ID
      const after = cuts.has(end) ? SPACE : text.charCodeAt(end);
      const letterAfter = isLetter(after);
      if (n > 19 || n < 11 || (isAlnum(after) && !letterAfter) || after === AT) return runEnd;
      if (after === DOT && isDigit(text.charCodeAt(end + 1)) && !cuts.has(end + 1)) return runEnd;
      const hit = classifyDigits(text.slice(digits, end), keywordsBefore(text, digits));
      if ((letterBefore || letterAfter) && !isWordNumber(text, digits, end, hit, cuts)) {
        return runEnd;
      }
      found.push([digits, end, hit]);
      return end;
    }
    // A first group of two digits starts no reading but a country code ("86 139 ..."): dates,
    // clock times and decimals ("12:30:56.789") end here cheaply.
    if (body === digits && n === 2 && !text.startsWith("86", digits)) return runEnd;
    const groups = readGroups(text, body, cuts);
    if (groups === null) return runEnd;
    const keyword = keywordsBefore(text, start);
    // The groups may run on into the next number ("+86 139 1234 5678 2001"): the longest
    // reading that is something wins.
    for (let k = groups.ends.length; k > 0; k--) {
      const count = groups.counts[k - 1] as number;
      const end = groups.ends[k - 1] as number;
      if (count > MAX_DIGITS - 1) continue;
      if (k === groups.ends.length) {
        const after = cuts.has(end) ? SPACE : text.charCodeAt(end);
        if (isAlnum(after) || after === AT) continue;
        if (after === DOT && isDigit(text.charCodeAt(end + 1)) && !cuts.has(end + 1)) continue;
      } else if (text.charCodeAt(end) === DOT) {
        continue; // a dot does not part two numbers: `138.0013.8000.5` is one thing
      }
      const hit = readingOf(
        groupDigits(text, groups, k),
        groups.counts.slice(0, k),
        start < body,
        keyword,
      );
      if (hit !== null) {
        found.push([start, end, hit]);
        return end;
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
  // Grouped numbers, and plain runs after +86: the anchors find the end of a first group, or
  // the first digits of a number spelt digit by digit.
  for (const groups of [ANCHOR.groups, ANCHOR.spelt]) {
    groups.lastIndex = Math.max(0, from - 20);
    while ((m = groups.exec(text)) !== null && m.index < until) {
      const start = runStart(m.index, 19);
      if (start > 0 && isDigit(text.charCodeAt(start - 1))) {
        groups.lastIndex = m.index + 1;
        continue;
      }
      groups.lastIndex = Math.max(m.index + 1, tryAt(start));
    }
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
 * The length of a country code written as a group of its own that ends at `end` (exclusive):
 * 2 for `86`, 4 for `0086`, after a boundary; 0 when there is none.
 */
function countryCodeBefore(text: string, end: number): number {
  for (const code of ["0086", "86"]) {
    const at = end - code.length;
    if (at < 0 || !text.startsWith(code, at)) continue;
    const before = at > 0 ? text.charCodeAt(at - 1) : SPACE;
    if (!isAlnum(before) && before !== DOT && before !== PLUS) return code.length;
  }
  return 0;
}

/**
 * What one reading of groups is. `counts` are the cumulative digit counts of its groups;
 * `plus86` says it was written after +86.
 */
function readingOf(
  digits: string,
  counts: number[],
  plus86: boolean,
  keyword: ReturnType<typeof keywordsBefore>,
): Found {
  let sizes = counts.map((c, i) => c - (i === 0 ? 0 : (counts[i - 1] as number)));
  // An ID's check letter standing alone does not count as a group of one.
  if (sizes.length > 2 && sizes[sizes.length - 1] === 1 && /x$/i.test(digits)) {
    if (!sizes.every((size) => size === 1)) sizes = sizes.slice(0, -1);
  }
  if (plus86) return isNumberGrouping(sizes) && isPlus86Mobile(digits) ? MOBILE_PLUS86 : null;
  // 86 or 0086 as a group of its own, then a mobile number in groups of its own.
  const code =
    sizes[0] === 2 && digits.startsWith("86")
      ? 2
      : sizes[0] === 4 && digits.startsWith("0086")
        ? 4
        : 0;
  if (code > 0 && sizes.length > 1) {
    return isNumberGrouping(sizes.slice(1)) && isPlus86Mobile(digits.slice(code))
      ? { detector: "cn-mobile", confidence: 0.9 }
      : null;
  }
  return isNumberGrouping(sizes) ? classifyDigits(digits, keyword) : null;
}
