/**
 * Dotted quads read as versions, read again as masking will leave them.
 *
 * Linear: each quad looks at the hits that end within {@link VERSION_WINDOW} characters of
 * masked text before it; a masked hit is at least one character long, so at most that many
 * hits, found by binary search. O(quads · (log hits + VERSION_WINDOW)).
 */
import { IPV4, type VersionQuad } from "./detectors/find-ipv4.js";
import { maskHit } from "./mask-value.js";
import type { RawHit } from "./raw-hit.js";
import type { ScanOptions } from "./find-hits.js";
import { isVersionContext, VERSION_WINDOW } from "./version-context.js";

/**
 * A quad read as a version because of words before it is read again with the detections
 * before it masked: when the version word was part of personal data (`ghp_…version:1.2.3.4`),
 * masking removes it, and the quad must already count as an address now, or masking the text
 * a second time would find it.
 */
export function recheckVersions(
  text: string,
  hits: RawHit[],
  versions: VersionQuad[],
  replace: ScanOptions["replace"],
): RawHit[] {
  const added: RawHit[] = [];
  for (const quad of versions) {
    let last = lastEndingBefore(hits, quad.start);
    const nearest = hits[last];
    // Only hits on the quad's line, within the window, can change how its context reads.
    if (nearest === undefined || quad.start - nearest.end > VERSION_WINDOW) continue;
    if (text.slice(nearest.end, quad.start).includes("\n")) continue;
    // The masked text before the quad, built backwards until it holds a window's worth or
    // reaches the start of the line.
    const parts: string[] = [];
    let length = 0;
    let pos = quad.start;
    while (length <= VERSION_WINDOW) {
      const hit = last >= 0 ? hits[last] : undefined;
      const gapStart = Math.max(hit?.end ?? 0, pos - (VERSION_WINDOW + 1 - length), 0);
      const gap = text.slice(gapStart, pos);
      const newline = gap.lastIndexOf("\n");
      if (newline !== -1 || hit === undefined || gapStart > hit.end) {
        parts.push(gap.slice(newline + 1));
        break;
      }
      const masked = maskHit(text, hit, replace);
      parts.push(gap, masked);
      length += gap.length + masked.length;
      pos = hit.start;
      last--;
    }
    const view = parts.reverse().join("");
    if (isVersionContext(view, view.length)) continue;
    // Hits are sorted and never overlap: only the first one ending after the quad's start can.
    const next = hits[lastEndingBefore(hits, quad.start) + 1];
    if (next !== undefined && next.start < quad.end) continue;
    added.push({ ...IPV4, start: quad.start, end: quad.end });
  }
  if (added.length === 0) return hits;
  return [...hits, ...added].sort((a, b) => a.start - b.start);
}

/** The index of the last hit that ends at or before `pos`, or -1. */
function lastEndingBefore(hits: RawHit[], pos: number): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((hits[mid] as RawHit).end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
