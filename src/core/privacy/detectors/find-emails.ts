/**
 * E-mail addresses.
 *
 * Linear: the anchor is every `@`; from each, the scan walks back at most 64 characters (the
 * longest local part, RFC 5321) and tries one sticky candidate of at most 64 + 1 + 9·63 + 24
 * characters, whose nested quantifiers are split by literal dots, so one attempt costs a bounded
 * number of steps. A pass is O(n · 64 + n · 600); at most four passes run (see below).
 */
import { ANCHOR, CANDIDATE } from "../candidates.js";
import { matchAt, type Cuts } from "../cuts.js";
import type { Add } from "../raw-hit.js";

const LOCAL = /[A-Za-z0-9._%+-]/;

/** The longest local part RFC 5321 allows, and how far back the scan looks for its start. */
const MAX_LOCAL = 64;

/**
 * Finds e-mail addresses. `cuts` receives the start of each address taken as the last 64
 * characters of a longer run: what precedes it in the run is left as it was, and the numbers
 * there must read the same before and after the address is replaced (see findNumbers).
 */
export function findEmails(text: string, from: number, until: number, add: Add, cuts: Cuts): void {
  // An address may end where a later one is cut out of its run; the cuts are known only after
  // a pass, so a pass that finds new ones is run again (rarely more than twice).
  let found: Array<[number, number]> = [];
  for (let pass = 0; pass < 4; pass++) {
    const known = cuts.size;
    found = emailsOnce(text, from, until, cuts);
    if (cuts.size === known) break;
  }
  for (const [start, end] of found) add(start, end, { detector: "email", confidence: 0.95 });
}

function emailsOnce(
  text: string,
  from: number,
  until: number,
  cuts: Cuts,
): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const anchor = ANCHOR.email;
  anchor.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = anchor.exec(text)) !== null && m.index < until + MAX_LOCAL) {
    // Back to the start of the local part, at most 64 characters: of a longer run, the last 64
    // are taken, so that whatever precedes cannot hide the address.
    let start = m.index;
    const floor = Math.max(0, m.index - MAX_LOCAL);
    while (start > floor && LOCAL.test(text.charAt(start - 1))) start--;
    if (start === m.index) continue;
    const email = matchAt(CANDIDATE.email, text, start, MAX_LOCAL + 256, cuts);
    if (email === null) continue;
    if (start > 0 && LOCAL.test(text.charAt(start - 1))) cuts.add(start);
    found.push([start, start + email[0].length]);
    anchor.lastIndex = start + email[0].length;
  }
  return found;
}
