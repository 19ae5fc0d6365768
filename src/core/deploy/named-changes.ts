/**
 * The changes a pull request names in its body: a line `Change: CHG-2026-0042` (several ids may
 * follow, separated by commas or spaces; the word is read without case). Linear in the body.
 */
const LINE = /^[ \t>*-]*change[ \t]*:[ \t]*(.+)$/gim;
const ID = /\bCHG-\d{4}-\d{4,}\b/g;

/** The change ids named in a pull request body, each once, in order. */
export function namedChanges(body: string | undefined): string[] {
  const ids = new Set<string>();
  for (const line of (body ?? "").matchAll(LINE)) {
    for (const id of line[1]!.matchAll(ID)) ids.add(id[0]);
  }
  return [...ids];
}
