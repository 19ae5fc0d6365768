/**
 * Keyword proximity: some numbers are personal data only when a word nearby says so (a
 * 15-digit legacy ID, a UnionPay card failing Luhn, a passport number).
 *
 * `gatehouse mask` reads raw bytes as latin1 so that everything outside a finding stays
 * byte-identical even in files that are not valid UTF-8; a Chinese keyword then appears as its
 * UTF-8 bytes, one character per byte. Every keyword is therefore matched in both forms.
 */
import { lineStartWithin } from "./text-chars.js";

/** How far before a candidate, on the same line, a keyword counts as "near". */
export const KEYWORD_WINDOW = 48;

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The UTF-8 bytes of a word, one latin1 character per byte. */
function asLatin1Bytes(word: string): string {
  return String.fromCharCode(...new TextEncoder().encode(word));
}

/**
 * Chinese words match anywhere; English words only as whole words, optionally with a suffix
 * such as `No`, `_number` or ` id` (`cardNo`, `account_number`), so that a class name like
 * `AccountDao` or a word like `discard` does not count.
 */
function keywordRegExp(english: string[], chinese: string[], flags = "i"): RegExp {
  const words = english.map((w) => `(?<![a-z])(?:${w})(?:[ _-]?(?:no|num|number|id))?(?![a-z])`);
  const forms = chinese.flatMap((w) => [escape(w), escape(asLatin1Bytes(w))]);
  return new RegExp([...forms, ...words].join("|"), flags);
}

export const CARD_KEYWORDS = keywordRegExp(
  ["card", "account", "acct", "pan"],
  ["卡号", "银行卡", "信用卡", "借记卡", "账号", "帐号", "账户"],
);

export const ID_KEYWORDS = keywordRegExp(
  ["id[ _-]?card", "id[ _-]?(?:no|num|number)", "identity", "citizen", "sfz"],
  ["身份证", "证件", "公民身份"],
);

/** Passport numbers are looked for only after one of these; sticky, to confirm an anchor. */
export const PASSPORT_KEYWORD = keywordRegExp(["passport", "travel document"], ["护照"], "iy");

/** Where a passport keyword may start: cheap, without lookbehind, for a fast global search. */
export const PASSPORT_ANCHOR = new RegExp(
  [
    "[Pp][Aa][Ss][Ss][Pp][Oo][Rr][Tt]",
    "[Tt][Rr][Aa][Vv][Ee][Ll] [Dd][Oo][Cc]",
    escape("护照"),
    escape(asLatin1Bytes("护照")),
  ].join("|"),
  "g",
);

/** Whether one of the keywords occurs shortly before `start`, on the same line. */
export function keywordBefore(text: string, start: number, keywords: RegExp): boolean {
  // Bounded: reads at most KEYWORD_WINDOW characters, however long the line.
  const from = lineStartWithin(text, start, KEYWORD_WINDOW);
  return keywords.test(text.slice(from, start));
}
