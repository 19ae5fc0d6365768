import { MAX_CANDIDATE } from "./candidates.js";
import type { DetectorCode } from "./detector.js";
import { findHits, type ScanOptions } from "./find-hits.js";
import { KEYWORD_WINDOW } from "./keywords.js";
import { LineTracker } from "./line-tracker.js";
import { maskHit } from "./mask-value.js";
import type { Hit } from "./scan-text.js";

export interface StreamMaskerOptions extends ScanOptions {
  /**
   * Called for every hit, with its line and column in the whole stream, and the value as the
   * detectors read it (to compare or digest, never to print).
   */
  onHit?: (hit: Hit, raw: string) => void;
  /** Build no output, only report hits (for `gatehouse scan`). */
  scanOnly?: boolean;
}

/** Text kept before the scanned part, for boundaries, keywords and version contexts. */
const CONTEXT = Math.max(KEYWORD_WINDOW, 96);

/**
 * Masks a text that arrives in chunks, in flat memory: `push` each chunk, write what it
 * returns, then write what `end` returns. The concatenated output equals masking the whole
 * text at once, whatever the chunk sizes: a value split across chunks is still found, because
 * the last {@link MAX_CANDIDATE} characters are held back until the next chunk shows how they
 * continue. Pure: no streams, no file system; the CLI does the plumbing.
 */
export class StreamMasker {
  private buffer = "";
  /** Already emitted text kept in front of `buffer` as context. */
  private context = "";
  private line = 1;
  private column = 1;
  /** Text must be at least this long before it is processed (see `process`). */
  private minBuffer = 2 * MAX_CANDIDATE;
  /** Number of hits so far. */
  hits = 0;
  /** Number of hits so far of each detector, for a summary of what was masked. */
  readonly counts = new Map<DetectorCode, number>();

  constructor(private readonly options: StreamMaskerOptions = {}) {}

  /** Feeds a chunk; returns the masked text that is settled so far (possibly empty). */
  push(chunk: string): string {
    this.buffer += chunk;
    if (this.buffer.length <= this.minBuffer) return "";
    return this.process(false);
  }

  /** Ends the text; returns the rest of the masked output. */
  end(): string {
    return this.process(true);
  }

  private process(final: boolean): string {
    const text = this.context + this.buffer;
    const from = this.context.length;
    let cut = final ? text.length : text.length - MAX_CANDIDATE;
    const found = findHits(text, from, cut, final, this.options);
    if (found.needMoreFrom !== undefined) {
      // A key block that may still end later: settle what comes before it, hold the rest, and
      // wait for a good deal more text before looking again, so that tiny chunks stay linear.
      cut = found.needMoreFrom;
    }
    const out: string[] = [];
    let pos = from;
    const lines = new LineTracker(text, from, this.line, this.column, this.options.utf8Bytes);
    for (const hit of found.hits) {
      const replacement = maskHit(text, hit, this.options.replace);
      if (this.options.onHit) {
        lines.advance(hit.start);
        // Built field by field: spreading hits of two shapes (with and without `head`) is
        // slow enough to show in the profile of a large scan.
        this.options.onHit(
          {
            detector: hit.detector,
            confidence: hit.confidence,
            start: hit.start,
            end: hit.end,
            line: lines.line,
            column: lines.column,
            masked: this.options.replace ? maskHit(text, hit) : replacement,
          },
          hit.read ?? text.slice(hit.start, hit.end),
        );
        lines.advance(hit.end);
      }
      if (!this.options.scanOnly) out.push(text.slice(pos, hit.start), replacement);
      pos = hit.end;
      this.hits++;
      this.counts.set(hit.detector, (this.counts.get(hit.detector) ?? 0) + 1);
    }
    cut = Math.max(cut, pos);
    if (this.options.onHit) {
      lines.advance(cut);
      this.line = lines.line;
      this.column = lines.column;
    }
    if (!this.options.scanOnly) out.push(text.slice(pos, cut));
    this.context = text.slice(Math.max(0, cut - CONTEXT), cut);
    this.buffer = text.slice(cut);
    this.minBuffer =
      found.needMoreFrom === undefined ? 2 * MAX_CANDIDATE : this.buffer.length + MAX_CANDIDATE;
    return out.join("");
  }
}

/** Masks a whole text at once: every hit replaced, everything else unchanged. */
export function maskText(text: string, options: StreamMaskerOptions = {}): string {
  const masker = new StreamMasker(options);
  return masker.push(text) + masker.end();
}
