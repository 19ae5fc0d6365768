/**
 * Candidate patterns of the detectors, and the anchors that find where to try them.
 *
 * V8 runs a regular expression fast when it starts with a literal or a small character class
 * and slowly when it is one big alternation, so each detector family has its own cheap global
 * *anchor* (`@`, a digit run after a boundary, `:` of an IPv6 group, a token prefix) and a
 * sticky *candidate* pattern tried only where an anchor fired. The cheap pattern proposes;
 * validators in JavaScript (checksums, dates, regions, keywords) decide.
 *
 * Every quantifier is bounded and no repetition is nested inside another unbounded one, so one
 * attempt costs at most its bound and the scan stays linear: no catastrophic backtracking.
 * Every boundary treats `*` like a letter or digit: masks replace letters and digits by `*`,
 * so a neighbour of a masked value meets the same kind of boundary before and after masking,
 * which is what makes masking idempotent.
 *
 * Bounds also make a match depend only on {@link MAX_CANDIDATE} characters after its start,
 * which is what lets the streaming masker cut its input into chunks safely.
 */

/** The longest text any candidate except a private key block can match. */
export const MAX_CANDIDATE = 6200;

const D = "[0-9]";
const HEX = "[0-9A-Fa-f]";
const SEP = String.raw`(?:[ \t._/-]| - )`;

/** Anchors: global, cheap, tried at every position. */
export const ANCHOR = {
  email: /@/g,
  /** 11 digits: plain runs long enough for a phone, ID or card number. */
  digits: new RegExp(D.repeat(11), "g"),
  /**
   * Three digits, a separator and three digits: the end of a first group (`6222 0212 ...`,
   * `138.0013.8000`). Separators: space, tab, - . _ / or a dash between spaces. A first group
   * of two digits starts no number (clock times and decimals: `12:30:56.789`); a country code
   * before the first group (`86 139 ...`) is found from there.
   */
  groups: new RegExp(`${D}${D}${D}${SEP}${D}${D}${D}`, "g"),
  /** Four digits with separators between them: a number spelt digit by digit. */
  spelt: /[0-9][ \t._/-]{1,3}[0-9][ \t._/-]{1,3}[0-9][ \t._/-]{1,3}[0-9]/g,
  /** The first dot of a dotted quad. */
  ipv4: new RegExp(`\\.${D}${D}?${D}?\\.${D}`, "g"),
  ipv6: new RegExp(`:(?::|${HEX}{1,4}:${HEX}{1,4}:${HEX}{1,4}:)`, "g"),
  /**
   * Where a secret may start, found by characters that are rare in text: `BEGIN ` of a key
   * block (5 dashes before it), `AKIA`, `AIza`, `gh?_`, `github_pat_`, `glpat-`, `xox?-`, the
   * `k-`/`k_` of `sk-`/`sk_` and the `yJ` of `eyJ` (one letter before). Anchoring on `-`,
   * `s` or `e` instead, as the prefixes begin, makes the pass twice as slow on logs.
   */
  secret: /[ABgkxy](?:EGIN |KIA|Iza|h[pousr]_|ithub_pat_|lpat-|ox[abprs]-|[-_]|J)/g,
} as const;

/** Candidates: sticky, tried only where an anchor says. */
export const CANDIDATE = {
  email: new RegExp(
    String.raw`[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9*-])`,
    "y",
  ),
  ipv4: /(?:\d{1,3}\.){3}\d{1,3}(?![A-Za-z0-9_*]|\.\d)/y,
  ipv6: /[0-9A-Fa-f:]{2,39}(?![A-Za-z0-9_:*]|\.\d)/y,
  keyBegin: /-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/y,
  token: new RegExp(
    String.raw`(?<![A-Za-z0-9_*-])(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,251}` +
      String.raw`|github_pat_[A-Za-z0-9_]{22,251}|xox[abprs]-[A-Za-z0-9-]{10,200}` +
      String.raw`|sk_(?:live|test)_[A-Za-z0-9]{16,200}|sk-(?:proj-)?[A-Za-z0-9_-]{32,200}` +
      String.raw`|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20}` +
      String.raw`|eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,2000}\.[A-Za-z0-9_-]{16,2000})` +
      String.raw`(?![A-Za-z0-9_*-])`,
    "y",
  ),
  /** Passport numbers are looked for only after a passport keyword. */
  passport: /(?<![A-Za-z0-9*])[A-Z]{1,2}\d{6,8}(?![A-Za-z0-9*])/g,
  /** The same, sticky, to confirm a candidate against the whole text. */
  passportAt: /[A-Z]{1,2}\d{6,8}(?![A-Za-z0-9*])/y,
} as const;

/** The end marker of a private key block, searched for after its begin marker. */
export const KEY_END = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
