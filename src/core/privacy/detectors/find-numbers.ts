/**
 * Mobile numbers, resident IDs and bank cards.
 *
 * Linear: two global anchors (11 digits in a row; a digit, a separator and three digits) fire
 * at most once per position. From each, the scan walks back over at most 20 digits, tries one
 * candidate of at most 32 characters and classifies at most five readings of it (one per group
 * boundary), each in constant time ({@link classifyNumber}). After a candidate the anchors
 * resume behind it or one character on, so O(n · 32 · 5) in the worst case.
 */
import { ANCHOR, CANDIDATE } from "../candidates.js";
import { matchAt, type Cuts } from "../cuts.js";
import type { Add, Found } from "../raw-hit.js";
import { AT, DASH, DOT, isAlnum, isDigit, isLetter, PLUS, SPACE } from "../text-chars.js";
import { classifyNumber } from "./classify-number.js";
import { isWordNumber } from "./word-number.js";

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
    const number = matchAt(CANDIDATE.number, text, start, 32, cuts);
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

/** Where the last group before `end` starts its separator; 0 when there is none. */
function lastSeparator(raw: string, end: number): number {
  for (let i = end - 1; i > 0; i--) {
    const code = raw.charCodeAt(i);
    if ((code === SPACE || code === DASH) && i > 3) return i;
  }
  return 0;
}
