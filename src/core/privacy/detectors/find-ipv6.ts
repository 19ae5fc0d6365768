/**
 * IPv6 addresses.
 *
 * Linear: the anchor is a colon that starts `::` or three more hex groups; from each, the scan
 * walks back at most 40 characters and tries one candidate of at most 39 characters (a single
 * character class, so one attempt reads at most 40 characters). O(n · 80).
 */
import { ANCHOR, CANDIDATE } from "../candidates.js";
import { isReportableIpv6 } from "../checks.js";
import { matchAt, type Cuts } from "../cuts.js";
import type { Add } from "../raw-hit.js";

const ADDRESS_CHAR = /[0-9A-Fa-f:]/;
const BOUNDARY = /[A-Za-z0-9_:.*]/;

export function findIpv6(text: string, from: number, until: number, add: Add, cuts: Cuts): void {
  const anchor = ANCHOR.ipv6;
  anchor.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + 40) {
    let start = m.index;
    const floor = Math.max(0, m.index - 40);
    while (start > floor && ADDRESS_CHAR.test(text.charAt(start - 1))) start--;
    if (start > 0 && BOUNDARY.test(text.charAt(start - 1))) {
      anchor.lastIndex = m.index + 1;
      continue;
    }
    const address = matchAt(CANDIDATE.ipv6, text, start, 40, cuts);
    if (address === null) {
      anchor.lastIndex = m.index + 1;
      continue;
    }
    if (isReportableIpv6(address[0])) {
      add(start, start + address[0].length, { detector: "ipv6", confidence: 0.85 });
    }
    anchor.lastIndex = Math.max(m.index + 1, start + address[0].length);
  }
}
