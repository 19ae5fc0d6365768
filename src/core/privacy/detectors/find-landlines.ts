/**
 * Mainland landline numbers, looked for only right after a telephone keyword (电话, 座机,
 * 固话, 传真, tel, phone, fax, …): a landline has no checksum and no reserved prefix, so
 * without a keyword any 8 to 12 digits could be one.
 *
 * Linear: the anchor is a keyword; from its end the scan skips at most 16 characters that are
 * not letters or digits and tries one sticky candidate of at most 24 characters. O(n · 40).
 */
import type { Cuts } from "../cuts.js";
import { matchAt } from "../cuts.js";
import { PHONE_KEYWORDS, skipGap } from "../keywords.js";
import type { Add } from "../raw-hit.js";
import { isAlnum } from "../text-chars.js";

const AREA = String.raw`(?:10|2\d|[3-9]\d\d)`;
/**
 * An area code (0 and 2 or 3 digits, in brackets or not; after 86 or +86 the 0 may go), then
 * a subscriber number of 7 or 8 digits not starting with 0, in one or two groups; or the
 * subscriber number alone.
 */
const LANDLINE = new RegExp(
  String.raw`(?:(?:(?:\+|00)?86[ -]?(?:\(0?${AREA}\)|0?${AREA})|\(0${AREA}\)|0${AREA})(?: - |[ -]|(?<=\)))?)?` +
    String.raw`[1-9]\d{2,3}[ -]?\d{4}(?![A-Za-z0-9*@]|\.\d)`,
  "y",
);

const LANDLINE_HIT = { detector: "cn-landline", confidence: 0.7 } as const;

export function findLandlines(
  text: string,
  from: number,
  until: number,
  add: Add,
  cuts: Cuts,
): void {
  const anchor = PHONE_KEYWORDS;
  anchor.lastIndex = Math.max(0, from - 40);
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until) {
    const start = skipGap(text, m.index + m[0].length);
    if (start < from || start >= until) continue;
    if (start > 0 && isAlnum(text.charCodeAt(start - 1))) continue;
    const number = matchAt(LANDLINE, text, start, 24, cuts);
    if (number === null) continue;
    add(start, start + number[0].length, LANDLINE_HIT);
    anchor.lastIndex = start + number[0].length;
  }
}
