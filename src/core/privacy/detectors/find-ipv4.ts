/**
 * IPv4 addresses, unless their context says they are versions.
 *
 * Linear: the anchor is the first dot of a dotted quad; from each, the scan walks back at most
 * three digits, tries one candidate of at most 15 characters, and judges its context by at most
 * 80 characters before it ({@link isVersionContext}). O(n · 100).
 */
import { ANCHOR, CANDIDATE } from "../candidates.js";
import { isReportableIpv4 } from "../checks.js";
import { matchAt, type Cuts } from "../cuts.js";
import type { Add, RawHit } from "../raw-hit.js";
import { DOT, isAlnum, isDigit, SPACE, UNDERSCORE } from "../text-chars.js";
import { isVersionContext } from "../version-context.js";

export const IPV4: Pick<RawHit, "detector" | "confidence"> = { detector: "ipv4", confidence: 0.8 };

/** A dotted quad read as a version; judged again once the hits before it are known. */
export interface VersionQuad {
  start: number;
  end: number;
}

/**
 * Finds IPv4 addresses starting in `[from, until)`. Quads whose context reads as a version go
 * to `versions` instead, to be read again with the detections before them masked.
 */
export function findIpv4(
  text: string,
  from: number,
  until: number,
  add: Add,
  versions: VersionQuad[],
  cuts: Cuts,
): void {
  const anchor = ANCHOR.ipv4;
  const tryAt = (start: number): number => {
    const quad = matchAt(CANDIDATE.ipv4, text, start, 16, cuts);
    if (quad === null) return start + 1;
    const end = start + quad[0].length;
    if (isReportableIpv4(quad[0])) {
      if (!isVersionContext(text, start)) add(start, end, IPV4);
      else if (start >= from && start < until) versions.push({ start, end });
    }
    return end;
  };
  anchor.lastIndex = Math.max(0, from - 4);
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + 4) {
    // Back to the first octet: 1 to 3 digits after a boundary.
    let start = m.index;
    while (start > 0 && m.index - start < 4 && isDigit(text.charCodeAt(start - 1))) start--;
    const before = start > 0 ? text.charCodeAt(start - 1) : SPACE;
    if (
      start === m.index ||
      m.index - start > 3 ||
      isAlnum(before) ||
      before === DOT ||
      before === UNDERSCORE
    ) {
      anchor.lastIndex = m.index + 1;
      continue;
    }
    anchor.lastIndex = Math.max(m.index + 1, tryAt(start));
  }
}
