import type { DetectorCode } from "./detector.js";

/** A detection by offsets into the scanned text. It never holds the value itself. */
export interface RawHit {
  detector: DetectorCode;
  /** How sure the detector is, from 0 to 1: a checksum-backed hit is surer than a keyword-backed one. */
  confidence: number;
  start: number;
  end: number;
  /**
   * Set when an overlapping detection was merged in: `[start, head)` is this detector's value,
   * masked by its convention; `[head, end)` is the rest of the other one, starred out.
   */
  head?: number;
  /**
   * The value as the detectors read it, when the text spells it otherwise (full-width digits,
   * escapes, invisible characters between digits; see `textView`). Masking replaces
   * `[start, end)` of the text by this, masked; `readHead` is `head` within it.
   */
  read?: string;
  readHead?: number;
}

/** What a detector decided about a candidate: a detection, or null for nothing. */
export type Found = Pick<RawHit, "detector" | "confidence"> | null;

/** Where a detector reports a candidate; the caller keeps only those in its range. */
export type Add = (start: number, end: number, hit: Found) => void;
