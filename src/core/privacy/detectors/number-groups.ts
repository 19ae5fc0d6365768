/**
 * Digit groups as people write numbers: `6222 0212 3456 7890`, `138-0013-8000`,
 * `138.0013.8000`, `110101 19900307 4573`, `1 3 8 0 0 1 3 8 0 0 0`, `+86 139 1234 5678`.
 *
 * Constant time per candidate: at most {@link MAX_DIGITS} + 1 digits (and as many separators)
 * are read from its start.
 */
import type { Cuts } from "../cuts.js";
import { DASH, isDigit, SPACE } from "../text-chars.js";

/** More digits than any reading can use: a group reaching it ends the candidate. */
export const MAX_DIGITS = 20;

/** The separators a group may end with, one character each: space, tab, - . _ / */
const SEPARATORS = new Set([SPACE, 9, DASH, 46, 95, 47]);

export interface Grouping {
  /** Where each group starts and ends (an ID's check letter X belongs to its last group). */
  starts: number[];
  ends: number[];
  /** How many digits (and X) the groups up to each one hold together. */
  counts: number[];
}

/** The smallest number of digits any reading can be something with: a mobile number. */
const MIN_DIGITS = 11;

/**
 * The separator at `at` and its length: one of {@link SEPARATORS}, or a dash between two spaces
 * (` - `). 0 when there is none, or when the text does not go on with a digit after it.
 */
export function separatorAt(text: string, at: number, cuts: Cuts): number {
  const code = text.charCodeAt(at);
  let length = 0;
  if (code === SPACE && text.charCodeAt(at + 1) === DASH && text.charCodeAt(at + 2) === SPACE) {
    length = 3;
  } else if (SEPARATORS.has(code)) length = 1;
  if (length === 0 || !isDigit(text.charCodeAt(at + length))) return 0;
  for (let i = at; i <= at + length; i++) if (cuts.has(i)) return 0;
  return length;
}

/** The length of a separator at `at` followed by an ID's check letter X, or undefined. */
function checkLetterSeparator(text: string, at: number, cuts: Cuts): number | undefined {
  const code = text.charCodeAt(at);
  let length = 0;
  if (code === SPACE && text.charCodeAt(at + 1) === DASH && text.charCodeAt(at + 2) === SPACE) {
    length = 3;
  } else if (SEPARATORS.has(code)) length = 1;
  if (length === 0 || (text.charCodeAt(at + length) | 32) !== 120) return undefined;
  for (let i = at; i <= at + length; i++) if (cuts.has(i)) return undefined;
  return length;
}

/** Reads the groups of digits from `body` on; null when they hold too few digits to be anything. */
export function readGroups(text: string, body: number, cuts: Cuts): Grouping | null {
  const starts: number[] = [];
  const ends: number[] = [];
  const counts: number[] = [];
  let count = 0;
  let at = body;
  for (;;) {
    const start = at;
    while (isDigit(text.charCodeAt(at)) && !cuts.has(at) && count <= MAX_DIGITS) {
      at++;
      count++;
    }
    // An ID's check letter, right after its 17th digit or as a group of its own.
    const x = count === 17 && (text.charCodeAt(at) | 32) === 120 && !cuts.has(at);
    if (x) {
      at++;
      count++;
    }
    starts.push(start);
    ends.push(at);
    counts.push(count);
    if (x || count > MAX_DIGITS - 1) break;
    const separator = separatorAt(text, at, cuts);
    if (separator === 0) {
      // "… 4 2 X": the check letter after a separator.
      const letter = at + (checkLetterSeparator(text, at, cuts) ?? 0);
      if (count !== 17 || letter === at) break;
      starts.push(letter);
      ends.push(letter + 1);
      counts.push(18);
      at = letter + 1;
      count = 18;
      break;
    }
    at += separator;
  }
  return count < MIN_DIGITS ? null : { starts, ends, counts };
}

/** The digits (and X) of the first `k` groups, without separators. */
export function groupDigits(text: string, groups: Grouping, k: number): string {
  let digits = "";
  for (let i = 0; i < k; i++) digits += text.slice(groups.starts[i], groups.ends[i]);
  return digits;
}

/**
 * Whether groups of these sizes are a way to write one number: every group has at least three
 * digits (`138 0013 8000`, `1380013 8000`, `6222 0212 3456 7890 123`), or every group has one
 * (spelt digit by digit). Groups of two are left out: dates and clock times are written so.
 */
export function isNumberGrouping(sizes: number[]): boolean {
  if (sizes.length <= 1) return true;
  return sizes.every((s) => s >= 3) || sizes.every((s) => s === 1);
}
