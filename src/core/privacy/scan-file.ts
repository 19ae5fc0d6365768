/**
 * One file as the personal-data gate scans it: its text as written, and for a YAML file also
 * every scalar as YAML reads it (see {@link yamlReadings}), so that `"\u0031\u0033…"`, a
 * folded block or a key hides nothing. A value found both ways is reported once.
 *
 * Linear: one scan of the text, one bounded YAML parse, one scan of the readings (no longer
 * than the text).
 */
import type { DetectorCode } from "./detector.js";
import type { ScanOptions } from "./find-hits.js";
import { LineTracker } from "./line-tracker.js";
import { normalizeValue } from "./normalize.js";
import { scanText, type Hit } from "./scan-text.js";
import { isYamlPath, yamlReadings } from "./yaml-readings.js";

export interface FileHit {
  detector: DetectorCode;
  confidence: number;
  /** Where the value (or, when `decoded`, the YAML scalar holding it) starts. */
  line: number;
  column: number;
  masked: string;
  /** Found in a YAML scalar as YAML reads it, not in the text as written. */
  decoded: boolean;
  /**
   * The detector and the value without formatting, to tell one value from another across
   * files and commits. It holds the value: it never leaves the privacy stage.
   */
  key: string;
}

export interface FileScan {
  hits: FileHit[];
  /** Where a YAML file nests too deeply to be read (its scalars then cannot be judged). */
  tooDeep?: { line: number; column: number };
}

/** Scans one file: the text, and the readings of a YAML file's scalars. */
export function scanFile(path: string, text: string, options: ScanOptions): FileScan {
  const raw = scanText(text, options);
  const hits = raw.map((hit) => fileHit(hit, text, false));
  if (!isYamlPath(path)) return { hits };
  const { readings, tooDeepAt } = yamlReadings(text);
  const lines = new LineTracker(text);
  if (tooDeepAt !== undefined) {
    lines.advance(tooDeepAt);
    return { hits, tooDeep: { line: lines.line, column: lines.column } };
  }
  let first = 0;
  for (const reading of readings) {
    // The values found in the scalar as written, to leave out when found again as read.
    while (first < raw.length && (raw[first] as Hit).end <= reading.offset) first++;
    const written = new Set<string>();
    for (let i = first; i < raw.length && (raw[i] as Hit).start < reading.end; i++) {
      written.add((hits[i] as FileHit).key);
    }
    const found = scanText(reading.text, options).map((hit) => fileHit(hit, reading.text, true));
    const fresh = found.filter((hit) => !written.has(hit.key));
    if (fresh.length === 0) continue;
    lines.advance(reading.offset);
    for (const hit of fresh) hits.push({ ...hit, line: lines.line, column: lines.column });
  }
  hits.sort((a, b) => a.line - b.line || a.column - b.column);
  return { hits };
}

function fileHit(hit: Hit, text: string, decoded: boolean): FileHit {
  const value = hit.read ?? text.slice(hit.start, hit.end);
  return {
    detector: hit.detector,
    confidence: hit.confidence,
    line: hit.line,
    column: hit.column,
    masked: hit.masked,
    decoded,
    key: `${hit.detector}\u0000${normalizeValue(hit.detector, value)}`,
  };
}
