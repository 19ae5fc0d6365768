/**
 * Character classes and bounded look-arounds shared by the detectors. Every helper here reads a
 * bounded number of characters, so a detector that calls it a bounded number of times per
 * anchor stays linear in its input.
 */

export const PLUS = 43;
export const AT = 64;
export const DOT = 46;
export const SPACE = 32;
export const DASH = 45;
export const UNDERSCORE = 95;
export const COLON = 58;
export const STAR = 42;
export const NEWLINE = 10;

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isHexLetter(code: number): boolean {
  return (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** A letter, a digit, or `*`, which stands for a masked letter or digit. */
export function isAlnum(code: number): boolean {
  return isDigit(code) || isLetter(code) || code === STAR;
}

/**
 * Where the line holding `pos` starts, looking back at most `window` characters: the
 * character after the last newline before `pos`, or `pos - window` when there is none that
 * close. Bounded, unlike `lastIndexOf`, which walks back to the start of a text without newlines.
 */
export function lineStartWithin(text: string, pos: number, window: number): number {
  const floor = Math.max(0, pos - window);
  for (let i = pos - 1; i >= floor; i--) if (text.charCodeAt(i) === NEWLINE) return i + 1;
  return floor;
}

/** Runs a sticky pattern at `at`. */
export function stickyAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}
