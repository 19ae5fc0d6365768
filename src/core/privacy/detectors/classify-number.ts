/**
 * What a digit candidate is: a mobile number, a resident ID, a bank card, or nothing, by
 * length, checksum, prefix and nearby keywords. Constant time per candidate: at most 32
 * characters of candidate and {@link KEYWORD_WINDOW} characters of keyword context are read.
 */
import { isCardShaped, isLegacyResidentId, isLuhnValid, isResidentId } from "../checks.js";
import { CARD_KEYWORDS, ID_KEYWORDS, keywordBefore } from "../keywords.js";
import type { Found } from "../raw-hit.js";

/** Decides what a digit candidate is, by length, checksum, prefix and nearby keywords. */
export function classifyNumber(
  text: string,
  start: number,
  hasPrefix: boolean,
  raw: string,
): Found {
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
