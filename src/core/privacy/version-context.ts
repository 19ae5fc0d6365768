/**
 * Dotted quads are IPv4 addresses unless their context says they are versions. The rule,
 * chosen so that an address in a log line is still reported:
 *
 * - directly after a version operator (`==`, `>=`, `<=`, `~=`, `!=`, `^`, `~`), a version word
 *   (`version: 1.2.3.4`, `<version>1.2.3.4`, `build=1.2.3.4`) or a Maven/Gradle coordinate
 *   (`com.acme:lib:1.2.3.4`) it is a version;
 * - on a dependency line (the words dependency, require, install, package, npm, pip, gradle,
 *   upgrade, bump ... earlier on the same line) every quad is a version (`npm i lodash@1.2.3.4`);
 * - otherwise, including `ip=1.2.3.4`, `root@10.0.0.1` and a bare `lodash@1.2.3.4`, it is an
 *   address.
 * A leading `v` (`v1.2.3.4`) and a fifth part (`1.2.3.4.5`) already keep it from being a candidate.
 */

import { lineStartWithin } from "./text-chars.js";

const VERSION_WORDS = new Set(["version", "ver", "release", "build", "revision", "rev", "tag"]);

const DEPENDENCY_LINE =
  /\b(?:dependenc\w*|requires?|requirements|install|package|npm|yarn|pnpm|pip|maven|gradle|implementation|upgrade|bump|pinned)\b/i;

const COORDINATE = /[A-Za-z][\w.-]*:[\w.-]+:$/;

/**
 * How much of the line before the quad is looked at, at most: the bound that keeps the version
 * test constant-time per quad, however long the line or the run of spaces before it.
 */
export const VERSION_WINDOW = 80;

/** Whether the dotted quad starting at `start` is a software version rather than an address. */
export function isVersionContext(text: string, start: number): boolean {
  // Walk back over quotes and spaces, then look at what stands there.
  const floor = Math.max(0, start - VERSION_WINDOW);
  let i = start - 1;
  while (i >= floor && (text[i] === '"' || text[i] === "'" || text[i] === " ")) i--;
  if (i < floor) i = -1;
  const c = text[i];
  if (c === "^" || c === "~") return true;
  if (c === "=" && "=!~<>".includes(text[i - 1] ?? "x")) return true;
  if (c === ":" || c === "=" || c === ">") {
    let j = i - 1;
    while (j >= floor && (text[j] === " " || text[j] === '"' || text[j] === "'")) j--;
    let w = j;
    while (w >= floor && /[A-Za-z]/.test(text[w] ?? "")) w--;
    if (VERSION_WORDS.has(text.slice(w + 1, j + 1).toLowerCase())) return true;
  } else {
    let w = i;
    while (w >= floor && /[A-Za-z]/.test(text[w] ?? "")) w--;
    if (VERSION_WORDS.has(text.slice(w + 1, i + 1).toLowerCase())) return true;
  }
  const before = text.slice(lineStartWithin(text, start, VERSION_WINDOW), start);
  return (c === ":" && COORDINATE.test(before)) || DEPENDENCY_LINE.test(before);
}
