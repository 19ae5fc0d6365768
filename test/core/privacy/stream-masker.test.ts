import { describe, expect, it } from "vitest";
import { scanText } from "../../../src/core/privacy/scan-text.js";
import { maskText, StreamMasker } from "../../../src/core/privacy/stream-masker.js";

const BLOCK = [
  "2026-11-25T13:45:12.123+08:00 INFO customer 13800138000 paid with 6222600260001072444",
  "卡号 6212345678901266 身份证 110101199003074573 mail zhang.wei@acme-bank.cn",
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MbqW",
  "-----END RSA PRIVATE KEY-----",
  "peer 2001:db8::8a2e:370:7334 from 10.12.3.4 passport E12345678 token ghp_" + "x1Y2".repeat(9),
  "",
].join("\n");

/** Long enough that the masker settles output many times before the end. */
const TEXT = `${BLOCK}${"filler line without anything personal in it\n".repeat(40)}`.repeat(30);

function streamed(
  text: string,
  size: number,
  onHit?: (line: number, column: number) => void,
): string {
  const masker = new StreamMasker(onHit ? { onHit: (h) => onHit(h.line, h.column) } : {});
  let out = "";
  for (let i = 0; i < text.length; i += size) out += masker.push(text.slice(i, i + size));
  return out + masker.end();
}

describe("StreamMasker", () => {
  it("masks the whole text as maskText does", () => {
    const whole = maskText(TEXT);
    expect(whole).not.toContain("13800138000");
    expect(whole).not.toContain("MIIEowIBAAKCAQEA");
    expect(whole.split("-----[redacted:private-key]-----")).toHaveLength(31);
  });

  it.each([1, 2, 3, 5, 7, 64, 4093, 65536])(
    "gives the same output with chunks of %i characters, values split across chunks included",
    (size) => {
      expect(streamed(TEXT, size)).toBe(maskText(TEXT));
    },
  );

  it.each([1, 7, 4093])(
    "reports the same lines and columns with chunks of %i characters",
    (size) => {
      const places: string[] = [];
      streamed(TEXT, size, (line, column) => places.push(`${line}:${column}`));
      expect(places).toStrictEqual(scanText(TEXT).map((h) => `${h.line}:${h.column}`));
      expect(places.slice(0, 3)).toStrictEqual(["1:45", "1:67", "2:4"]);
    },
  );

  it("holds back a private key block until its end arrives", () => {
    const masker = new StreamMasker();
    const head = `${"x".repeat(20_000)}\n-----BEGIN PRIVATE KEY-----\n`;
    const first = masker.push(head + "A".repeat(20_000));
    expect(first).toBe(`${"x".repeat(20_000)}\n`);
    const rest = masker.push("\n-----END PRIVATE KEY-----\nafter\n") + masker.end();
    expect(rest).toBe("-----[redacted:private-key]-----\nafter\n");
  });

  it("counts its hits", () => {
    const masker = new StreamMasker();
    masker.push("13800138000 and 13900139000");
    masker.end();
    expect(masker.hits).toBe(2);
  });

  it("builds no output when only scanning", () => {
    const masker = new StreamMasker({ scanOnly: true });
    expect(masker.push(TEXT) + masker.end()).toBe("");
    expect(masker.hits).toBe(scanText(TEXT).length);
  });
});
