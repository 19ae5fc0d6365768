/**
 * Numbers that touch letters. Constant time: at most {@link WORD_LETTERS} letters are read on
 * each side of the number.
 */
import type { Cuts } from "../cuts.js";
import type { Found } from "../raw-hit.js";
import {
  AT,
  COLON,
  DASH,
  DOT,
  isAlnum,
  isDigit,
  isHexLetter,
  isLetter,
  SPACE,
  UNDERSCORE,
} from "../text-chars.js";

/** Letters read as a word next to a number, at most this many on each side. */
const WORD_LETTERS = 12;

/** Characters that join letters into an address, identifier or token: . @ _ - : */
const JOINERS = new Set([DOT, AT, UNDERSCORE, DASH, COLON]);

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
export function isWordNumber(
  text: string,
  start: number,
  end: number,
  hit: Found,
  cuts: Cuts,
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
