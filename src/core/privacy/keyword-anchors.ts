/**
 * The keywords that detectors need before they look for a number (passports, landlines),
 * found in two passes over the text for all of them: one for the English words and one for the
 * Chinese ones. V8 searches a text for a pattern of plain ASCII words (ignoring case) or of
 * Chinese words about ten times faster than for one pattern mixing both, and each extra pass
 * costs about a nanosecond a character; so the detectors share these two.
 *
 * Linear: two global searches, and one sticky match of at most 30 characters where they fire.
 */
import {
  asLatin1Bytes,
  escape,
  PASSPORT_KEYWORD,
  PASSPORT_WORDS,
  PHONE_KEYWORD,
  PHONE_WORDS,
} from "./keywords.js";
import { stickyAt } from "./text-chars.js";

/** A confirmed keyword: where it starts and where it ends. */
export interface KeywordAt {
  start: number;
  end: number;
}

export interface KeywordAnchors {
  passport: KeywordAt[];
  phone: KeywordAt[];
}

const FAMILIES = [
  { name: "passport", words: PASSPORT_WORDS, confirm: PASSPORT_KEYWORD },
  { name: "phone", words: PHONE_WORDS, confirm: PHONE_KEYWORD },
] as const;

/** Cheap patterns without look-behind: where a keyword may start. */
const ENGLISH = new RegExp(
  FAMILIES.flatMap((f) => f.words[0].map((w) => w.split(" ")[0])).join("|"),
  "gi",
);
const CHINESE = new RegExp(
  FAMILIES.flatMap((f) => f.words[1].flatMap((w) => [escape(w), escape(asLatin1Bytes(w))])).join(
    "|",
  ),
  "g",
);

/** The keywords starting in `[from, until)`, by family, each list in text order. */
export function keywordAnchors(text: string, from: number, until: number): KeywordAnchors {
  const found: KeywordAnchors = { passport: [], phone: [] };
  const lists = [
    { passport: [] as KeywordAt[], phone: [] as KeywordAt[] },
    { passport: [] as KeywordAt[], phone: [] as KeywordAt[] },
  ];
  [ENGLISH, CHINESE].forEach((anchor, i) => {
    anchor.lastIndex = Math.max(0, from);
    let m: RegExpExecArray | null;
    while ((m = anchor.exec(text)) !== null && m.index < until) {
      for (const family of FAMILIES) {
        const keyword = stickyAt(family.confirm, text, m.index);
        if (keyword === null) continue;
        lists[i]![family.name].push({ start: m.index, end: m.index + keyword[0].length });
        break;
      }
    }
  });
  for (const family of FAMILIES) {
    found[family.name] = merge(lists[0]![family.name], lists[1]![family.name]);
  }
  return found;
}

function merge(a: KeywordAt[], b: KeywordAt[]): KeywordAt[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: KeywordAt[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.start <= y.start)) {
      out.push(x!);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
