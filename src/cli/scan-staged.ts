import { relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pathMatcher } from "../core/paths/path-matcher.js";
import type { Hit } from "../core/privacy/scan-text.js";
import { openRepository } from "../git/refs.js";
import { stagedFiles } from "../git/staged-files.js";
import { UsageError } from "./errors.js";
import { scanStream } from "./stream-mask.js";

/**
 * Scans the staged content of the files the next commit adds or changes: every staged file at
 * or under one of `paths` (as typed, from `cwd`), else every one the `globs` of the privacy policy
 * match, else every staged file. Binary files are skipped, as a scan of the working tree skips
 * them; the names of all of them are scanned (`reportName`). Returns the number of values
 * found; each is reported as it is found.
 */
export async function scanStaged(
  cwd: string,
  paths: string[],
  globs: string[] | null,
  options: Parameters<typeof scanStream>[1],
  report: (path: string, hit: Hit, raw: string) => void,
  reportName: (path: string) => number = () => 0,
): Promise<number> {
  const root = await openRepository(cwd).catch(() => {
    throw new UsageError(`--staged scans what git will commit, but ${cwd} is not a git clone.`);
  });
  // Named paths are relative to where the command runs; staged paths to the top of the clone.
  const named = paths.map((p) => relative(root, resolve(cwd, p)).split(sep).join("/"));
  const wanted =
    named.length > 0
      ? (path: string) => named.some((p) => p === "" || path === p || path.startsWith(`${p}/`))
      : globs === null
        ? () => true
        : pathMatcher(globs);
  let count = 0;
  for (const { path, content } of await stagedFiles(root)) {
    if (!wanted(path)) continue;
    count += reportName(path);
    if (content.subarray(0, 8000).includes(0)) continue;
    count += await scanStream(Readable.from([content]), {
      ...options,
      onHit: (hit, raw) => report(path, hit, raw),
    });
  }
  return count;
}
