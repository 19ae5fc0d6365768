import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DetectorCode } from "../../../src/core/privacy/detector.js";
import { scanText } from "../../../src/core/privacy/scan-text.js";
import { maskText } from "../../../src/core/privacy/stream-masker.js";
import { textView } from "../../../src/core/privacy/text-view.js";

/**
 * Random valid values, spelt at random the ways a reader still reads them: full-width
 * characters, escapes, invisible characters, common separators. Whatever the spelling, the
 * scanner must find the value (so the gate refuses it), and masking must leave nothing of it to
 * read (so `gatehouse mask` desensitises it), once and for all.
 */

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) =>
  fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(""));

function luhnComplete(body: string): string {
  for (let d = 0; d < 10; d++) {
    const n = body + String(d);
    let sum = 0;
    for (let i = 0; i < n.length; i++) {
      let v = n.charCodeAt(n.length - 1 - i) - 48;
      if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 === 0) return n;
  }
  throw new Error("unreachable");
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

const residentId = fc
  .tuple(
    fc.constantFrom("11", "31", "44", "51", "65"),
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 1, max: 99 }),
    fc.date({ min: new Date("1930-01-01"), max: new Date("2020-12-31"), noInvalidDate: true }),
    digits(3),
  )
  .map(([province, city, county, born, seq]) => {
    const date = born.toISOString().slice(0, 10).replace(/-/g, "");
    const body = `${province}${String(city).padStart(2, "0")}${String(county).padStart(2, "0")}${date}${seq}`;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
    return body + ("10X98765432"[sum % 11] ?? "0");
  });

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${second}${rest}`);

const card = fc
  .tuple(fc.constantFrom("622202", "621700", "4", "51", "9558"), fc.integer({ min: 0, max: 3 }))
  .chain(([bin, extra]) => digits(15 - bin.length + extra).map((rest) => luhnComplete(bin + rest)));

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
    fc.constantFrom("cn", "com", "example"),
  )
  .filter(([local]) => !local.includes(".."))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/** A value and the words that must stand before it (a card of any issuer needs its keyword). */
const value: fc.Arbitrary<[DetectorCode, string, string]> = fc.oneof(
  residentId.map((v): [DetectorCode, string, string] => ["cn-id", "身份证 ", v]),
  mobile.map((v): [DetectorCode, string, string] => ["cn-mobile", "tel ", v]),
  card.map((v): [DetectorCode, string, string] => ["bank-card", "卡号 ", v]),
  email.map((v): [DetectorCode, string, string] => ["email", "mail ", v]),
);

/** How one character may be spelt and still read the same. */
function spellings(char: string): string[] {
  const code = char.charCodeAt(0);
  const hex4 = code.toString(16).padStart(4, "0");
  const out = [char, `\\u${hex4}`, `\\U0000${hex4}`, `&#${code};`, `&#x${code.toString(16)};`];
  if (code < 0x100) out.push(`\\x${code.toString(16).padStart(2, "0")}`);
  if (/[0-9A-Za-z@.+\-_]/.test(char)) out.push(String.fromCharCode(code + 0xfee0));
  if (/[0-9]/.test(char)) out.push(String.fromCodePoint(0x1d7ce + code - 48)); // 𝟎…𝟗
  return out;
}

const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\ufe0f"];
const SEPARATORS = [" ", "-", ".", "_", "/", "\u00a0", "\u3000", "\u2013", "\u2212", " - ", "\t"];

/** A spelling of a whole value: each character spelt on its own, with invisible characters between. */
function spell(raw: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      ...[...raw].map((char) =>
        fc.tuple(
          fc.constantFrom(...spellings(char)),
          fc.option(fc.constantFrom(...INVISIBLE), { freq: 3 }),
        ),
      ),
    )
    .map((parts) => parts.map(([c, invisible]) => c + (invisible ?? "")).join(""));
}

/** Digits split in groups of three or more (or one by one) by one separator. */
function grouped(raw: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...SEPARATORS), fc.constantFrom(1, 3, 4, 5, 6))
    .map(([separator, size]) => {
      const groups: string[] = [];
      for (let i = 0; i < raw.length; i += size) groups.push(raw.slice(i, i + size));
      // A last group shorter than three joins the one before it.
      const last = groups[groups.length - 1] ?? "";
      if (size > 1 && groups.length > 1 && last.length < 3) {
        groups.splice(-2, 2, `${groups[groups.length - 2] ?? ""}${last}`);
      }
      return groups.join(separator);
    });
}

const spelt = value.chain(([detector, keyword, raw]) =>
  fc
    .oneof(
      spell(raw),
      detector === "email" ? spell(raw) : grouped(raw).chain((g) => spell(g)),
      detector === "email" ? spell(raw) : grouped(raw),
    )
    .map((text): [DetectorCode, string, string] => [detector, keyword + text, raw]),
);

/**
 * The value's letters and digits as a reader would pick them out of a text. A mask character
 * stays: it stands between what a mask keeps (an email's first letter) and the word before it,
 * which together may spell the value again ("mail" + "l***@a0.cn" reads "maill@a0cn").
 */
function readable(text: string): string {
  return textView(text).view.replace(/[^0-9A-Za-z@*]/g, "");
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 400);

describe("random spellings of random valid values", () => {
  it("are found, by the right detector", () => {
    fc.assert(
      fc.property(spelt, ([detector, text]) => {
        expect(scanText(text).map((h) => h.detector)).toContain(detector);
      }),
      { numRuns: RUNS },
    );
  });

  it("are masked so that nothing of them is left to read, once and for all", () => {
    fc.assert(
      fc.property(spelt, ([, text, raw]) => {
        const masked = maskText(`before ${text} after`);
        expect(scanText(masked)).toStrictEqual([]);
        expect(readable(masked)).not.toContain(raw.replace(/[^0-9A-Za-z@]/g, ""));
        expect(readable(masked.slice("before ".length, -" after".length))).not.toMatch(
          /[0-9A-Za-z]{2,}@/,
        );
        expect(maskText(masked)).toBe(masked);
        expect(masked.startsWith("before ") && masked.endsWith(" after")).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("keep, masked, only what a mask keeps, whatever word stands before them", () => {
    // Found by the property above: "mail" and the kept first letter read "maill@a0cn".
    expect(maskText("before mail ll@a0.cn after")).toBe("before mail l***@a0.cn after");
  });

  it("are found and masked the same way in a file read as bytes", () => {
    fc.assert(
      fc.property(spelt, ([detector, text]) => {
        const bytes = Buffer.from(text, "utf8").toString("latin1");
        expect(scanText(bytes, { utf8Bytes: true }).map((h) => h.detector)).toContain(detector);
        const masked = maskText(bytes, { utf8Bytes: true });
        const asText = Buffer.from(masked, "latin1").toString("utf8");
        expect(asText).toBe(maskText(text));
      }),
      { numRuns: RUNS },
    );
  });
});
