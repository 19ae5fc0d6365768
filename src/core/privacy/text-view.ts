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

/** Unicode ranges whose characters stand for nothing. */
const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];

/** Zero of each run of ten decimal digits that reads as 0 to 9. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0e50, 0xff10];
/** The mathematical digits: five runs of ten from U+1D7CE. */
const MATH_DIGITS: readonly [number, number] = [0x1d7ce, 0x1d7ff];

/** Full-width signs kept in the view as ASCII: @ + - . / _ (letters and digits come anyway). */
const FULL_WIDTH_SIGNS = new Set([0xff20, 0xff0b, 0xff0d, 0xff0e, 0xff0f, 0xff3f]);

/** What a code point reads as in the view; undefined when it stays as it is. */
export function readAs(code: number): string | undefined {
  if (code < 0x80) return undefined;
  if (code === 0x00a0 || code === 0x1680 || code === 0x202f || code === 0x205f) return " ";
  if (code === 0x3000 || (code >= 0x2000 && code <= 0x200a)) return " ";
  if ((code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0xfe58 || code === 0xfe63) {
    return "-";
  }
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xfee0);
  if ((code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a)) {
    return String.fromCharCode(code - 0xfee0);
  }
  if (FULL_WIDTH_SIGNS.has(code)) return String.fromCharCode(code - 0xfee0);
  for (const zero of DIGIT_ZEROS) if (code >= zero && code <= zero + 9) return String(code - zero);
  if (code >= MATH_DIGITS[0] && code <= MATH_DIGITS[1]) return String((code - MATH_DIGITS[0]) % 10);
  for (const [low, high] of INVISIBLE) if (code >= low && code <= high) return "";
  return undefined;
}

/** ASCII a percent escape may stand for in the view: letters, digits and `@ + - . _`. */
const PERCENT_DECODED = /^[A-Za-z0-9@+\-._]$/;

/** Escapes and continuations, tried where a backslash, `&#` or `%` stands. */
const ESCAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ["\\", /\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|U[0-9A-Fa-f]{8}|\r?\n[ \t]*|t|_)/y],
  ["&#", /&#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});/y],
  ["%", /%[0-9A-Fa-f]{2}/y],
];

/**
 * In a text of UTF-8 bytes: the lead bytes of the characters {@link readAs} knows (C2 for
 * U+0080–U+00BF, E2 for U+2000–U+2FFF, EF for U+F000–U+FFFF, …), each with its sequence.
 */
const LEAD_BYTES = [0xc2, 0xcd, 0xd8, 0xd9, 0xdb, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xef, 0xf0, 0xf3];
const SEQUENCE = /[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}/y;

/**
 * In a text of characters: a cheap first filter for the characters {@link readAs} may change,
 * everything but ASCII, the rest of Latin-1 and the CJK ideographs (most of any text).
 */
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose
const BEYOND_COMMON = /[^\x00-\x9f\u00a1-\u00ac\u00ae-\u034e\u4e00-\u9fff]/g;

/** A site: where it starts in the text, how long it is there, and what it reads as. */
type Site = [start: number, length: number, read: string];

/**
 * The sites of a text that read otherwise, in text order. Each kind is searched for on its
 * own: V8 finds a literal character with `indexOf` many times faster than any pattern mixing
 * several, which matters because most texts hold none. Linear: each search passes the text
 * once, and the lists of the kinds, each in text order, are merged.
 */
function sitesOf(text: string, utf8Bytes: boolean): Site[] {
  const lists: Site[][] = [];
  const collect = (lead: string, pattern: RegExp, read: (site: string) => string | undefined) => {
    const list: Site[] = [];
    for (let at = text.indexOf(lead); at !== -1; at = text.indexOf(lead, at + 1)) {
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      const reading = m === null ? undefined : read(m[0]);
      if (m !== null && reading !== undefined) list.push([at, m[0].length, reading]);
    }
    if (list.length > 0) lists.push(list);
  };
  for (const [lead, pattern] of ESCAPES) {
    collect(lead, pattern, (site) => asText(decodeSite(site, utf8Bytes), utf8Bytes));
  }
  if (utf8Bytes) {
    for (const lead of LEAD_BYTES) {
      collect(String.fromCharCode(lead), SEQUENCE, (site) => decodeSite(site, true));
    }
  } else {
    const list: Site[] = [];
    BEYOND_COMMON.lastIndex = 0;
    for (let m = BEYOND_COMMON.exec(text); m !== null; m = BEYOND_COMMON.exec(text)) {
      const code = text.codePointAt(m.index) ?? 0;
      const read = readAs(code);
      if (read === undefined) continue;
      const size = code > 0xffff ? 2 : 1;
      list.push([m.index, size, read]);
      BEYOND_COMMON.lastIndex = m.index + size;
    }
    if (list.length > 0) lists.push(list);
  }
  return mergeSites(lists);
}

/** Merges lists of sites, each in text order, into one in text order. */
function mergeSites(lists: Site[][]): Site[] {
  if (lists.length <= 1) return lists[0] ?? [];
  const heads = lists.map(() => 0);
  const out: Site[] = [];
  for (;;) {
    let best = -1;
    let bestStart = Infinity;
    for (let i = 0; i < lists.length; i++) {
      const site = lists[i]?.[heads[i] ?? 0];
      if (site !== undefined && site[0] < bestStart) [best, bestStart] = [i, site[0]];
    }
    if (best === -1) return out;
    const site = lists[best]?.[heads[best] ?? 0] as Site;
    heads[best] = (heads[best] ?? 0) + 1;
    // Sites of different kinds never overlap in well-formed text; in any other, the first wins.
    const last = out[out.length - 1];
    if (last === undefined || site[0] >= last[0] + last[1]) out.push(site);
  }
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

/** A replacement as the view holds it: in a text of bytes, a character beyond ASCII as its UTF-8 bytes. */
function asText(read: string | undefined, utf8Bytes: boolean): string | undefined {
  if (read === undefined || !utf8Bytes || !/[^ -~\t]/.test(read)) return read;
  return String.fromCharCode(...new TextEncoder().encode(read));
}

/** What a site reads as; undefined when it is none after all. */
function decodeSite(site: string, utf8Bytes: boolean): string | undefined {
  const first = site.charCodeAt(0);
  if (first === 92) {
    // A backslash: an escape, or a line continuation.
    const kind = site.charAt(1);
    if (kind === "\r" || kind === "\n") return "";
    if (kind === "t") return "\t";
    if (kind === "_") return " "; // YAML's escaped no-break space
    return readEscaped(parseInt(site.slice(2), 16));
  }
  if (first === 38) {
    const hex = site.charAt(2) === "x" || site.charAt(2) === "X";
    return readEscaped(parseInt(site.slice(hex ? 3 : 2, -1), hex ? 16 : 10));
  }
  if (first === 37) {
    const decoded = String.fromCharCode(parseInt(site.slice(1), 16));
    return PERCENT_DECODED.test(decoded) ? decoded : undefined;
  }
  const code = utf8Bytes ? utf8CodePoint(site) : (site.codePointAt(0) ?? 0);
  return code === undefined ? undefined : readAs(code);
}

/** What an escaped code point reads as: itself when it is printable ASCII, else its view. */
function readEscaped(code: number): string | undefined {
  if (!Number.isFinite(code) || code > 0x10ffff) return undefined;
  if ((code >= 0x20 && code < 0x7f) || code === 9) return String.fromCharCode(code);
  const read = readAs(code);
  if (read !== undefined) return read;
  // Another character: written into the view as it is (a keyword such as \u5361\u53f7 reads
  // as 卡号), except surrogates and controls, which stay escaped.
  if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/** The code point of a UTF-8 sequence held as latin1 characters; undefined when malformed. */
function utf8CodePoint(bytes: string): number | undefined {
  const lead = bytes.charCodeAt(0);
  let code: number;
  let length: number;
  if (lead >= 0xc2 && lead <= 0xdf) [code, length] = [lead & 0x1f, 2];
  else if (lead >= 0xe0 && lead <= 0xef) [code, length] = [lead & 0x0f, 3];
  else if (lead >= 0xf0 && lead <= 0xf4) [code, length] = [lead & 0x07, 4];
  else return undefined;
  if (bytes.length !== length) return undefined;
  for (let i = 1; i < length; i++) code = (code << 6) | (bytes.charCodeAt(i) & 0x3f);
  return code;
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
