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
  /** The digits (and X) of the groups, without separators. */
  digits: string;
  /** Where the digits of each group end in `digits`. */
  counts: number[];
}

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

/** Reads the groups of digits from `body` on. */
export function readGroups(text: string, body: number, cuts: Cuts): Grouping {
  const starts: number[] = [];
  const ends: number[] = [];
  const counts: number[] = [];
  let digits = "";
  let at = body;
  for (;;) {
    const start = at;
    while (isDigit(text.charCodeAt(at)) && !cuts.has(at) && digits.length <= MAX_DIGITS) {
      at++;
      digits += text.charAt(at - 1);
    }
    if (digits.length === 17 && (text.charCodeAt(at) | 32) === 120 && !cuts.has(at)) {
      at++;
      digits += "X";
    }
    starts.push(start);
    ends.push(at);
    counts.push(digits.length);
    if (digits.length > MAX_DIGITS - 1) break;
    const separator = separatorAt(text, at, cuts);
    if (separator === 0 || digits.endsWith("X")) break;
    at += separator;
  }
  return { starts, ends, digits, counts };
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
