/**
 * What one character reads as in a text's view (see text-view.ts): full-width forms and digits
 * of other scripts as ASCII, Unicode spaces and dashes as a space and `-`, invisible characters
 * as nothing. Constant work per character.
 */

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
