/**
 * Names that every checkout shows as they are. A name that a terminal, a review page or another
 * operating system shows differently from what git stores is refused outright: a reviewer
 * cannot see what they approve, and a Windows or macOS checkout may put the file elsewhere.
 */

/**
 * Characters no checkout shows as they are: C0 and C1 controls, DEL, the soft hyphen,
 * zero-width and direction marks, line and paragraph separators, bidirectional embeddings,
 * overrides and isolates, invisible operators, the byte-order mark, and U+FFFD (what a name
 * that is not valid UTF-8 decodes to, so two different names may read the same).
 */
export const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufffd]/gu;

/** Why a name is refused, or null when every checkout shows it as git stores it. */
export function unplainName(path: string): string | null {
  const hidden = new RegExp(UNPRINTABLE.source, "u").exec(path);
  if (hidden) {
    const code = hidden[0].codePointAt(0) ?? 0;
    if (code === 0xfffd) return "is not valid UTF-8";
    const what = code < 0x20 || (code >= 0x7f && code <= 0x9f) ? "control" : "invisible";
    return `holds the ${what} character ${codePoint(code)}`;
  }
  if (path.includes("\\")) return "holds a backslash, which Windows reads as a folder separator";
  for (const part of path.split("/")) {
    if (/[. ]$/.test(part)) {
      return `has a name ending in "${part.at(-1)}", which Windows drops ("${part}")`;
    }
  }
  return null;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A path as messages print it: each unprintable character written as its code (`\u000A`). */
export function displayPath(path: string): string {
  return path.replace(
    UNPRINTABLE,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}
