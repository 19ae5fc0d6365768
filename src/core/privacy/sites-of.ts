/** Where a text reads otherwise in its view (see text-view.ts): the sites that change. */
import { decodeSite } from "./decode-site.js";
import { readAs } from "./read-as.js";

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
export type Site = [start: number, length: number, read: string];

/**
 * The sites of a text that read otherwise, in text order. Each kind is searched for on its
 * own: V8 finds a literal character with `indexOf` many times faster than any pattern mixing
 * several, which matters because most texts hold none. Linear: each search passes the text
 * once, and the lists of the kinds, each in text order, are merged.
 */
export function sitesOf(text: string, utf8Bytes: boolean): Site[] {
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

/** A replacement as the view holds it: in a text of bytes, a character beyond ASCII as its UTF-8 bytes. */
function asText(read: string | undefined, utf8Bytes: boolean): string | undefined {
  if (read === undefined || !utf8Bytes || !/[^ -~\t]/.test(read)) return read;
  return String.fromCharCode(...new TextEncoder().encode(read));
}
