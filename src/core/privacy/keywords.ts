/**
 * Keyword proximity: some numbers are personal data only when a word nearby says so (a
 * 15-digit legacy ID, a UnionPay card failing Luhn, a passport number).
 *
 * `gatehouse mask` reads raw bytes as latin1 so that everything outside a finding stays
 * byte-identical even in files that are not valid UTF-8; a Chinese keyword then appears as its
 * UTF-8 bytes, one character per byte. Every keyword is therefore matched in both forms.
 */
import { isAlnum, lineStartWithin } from "./text-chars.js";

/** How far before a candidate, on the same line, a keyword counts as "near". */
export const KEYWORD_WINDOW = 48;

export function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The UTF-8 bytes of a word, one latin1 character per byte. */
export function asLatin1Bytes(word: string): string {
  return String.fromCharCode(...new TextEncoder().encode(word));
}

/**
 * Chinese words match anywhere; English words only as whole words, optionally with a suffix
 * such as `No`, `_number` or ` id` (`cardNo`, `account_number`), so that a class name like
 * `AccountDao` or a word like `discard` does not count.
 */
function keywordRegExp(
  english: string[],
  chinese: string[],
  flags = "i",
  before = "(?<![a-z])",
): RegExp {
  const words = english.map((w) => `${before}(?:${w})(?:[ _-]?(?:no|num|number|id))?(?![a-z])`);
  const forms = chinese.flatMap((w) => [escape(w), escape(asLatin1Bytes(w))]);
  return new RegExp([...forms, ...words].join("|"), flags);
}

const CARD_WORDS: [string[], string[]] = [
  ["card", "account", "acct", "pan"],
  ["卡号", "银行卡", "信用卡", "借记卡", "账号", "帐号", "账户"],
];
const ID_WORDS: [string[], string[]] = [
  ["id[ _-]?card", "id[ _-]?(?:no|num|number)", "identity", "citizen", "sfz"],
  ["身份证", "证件", "公民身份"],
];

/**
 * Keywords of cards and IDs, for {@link keywordRightBefore}: global, and an English word may not
 * follow a letter, digit, `*`, `<`, `>` or one of `@ . _ -`, where it could be the tail of an
 * address, token or pseudonym that masking replaces.
 */
const STRICT_BEFORE = "(?<![a-z0-9*<>@._-])";

export const PASSPORT_WORDS: [string[], string[]] = [["passport", "travel document"], ["护照"]];

export const PHONE_WORDS: [string[], string[]] = [
  ["tel", "telephone", "phone", "landline", "fax"],
  ["电话", "座机", "固话", "固定电话", "传真", "联系方式"],
];

/** Words that say a telephone number follows, for landlines (a mobile number needs none); sticky. */
export const PHONE_KEYWORD = keywordRegExp(...PHONE_WORDS, "iy", STRICT_BEFORE);

export const CARD_KEYWORDS = keywordRegExp(...CARD_WORDS, "gi", STRICT_BEFORE);
export const ID_KEYWORDS = keywordRegExp(...ID_WORDS, "gi", STRICT_BEFORE);

/** Passport numbers are looked for only after one of these; sticky, to confirm an anchor. */
export const PASSPORT_KEYWORD = keywordRegExp(...PASSPORT_WORDS, "iy");

/** The most characters between a keyword and a number it qualifies ("卡号码：", "card no. "). */
const GAP = 16;
/** The longest keyword form, in characters (UTF-8 bytes read as latin1 included). */
const LONGEST_KEYWORD = 24;

/**
 * Whether one of the keywords stands right before `start`: what lies between them is at most
 * {@link GAP} characters, none a letter, digit, `*`, `@`, `<` or `>`, on the same line. Unlike
 * a keyword anywhere in a window before the number, the answer cannot change when masking replaces a value nearby: every
 * masked form holds one of those characters, so no value can stand between keyword and number,
 * and a keyword that is the tail of a value is not taken. Bounded: at most 41 characters are read.
 */
export function keywordRightBefore(text: string, start: number, keywords: RegExp): boolean {
  const floor = lineStartWithin(text, start, GAP + LONGEST_KEYWORD);
  let gap = start;
  while (gap > floor && start - gap < GAP && isGap(text.charCodeAt(gap - 1))) gap--;
  // One character more than the window, so that the look-behind of an English word sees it.
  const from = Math.max(0, floor - 1);
  const window = text.slice(from, start);
  keywords.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = keywords.exec(window)) !== null) {
    if (from + m.index >= floor && from + m.index + m[0].length >= gap) return true;
  }
  return false;
}

/** Where a number right after a keyword ending at `end` would start: past at most {@link GAP} gap characters. */
export function skipGap(text: string, end: number): number {
  let at = end;
  // A number's own first character (+86, a bracketed area code) is not part of the gap.
  for (
    let code = text.charCodeAt(at);
    at - end < GAP && isGap(code) && code !== 43 && code !== 40;
  ) {
    code = text.charCodeAt(++at);
  }
  return at;
}

function isGap(code: number): boolean {
  return !isAlnum(code) && code !== 64 && code !== 60 && code !== 62 && code !== 10;
}
