/**
 * The text as the detectors read it: personal data is judged as a reader sees it, not as it is
 * spelt. A view of a text replaces, character by character:
 *
 * - full-width digits, letters and the signs numbers and addresses are written with
 *   (`１３８`, `ｚｈａｎｇ＠ａｃｍｅ．ｃｎ`, `＋８６`) by their ASCII forms, and digits of other
 *   scripts (Arabic-Indic, Devanagari, mathematical) by 0 to 9;
 * - Unicode spaces (no-break, ideographic, thin, …) by a space, and dashes and the minus sign by `-`;
 * - zero-width and other invisible characters (zero-width space and joiners, word joiner,
 *   soft hyphen, bidirectional controls, variation selectors, tag characters, BOM) by nothing;
 * - escapes by what they stand for: `\u0031`, `\x31`, `\U00000031`, `\t`, `\_` (YAML, JSON, C),
 *   `&#49;`, `&#x31;` (HTML, XML) and `%31` (URLs; only letters, digits and `@ + - . _`);
 * - a backslash at the end of a line, with the line break and the next line's indentation, by
 *   nothing (a line continuation in a double-quoted YAML string, a shell or a C string).
 *
 * Everything else stays as it is, so most texts are their own view. A text read as latin1 (one
 * character per byte, as `gatehouse mask` reads files) holds the characters above as their
 * UTF-8 bytes; its view decodes those sequences too.
 *
 * Linear: one global search for the sites that change, and constant work per site. The map
 * back to the text keeps one entry per site, so it costs nothing on a text without any.
 */
import { sitesOf } from "./sites-of.js";

export { readAs } from "./read-as.js";

/** Where a view character comes from: the text offsets of the sites that change. */
export interface TextView {
  /** The text the detectors read. */
  view: string;
  /**
   * For each site that changes, in order: where its replacement starts in the view and how long
   * it is (0 for a character that stands for nothing), and where the site starts and ends in
   * the text. Empty when the view is the text.
   */
  viewAt: number[];
  viewLength: number[];
  textStart: number[];
  textEnd: number[];
}

/**
 * The view of `text`. With `utf8Bytes`, the text holds UTF-8 bytes, one character per byte,
 * and a decoded character is written into the view as its UTF-8 bytes too.
 */
export function textView(text: string, utf8Bytes = false): TextView {
  const sites = sitesOf(text, utf8Bytes);
  if (sites.length === 0) {
    return { view: text, viewAt: [], viewLength: [], textStart: [], textEnd: [] };
  }
  const parts: string[] = [];
  const viewAt: number[] = [];
  const viewLength: number[] = [];
  const textStart: number[] = [];
  const textEnd: number[] = [];
  let copied = 0;
  let length = 0;
  for (const [start, size, read] of sites) {
    parts.push(text.slice(copied, start), read);
    length += start - copied;
    viewAt.push(length);
    viewLength.push(read.length);
    textStart.push(start);
    textEnd.push(start + size);
    length += read.length;
    copied = start + size;
  }
  parts.push(text.slice(copied));
  return { view: parts.join(""), viewAt, viewLength, textStart, textEnd };
}

/** The view offset of the first view character that starts at or after text offset `at`. */
export function viewOffset(view: TextView, at: number): number {
  const { viewAt, viewLength, textStart, textEnd } = view;
  // The last site that starts before `at`; the view runs one to one with the text after it.
  const site = lastWhere(viewAt.length, (i) => (textStart[i] as number) < at);
  if (site < 0) return at;
  const after = (viewAt[site] as number) + (viewLength[site] as number);
  return after + Math.max(0, at - (textEnd[site] as number));
}

/**
 * The text range that the view range `[start, end)` reads. Characters that stand for nothing
 * at either edge are left out: a masked value never takes an invisible neighbour with it.
 */
export function textRange(view: TextView, start: number, end: number): [number, number] {
  if (view.viewAt.length === 0) return [start, end];
  const { viewAt, viewLength, textStart } = view;
  // A site whose replacement holds the first character: the range starts where it starts.
  const first = lastWhere(viewAt.length, (i) => (viewAt[i] as number) <= start);
  if (
    first >= 0 &&
    (viewLength[first] as number) > 0 &&
    start < (viewAt[first] as number) + (viewLength[first] as number)
  ) {
    return [textStart[first] as number, textEndOf(view, end)];
  }
  return [
    textOffsetAfter(view, start, (i) => (viewAt[i] as number) + (viewLength[i] as number) <= start),
    textEndOf(view, end),
  ];
}

/** Where the view character before view offset `end` ends in the text. */
function textEndOf(view: TextView, end: number): number {
  const { viewAt, viewLength } = view;
  // Sites before that character: non-empty ones ending by `end`, empty ones before `end - 1`'s
  // end, that is strictly before `end`.
  return textOffsetAfter(view, end, (i) =>
    (viewLength[i] as number) > 0
      ? (viewAt[i] as number) + (viewLength[i] as number) <= end
      : (viewAt[i] as number) < end,
  );
}

/** `at` moved by the shift of the last site for which `before` holds. */
function textOffsetAfter(view: TextView, at: number, before: (site: number) => boolean): number {
  const site = lastWhere(view.viewAt.length, before);
  if (site < 0) return at;
  const viewEnd = (view.viewAt[site] as number) + (view.viewLength[site] as number);
  return (view.textEnd[site] as number) + (at - viewEnd);
}

/** The last index below `n` for which the monotone predicate holds (true, then false); -1 if none. */
function lastWhere(n: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
