/**
 * Passport numbers, looked for only after a passport keyword.
 *
 * Linear: the keywords come from the shared keyword pass ({@link keywordAnchors}); after each,
 * only the rest of the keyword's window on its line ({@link KEYWORD_WINDOW} + 10 characters)
 * is searched, and candidates already reported after an earlier keyword are skipped. O(n · 60).
 */
import { CANDIDATE } from "../candidates.js";
import { matchAt, type Cuts } from "../cuts.js";
import type { KeywordAt } from "../keyword-anchors.js";
import { KEYWORD_WINDOW } from "../keywords.js";
import type { Add } from "../raw-hit.js";
import { isAlnum } from "../text-chars.js";

/** Finds passport numbers after the given keywords (in text order). */
export function findPassports(
  text: string,
  until: number,
  keywords: KeywordAt[],
  add: Add,
  cuts: Cuts,
): void {
  // Candidates already reported after an earlier keyword are not looked at again.
  let next = 0;
  for (const keyword of keywords) {
    if (keyword.start >= until) break;
    const after = Math.max(next, keyword.end);
    // Only the rest of the keyword's window (and the longest number) is searched, on its line;
    // a cut in it ends the window with a space, as the text will read once the address is gone.
    const limit = keyword.start + KEYWORD_WINDOW + 10;
    const cut = cuts.nextAfter(after, KEYWORD_WINDOW + 10);
    let window =
      cut !== -1 && cut < limit ? `${text.slice(after, cut)} ` : text.slice(after, limit);
    const newline = window.indexOf("\n");
    if (newline !== -1) window = window.slice(0, newline);
    const candidate = CANDIDATE.passport;
    candidate.lastIndex = 0;
    let c: RegExpExecArray | null;
    while (
      (c = candidate.exec(window)) !== null &&
      after + c.index <= keyword.start + KEYWORD_WINDOW
    ) {
      // The window cut may have split a longer run; the real text decides.
      const start = after + c.index;
      const whole = matchAt(CANDIDATE.passportAt, text, start, 12, cuts);
      if (whole === null || (start > 0 && isAlnum(text.charCodeAt(start - 1)))) continue;
      add(start, start + whole[0].length, { detector: "passport", confidence: 0.8 });
      next = start + whole[0].length;
    }
  }
}
