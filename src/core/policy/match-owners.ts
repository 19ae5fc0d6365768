/** GitHub CODEOWNERS matching for OWNERS entries. */
import { pathMatcher } from "../paths/path-matcher.js";
import type { OwnersEntry } from "./model.js";

type Matcher = (path: string) => boolean;

// Patterns repeat across every path of a pull request; compile each once.
const cache = new Map<string, Matcher>();
const CACHE_LIMIT = 10_000;

/**
 * The globs a CODEOWNERS pattern stands for. As in GitHub: a leading or inner "/" anchors the
 * pattern at the root, otherwise it matches at any depth; a trailing "/" means a directory
 * and everything below it; a name without a trailing "/" also owns what is below a directory
 * of that name; but "dir/*" owns only the direct children of dir.
 */
export function ownersGlobs(pattern: string): string[] {
  let body = pattern;
  const directoryOnly = body.endsWith("/");
  body = body.replace(/\/+$/, "");
  const anchored = body.startsWith("/") || body.includes("/");
  body = body.replace(/^\/+/, "");
  if (body === "") return ["**"];
  const base = anchored || body.startsWith("**/") ? body : `**/${body}`;
  // "/**/*" rather than "/**": picomatch lets "dir/**" match "dir" itself, a file of that name.
  if (directoryOnly) return [`${base}/**/*`];
  if (anchored && base.endsWith("/*")) return [base];
  return [base, `${base}/**/*`];
}

function matcherFor(pattern: string): Matcher {
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    matcher = pathMatcher(ownersGlobs(pattern));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher;
}

/**
 * The OWNERS entry that governs `path` (from the repository root, no leading "/"): the last
 * matching line wins. An entry with no owners means the path has no owner; `undefined` when
 * no line matches.
 */
export function matchOwners(entries: OwnersEntry[], path: string): OwnersEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry !== undefined && matcherFor(entry.pattern)(path)) return entry;
  }
  return undefined;
}
