/**
 * The one way gatehouse matches a repository path against the globs a policy names (path
 * rules, OWNERS, signature paths, scanned paths, record directories). Every rule that names
 * paths goes through here, so that no spelling of a name can fall between them.
 */
import picomatch from "picomatch";
import { UNPRINTABLE } from "./path-name.js";

/**
 * A path as rules compare it: without a leading "./" or "/", in Unicode NFC (a macOS checkout
 * writes names decomposed; git and GitHub keep the bytes), with every unprintable character
 * read as "_". picomatch's `*` stops at a newline; reading it as a plain character keeps
 * `policies/keys/<name with a newline>.pub` inside `policies/**`.
 */
export function comparablePath(path: string): string {
  return path
    .replace(/^\.?\/+/, "")
    .normalize("NFC")
    .replace(UNPRINTABLE, "_");
}

/**
 * A matcher for globs: case-insensitive, because a case-insensitive checkout (macOS, Windows)
 * puts `Policies/roles.yml` where `policies/roles.yml` is; hidden files included. Matching
 * more paths only ever adds requirements, which is the safe side.
 */
export function pathMatcher(globs: string | readonly string[]): (path: string) => boolean {
  const list = (typeof globs === "string" ? [globs] : [...globs]).map((g) => g.normalize("NFC"));
  if (list.length === 0) return () => false;
  const matches = picomatch(list, { dot: true, nocase: true });
  return (path) => matches(comparablePath(path));
}

/** Whether `path` is `dir` itself or lies below it, whatever the letter case. */
export function isUnder(path: string, dir: string): boolean {
  const p = comparablePath(path).toLowerCase();
  const d = comparablePath(dir).replace(/\/+$/, "").toLowerCase();
  return d === "" || p === d || p.startsWith(`${d}/`);
}
