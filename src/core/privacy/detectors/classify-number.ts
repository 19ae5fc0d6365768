/**
 * What a run of digits is: a mobile number, a resident ID, a bank card, or nothing, by length,
 * checksum, prefix and a keyword right before it. Constant time per reading: at most 19 digits
 * and 41 characters of keyword context (once per candidate) are read.
 */
import { isCardShaped, isLegacyResidentId, isLuhnValid, isResidentId } from "../checks.js";
import { CARD_KEYWORDS, ID_KEYWORDS, keywordRightBefore } from "../keywords.js";
import type { Found } from "../raw-hit.js";

/** Whether a keyword of the given kind stands right before the candidate. */
export type KeywordTest = (keywords: RegExp) => boolean;

/** The keyword test for a candidate starting at `start` of `text`. */
export function keywordsBefore(text: string, start: number): KeywordTest {
  return (keywords) => keywordRightBefore(text, start, keywords);
}

/**
 * Decides what the digits of one reading are. `digits` holds only digits (and the check
 * letter X of an ID); grouping has been judged by the caller.
 */
export function classifyDigits(digits: string, keyword: KeywordTest): Found {
  const n = digits.length;
  if (n === 11 && isMobilePrefix(digits, 0)) return { detector: "cn-mobile", confidence: 0.9 };
  // The country code written without "+": 86 or 0086 and a mobile number.
  if (
    (n === 13 && digits.startsWith("86") && isMobilePrefix(digits, 2)) ||
    (n === 15 && digits.startsWith("0086") && isMobilePrefix(digits, 4))
  ) {
    return { detector: "cn-mobile", confidence: 0.9 };
  }
  if (n === 18 && isResidentId(digits)) return { detector: "cn-id", confidence: 0.99 };
  const last = digits.charCodeAt(n - 1);
  if (last === 88 || last === 120) return null; // a trailing X belongs only to an ID
  if (n === 15 && isLegacyResidentId(digits) && keyword(ID_KEYWORDS)) {
    return { detector: "cn-id", confidence: 0.8 };
  }
  if (n >= 13 && n <= 19) {
    const luhn = isLuhnValid(digits);
    if (luhn && isCardShaped(digits)) return { detector: "bank-card", confidence: 0.9 };
    // Right after a card keyword the issuer does not matter: ICBC's 19-digit 9558 cards and
    // other domestic BINs fit no international scheme, but they pass Luhn.
    if (luhn && keyword(CARD_KEYWORDS)) return { detector: "bank-card", confidence: 0.85 };
    // Some UnionPay cards do not pass Luhn; a keyword nearby makes up for it.
    if (n >= 16 && digits.startsWith("62") && keyword(CARD_KEYWORDS)) {
      return { detector: "bank-card", confidence: 0.75 };
    }
  }
  return null;
}

/** Whether a mobile number written with +86 is one: 11 digits in the mobile blocks. */
export function isPlus86Mobile(digits: string): boolean {
  return digits.length === 11 && isMobilePrefix(digits, 0);
}

/** 1 and then 3 to 9 at `at`: the mainland mobile number blocks. */
function isMobilePrefix(digits: string, at: number): boolean {
  const second = digits.charCodeAt(at + 1);
  return digits.charCodeAt(at) === 49 && second >= 51 && second <= 57;
}
