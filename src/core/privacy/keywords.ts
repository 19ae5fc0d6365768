/**
 * Keyword proximity: some numbers are personal data only when a word nearby says so (a
 * 15-digit legacy ID, a UnionPay card failing Luhn, a passport number).
 *
 * `gatehouse mask` reads raw bytes as latin1 so that everything outside a finding stays
 * byte-identical even in files that are not valid UTF-8; a Chinese keyword then appears as its
 * UTF-8 bytes, one character per byte. Every keyword is therefore matched in both forms.
 */

/** How far before a candidate, on the same line, a keyword counts as "near". */
export const KEYWORD_WINDOW = 48;

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The UTF-8 bytes of a word, one latin1 character per byte. */
function asLatin1Bytes(word: string): string {
  return String.fromCharCode(...new TextEncoder().encode(word));
}

function keywordRegExp(words: string[], flags = "i"): RegExp {
  const forms = words.flatMap((w) => (/^[\x20-\x7e]*$/.test(w) ? [w] : [w, asLatin1Bytes(w)]));
  return new RegExp(forms.map(escape).join("|"), flags);
}

export const CARD_KEYWORDS = keywordRegExp([
  "卡号",
  "银行卡",
  "信用卡",
  "借记卡",
  "账号",
  "帐号",
  "账户",
  "card",
  "account",
  "acct",
  "pan",
]);

export const ID_KEYWORDS = keywordRegExp([
  "身份证",
  "证件",
  "公民身份",
  "idcard",
  "id card",
  "id_card",
  "id-card",
  "id no",
  "id_no",
  "idno",
  "id number",
  "identity",
  "citizen",
  "sfz",
]);

const PASSPORT_WORDS = ["护照", "passport", "travel document"];

/** Passport numbers are looked for only after one of these: a global search anchor. */
export const PASSPORT_ANCHOR = keywordRegExp(PASSPORT_WORDS, "gi");

/** Whether one of the keywords occurs shortly before `start`, on the same line. */
export function keywordBefore(text: string, start: number, keywords: RegExp): boolean {
  let from = Math.max(0, start - KEYWORD_WINDOW);
  const newline = text.lastIndexOf("\n", start - 1);
  if (newline >= from) from = newline + 1;
  return keywords.test(text.slice(from, start));
}
