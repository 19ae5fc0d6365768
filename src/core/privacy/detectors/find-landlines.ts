/**
 * Mainland landline numbers, looked for only right after a telephone keyword (电话, 座机,
 * 固话, 传真, tel, phone, fax, …): a landline has no checksum and no reserved prefix, so
 * without a keyword any 7 to 12 digits could be one.
 *
 * Linear: the keywords come from the shared keyword pass ({@link keywordAnchors}); from the end
 * of each, the scan skips at most 16 characters that are not letters or digits and tries one
 * sticky candidate of at most 24 characters. O(n · 40).
 */
import { matchAt, type Cuts } from "../cuts.js";
import type { KeywordAt } from "../keyword-anchors.js";
import { skipGap } from "../keywords.js";
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

/** Finds landlines right after the given telephone keywords (in text order). */
export function findLandlines(
  text: string,
  from: number,
  until: number,
  keywords: KeywordAt[],
  add: Add,
  cuts: Cuts,
): void {
  let next = 0;
  for (const keyword of keywords) {
    const start = skipGap(text, keyword.end);
    if (start < Math.max(from, next)) continue;
    if (start >= until) break;
    if (start > 0 && isAlnum(text.charCodeAt(start - 1))) continue;
    const number = matchAt(LANDLINE, text, start, 24, cuts);
    if (number === null) continue;
    add(start, start + number[0].length, LANDLINE_HIT);
    next = start + number[0].length;
  }
}
