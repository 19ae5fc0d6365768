/**
 * Private key blocks and access tokens.
 *
 * Linear: the anchor is a two-to-ten-character prefix that is rare in text (see
 * `ANCHOR.secret`). A token candidate is one sticky pattern of at most 6,100 characters whose
 * quantifiers are each followed by a literal or the end, so one attempt reads at most that
 * much; after a match the scan resumes behind it. A key block searches its end marker once
 * from its begin marker and is cut at {@link MAX_KEY_BLOCK}; the scan resumes behind the block,
 * so no character is searched for an end marker twice. O(n · 6,100) in the worst case, O(n) on
 * text with few anchors.
 */
import { ANCHOR, CANDIDATE, KEY_END } from "../candidates.js";
import { matchAt, type Cuts } from "../cuts.js";
import type { Add } from "../raw-hit.js";
import { stickyAt } from "../text-chars.js";

/** The longest private key block looked for; a longer one is cut there (and still redacted). */
export const MAX_KEY_BLOCK = 64 * 1024;

/** The longest end marker KEY_END matches. */
const END_MARKER_MAX = 80;

/** How far into a secret's prefix its anchor may start. */
const SECRET_LEAD = 5;

/**
 * Finds secrets starting in `[from, until)`. With `final` false, a key block whose end marker
 * is not in the text yet stops the scan: its start is returned, for the caller to feed more text.
 */
export function findSecrets(
  text: string,
  from: number,
  until: number,
  final: boolean,
  add: Add,
  cuts: Cuts,
): number | undefined {
  const anchor = ANCHOR.secret;
  anchor.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + SECRET_LEAD) {
    // The anchor starts inside the prefix for "-----BEGIN ", "sk-" and "eyJ" (see ANCHOR).
    const first = m[0].charCodeAt(0);
    const lead = first === 66 ? 5 : first === 107 || first === 121 ? 1 : 0; // B, k, y
    const start = m.index - lead;
    if (start < from || start >= until) continue;
    if (lead === 1 && text.charCodeAt(start) !== (first === 107 ? 115 : 101)) continue; // s, e
    if (lead === 5) {
      if (!text.startsWith("-----", start)) continue;
      const begin = stickyAt(CANDIDATE.keyBegin, text, start);
      if (begin === null) continue;
      let end = start + begin[0].length;
      // The end marker is looked for only within the longest block: on a text of begin markers
      // without ends, searching the whole rest each time would be quadratic.
      const window = text.slice(end, start + MAX_KEY_BLOCK + END_MARKER_MAX);
      KEY_END.lastIndex = 0;
      const close = KEY_END.exec(window);
      if (close !== null && end + close.index - start <= MAX_KEY_BLOCK) {
        end = end + close.index + close[0].length;
      } else if (!final && text.length - start < MAX_KEY_BLOCK) {
        return start;
      } else {
        // No end in sight: fail closed and redact up to the first blank line.
        const blank = text.slice(end, start + MAX_KEY_BLOCK).search(/\r?\n\r?\n/);
        end = blank === -1 ? Math.min(text.length, start + MAX_KEY_BLOCK) : end + blank;
      }
      add(start, end, { detector: "private-key", confidence: 1 });
      anchor.lastIndex = end;
    } else {
      const token = matchAt(CANDIDATE.token, text, start, 6100, cuts);
      if (token === null) continue;
      add(start, start + token[0].length, { detector: "token", confidence: 0.95 });
      anchor.lastIndex = start + token[0].length;
    }
  }
  return undefined;
}
