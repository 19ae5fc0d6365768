import { findHits, type ScanOptions } from "./find-hits.js";
import type { DetectorCode } from "./detector.js";
import { LineTracker } from "./line-tracker.js";
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
  /**
   * The value as it reads, when the text spells it otherwise (see `RawHit.read`). It is the
   * raw value: compare it, never print it.
   */
  read?: string;
}

/**
 * Finds the personal data in a text: every detector (or those named), in one pass, minus the
 * allow-list. Linear in the length of the text.
 */
export function scanText(text: string, options: ScanOptions = {}): Hit[] {
  const { hits } = findHits(text, 0, text.length, true, options);
  const lines = new LineTracker(text);
  return hits.map((hit) => {
    lines.advance(hit.start);
    return { ...hit, line: lines.line, column: lines.column, masked: maskHit(text, hit) };
  });
}
