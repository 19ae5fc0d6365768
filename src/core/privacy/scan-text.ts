import { findHits, type ScanOptions } from "./find-hits.js";
import type { DetectorCode } from "./detector.js";
import { maskHit } from "./mask-value.js";

/** A detection in a text, ready to report: it carries the masked preview, never the raw value. */
export interface Hit {
  detector: DetectorCode;
  confidence: number;
  /** Line and column (in characters) of the first character, counting from 1. */
  line: number;
  column: number;
  /** Offsets of the value in the text, so that `mask` can replace it. */
  start: number;
  end: number;
  /** The value masked by the conventions of `maskValue`. */
  masked: string;
}

/**
 * Finds the personal data in a text: every detector (or those named), in one pass, minus the
 * allow-list. Linear in the length of the text.
 */
export function scanText(text: string, options: ScanOptions = {}): Hit[] {
  const { hits } = findHits(text, 0, text.length, true, options);
  let line = 1;
  let lineStart = 0;
  let cursor = 0;
  return hits.map((hit) => {
    for (
      let nl = text.indexOf("\n", cursor);
      nl !== -1 && nl < hit.start;
      nl = text.indexOf("\n", nl + 1)
    ) {
      line++;
      lineStart = nl + 1;
    }
    cursor = hit.start;
    return {
      ...hit,
      line,
      column: hit.start - lineStart + 1,
      masked: maskHit(text, hit),
    };
  });
}
