/**
 * The findings of the personal-data gate, worded for the person who must act on them. Each
 * names the place, the kind of value, its masked form, and what to do; none holds a value
 * unmasked (paths holding one are masked too).
 */
import { DETECTORS, passesEveryCheck } from "./detector.js";
import type { FileHit } from "./scan-file.js";
import { maskText } from "./stream-masker.js";
import type { Finding } from "../types.js";
import { MAX_NESTING } from "../yaml/parse-bounded.js";

/** A path as findings show it: any personal data in its name masked. */
export function shownPath(path: string): string {
  return maskText(path);
}

/** What a hit is, for a message: "mainland mobile number 138****8000 (detector cn-mobile, confidence 0.90)". */
function described(hit: Pick<FileHit, "detector" | "masked" | "confidence">): string {
  return `${DETECTORS[hit.detector].title} ${hit.masked} (detector ${hit.detector}, confidence ${hit.confidence.toFixed(2)})`;
}

/**
 * What to do about a value: desensitise it; and, only for a detection that does not pass every
 * check of a real value, how to allow-list it without writing the value into the policy.
 */
function remedy(hit: Pick<FileHit, "detector" | "confidence">, policyPath: string): string {
  const desensitise = "desensitise it with `gatehouse mask`";
  if (passesEveryCheck(hit.detector, hit.confidence)) return desensitise;
  return (
    `${desensitise}, or, if it is not personal data, allow-list it in ${policyPath} with a reason ` +
    "and without writing it out: `gatehouse scan --suggest-allow FILE` prints a `sha256:` entry for it"
  );
}

/** A value in a file at the head of the pull request. */
export function headFinding(
  path: string,
  hit: FileHit,
  policyPath: string,
  addedBy: string | undefined,
): Finding {
  const where = hit.decoded
    ? " in this YAML value as YAML reads it (escapes and line breaks decoded)"
    : "";
  const history =
    addedBy === undefined
      ? ""
      : `; commit ${addedBy.slice(0, 7)} added it, so desensitise it in that commit (amend or rebase) rather than in a new one, which would leave it in the branch's history`;
  return {
    path: shownPath(path),
    line: hit.line,
    column: hit.column,
    code: `privacy/${hit.detector}`,
    message: `${described(hit)}${where}; ${remedy(hit, policyPath)}${history}`,
  };
}

/** A value that a commit added and a later commit removed: it stays in the branch's history. */
export function historyFinding(sha: string, path: string, hit: FileHit): Finding {
  return {
    path: shownPath(path),
    line: hit.line,
    column: hit.column,
    code: `privacy/history/${hit.detector}`,
    message:
      `commit ${sha.slice(0, 7)} added ${described(hit)} here; a later commit removed it, but it stays in the branch's history and reaches the default branch with a merge. ` +
      `Rewrite the branch so that no commit holds it (for example \`git rebase -i\`, edit ${sha.slice(0, 7)}, desensitise the value with \`gatehouse mask\`, then \`git push --force-with-lease\`)`,
  };
}

/** A value in a file's name. */
export function nameFinding(path: string, hit: FileHit, sha?: string): Finding {
  const by = sha === undefined ? "" : ` (named so by commit ${sha.slice(0, 7)})`;
  return {
    path: shownPath(path),
    line: 1,
    column: 1,
    code: `privacy/name/${hit.detector}`,
    message: `the file name holds ${described(hit)}${by}; rename the file so that its name holds no personal data${sha === undefined ? "" : ", in the commit that named it"}`,
  };
}

/** A scanned file the gate could not read. */
export function unreadableFinding(
  path: string,
  why: string,
  policyPath: string,
  sha?: string,
): Finding {
  const what = sha === undefined ? path : `what commit ${sha.slice(0, 7)} added to ${path}`;
  return {
    path: shownPath(path),
    line: 1,
    column: 1,
    code: "privacy/unreadable",
    message: `${shownPath(what)} could not be read for the personal-data scan (${why}); make it a text file under the size limit, or take it out of the scanned paths in ${policyPath}`,
  };
}

/** A YAML file nested too deeply for its values to be read. */
export function tooDeepFinding(path: string, at: { line: number; column: number }): Finding {
  return {
    path: shownPath(path),
    line: at.line,
    column: at.column,
    code: "privacy/unreadable",
    message: `nested too deeply (limit ${MAX_NESTING}) for its values to be read for personal data; write the structure flatter`,
  };
}
