/** "Did you mean" suggestions for misspelt names of roles, states, fields and keys. */

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to `name`, when it is close enough to be a likely typo: at most a
 * third of the longer name differs (and at least one edit is allowed). Case and surrounding
 * spaces are ignored when comparing, so `"QA "` suggests `"qa"`.
 */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const wanted = name.trim().toLowerCase();
  const candidates = [...known];
  // A shortened name ("release" for "release-manager") is a typo however much is missing.
  if (wanted.length >= 3) {
    const extended = candidates.find((c) => c.toLowerCase().startsWith(wanted));
    if (extended !== undefined) return extended;
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.ceil(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** `; did you mean "x"?` when there is a close name, else an empty string. */
export function suggestion(name: string, known: Iterable<string>): string {
  const close = didYouMean(name, known);
  return close === undefined ? "" : `; did you mean "${close}"?`;
}
