import type { DetectorCode } from "./detector.js";
import type { RawHit } from "./raw-hit.js";

/**
 * Masks one detected value by the conventions of gatehouse:
 *
 * | detector | convention | example |
 * |---|---|---|
 * | cn-id | first 6 and last 4 kept | `110101********4578` |
 * | cn-mobile | first 3 and last 4 kept, `+86` (`86`, `0086`) kept | `138****8000` |
 * | cn-landline | country and area code and last 4 kept | `010-****5678` |
 * | bank-card | first 6 and last 4 kept | `622202*********0123` |
 * | email | first letter and the domain | `z***@acme.example` |
 * | ipv4 | first two octets kept | `10.12.*.*` |
 * | ipv6 | first two groups kept | `2001:db8:****` |
 * | passport | first 2 and last 3 kept | `E1****678` |
 * | private-key | fully redacted | `-----[redacted:private-key]-----` |
 * | token | fully redacted | `[redacted:token]` |
 *
 * Separators (spaces, dashes) stay where they were. No masked form is detected again, so
 * masking masked text changes nothing. A redacted key block keeps its dashes on both ends, so
 * that a neighbour's boundary reads the same before and after masking.
 */
export function maskValue(detector: DetectorCode, raw: string): string {
  switch (detector) {
    case "cn-id":
    case "bank-card":
      return keepEnds(raw, 6, 4);
    case "cn-mobile": {
      // Mobile numbers start with 1, so a leading 86 is always the country code.
      const prefix = /^(?:\+|00)?86[ -]?/.exec(raw)?.[0] ?? "";
      return prefix + keepEnds(raw.slice(prefix.length), 3, 4);
    }
    case "cn-landline": {
      // 7 or 8 digits are a subscriber number alone; more carry an area code, which is kept.
      const digits = raw.replace(/\D/g, "").length;
      const area = digits > 8 ? (LANDLINE_AREA.exec(raw)?.[0] ?? "") : "";
      return area + keepEnds(raw.slice(area.length), 0, 4);
    }
    case "email": {
      const at = raw.lastIndexOf("@");
      return `${raw.charAt(0)}***${raw.slice(at)}`;
    }
    case "ipv4":
      return raw.split(".").slice(0, 2).join(".") + ".*.*";
    case "ipv6":
      return raw.split(":").slice(0, 2).join(":") + ":****";
    case "passport":
      return keepEnds(raw, 2, 3);
    case "private-key":
      return "-----[redacted:private-key]-----";
    case "token":
      return "[redacted:token]";
  }
}

/** The country and area code at the start of a landline number: `+86 10 `, `(0755) `, `021-`. */
const LANDLINE_AREA = /^(?:(?:\+|00)?86[ -]?)?\(?0?(?:10|2\d|[3-9]\d\d)\)?(?: - |[ -])?/;

/** Replaces the letters and digits of `raw` by `*`, except the first `head` and last `tail`. */
function keepEnds(raw: string, head: number, tail: number): string {
  let significant = 0;
  for (let i = 0; i < raw.length; i++) if (/[A-Za-z0-9]/.test(raw.charAt(i))) significant++;
  let seen = 0;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (/[A-Za-z0-9]/.test(ch)) {
      out += seen < head || seen >= significant - tail ? ch : "*";
      seen++;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * The replacement of a detection in `text`: its value by `replace` (the conventions above by
 * default), and the rest of a merged neighbour (see `RawHit.head`) with every letter and
 * digit starred out. A value spelt otherwise than it reads (`RawHit.read`) is replaced by its
 * reading, masked: `１３８００１３８０００` becomes `138****8000`.
 */
export function maskHit(
  text: string,
  hit: RawHit,
  replace: (detector: DetectorCode, raw: string) => string = maskValue,
): string {
  const value = hit.read ?? text.slice(hit.start, hit.end);
  const head =
    hit.read !== undefined ? (hit.readHead ?? value.length) : (hit.head ?? hit.end) - hit.start;
  const rest = value.slice(head).replace(/[A-Za-z0-9]/g, "*");
  return replace(hit.detector, value.slice(0, head)) + rest;
}
