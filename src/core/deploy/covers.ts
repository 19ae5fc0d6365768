/**
 * The globs of a change's `covers`: which deployment files it authorises, and whether they stay
 * inside what a pre-approved standard change allows.
 */
import picomatch from "picomatch";

/**
 * A matcher for a change's covers. Case matters here, unlike for finding deployment files: a
 * change that covers `deploy/production/payments/**` does not authorise `deploy/Production/…`,
 * so the stricter reading refuses what the looser one governs. For the same reason it is not
 * the project's `pathMatcher`, which reads names without case and control characters as "_":
 * deployment files are found the loose way (more files governed), authorised the strict way
 * (fewer files covered), and a file between the two is refused.
 */
export function coversMatcher(covers: string[]): (path: string) => boolean {
  if (covers.length === 0) return () => false;
  return picomatch(covers, { dot: true });
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** The most folders a glob may have for {@link globWithin}; deeper ones are refused. */
export const MAX_GLOB_DEPTH = 64;

/**
 * Whether every path `inner` matches is also matched by `outer`, decided folder by folder and
 * on the safe side: a folder of `inner` that is a glob must meet `*` or `**` in `outer` (or the
 * same text), and `**` only `**`. So `deploy/production/certs/**` is within `deploy/*\/certs/**`,
 * while `deploy/production/**` and `deploy/production/cert*` are not. Linear in the folders
 * times the `**` of `outer`, thanks to the memo.
 */
export function globWithin(inner: string, outer: string): boolean {
  const a = inner.split("/");
  const b = outer.split("/");
  if (a.length > MAX_GLOB_DEPTH || b.length > MAX_GLOB_DEPTH) return false;
  const memo = new Map<number, boolean>();
  const within = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (j === b.length) result = i === a.length;
    else if (b[j] === "**") {
      // `**` in outer takes none, or one more folder of inner (whatever it is).
      result = within(i, j + 1) || (i < a.length && within(i + 1, j));
    } else if (i === a.length) result = false;
    else result = segmentWithin(a[i]!, b[j]!) && within(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return within(0, 0);
}

function segmentWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  if (inner === "**") return false;
  if (GLOB_CHARS.test(inner)) return outer === "*";
  return picomatch.isMatch(inner, outer, { dot: true });
}
