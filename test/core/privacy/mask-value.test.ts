import { describe, expect, it } from "vitest";
import type { DetectorCode } from "../../../src/core/privacy/detector.js";
import { maskValue } from "../../../src/core/privacy/mask-value.js";
import { pseudonymizer } from "../../../src/core/privacy/pseudonymize.js";
import { scanText } from "../../../src/core/privacy/scan-text.js";

describe("maskValue follows the masking conventions", () => {
  it.each<[DetectorCode, string, string]>([
    ["bank-card", "6222021234567890123", "622202*********0123"],
    ["bank-card", "4111 1111 1111 1111", "4111 11** **** 1111"],
    ["cn-mobile", "13812345678", "138****5678"],
    ["cn-mobile", "+86 138 1234 5678", "+86 138 **** 5678"],
    ["cn-mobile", "+8613812345678", "+86138****5678"],
    ["cn-landline", "010-12345678", "010-****5678"],
    ["cn-landline", "(0755) 8888 6666", "(0755) **** 6666"],
    ["cn-landline", "+86 21 6888 8888", "+86 21 **** 8888"],
    ["cn-landline", "8888 6666", "**** 6666"],
    ["cn-id", "110101199003074573", "110101********4573"],
    ["cn-id", "32031119700101305X", "320311********305X"],
    ["cn-id", "110105491231002", "110105*****1002"],
    ["email", "zhang.wei@acme.example", "z***@acme.example"],
    ["email", "a@b.cn", "a***@b.cn"],
    ["ipv4", "10.12.3.4", "10.12.*.*"],
    ["ipv6", "2001:db8::8a2e:370:7334", "2001:db8:****"],
    ["ipv6", "fe80::1", "fe80::****"],
    ["passport", "E12345678", "E1****678"],
    ["passport", "EA1234567", "EA****567"],
    [
      "private-key",
      "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
      "-----[redacted:private-key]-----",
    ],
    ["token", "ghp_abc", "[redacted:token]"],
  ])("masks a %s %s as %s", (detector, raw, masked) => {
    expect(maskValue(detector, raw)).toBe(masked);
  });

  it.each<[DetectorCode, string]>([
    ["bank-card", "6222021234567890123"],
    ["cn-mobile", "+86 138 1234 5678"],
    ["cn-id", "110101199003074573"],
    ["email", "zhang.wei@acme.example"],
    ["ipv4", "10.12.3.4"],
    ["ipv6", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
    ["passport", "E12345678"],
  ])("masks a %s so that the scanner does not find it again", (detector, raw) => {
    expect(scanText(`passport ${maskValue(detector, raw)} done`)).toStrictEqual([]);
  });
});

describe("pseudonymizer", () => {
  const key = "a key of at least sixteen bytes";

  it("gives the same value the same token, whatever its formatting", () => {
    const token = pseudonymizer(key);
    expect(token("cn-mobile", "13812345678")).toMatch(/^<phone:[0-9a-f]{12}>$/);
    expect(token("cn-mobile", "+86 138 1234 5678")).toBe(token("cn-mobile", "13812345678"));
    expect(pseudonymizer(key)("email", "Li.Na@Acme.CN")).toBe(token("email", "li.na@acme.cn"));
  });

  it("gives different values, kinds and keys different tokens", () => {
    const token = pseudonymizer(key);
    expect(token("cn-mobile", "13812345678")).not.toBe(token("cn-mobile", "13812345679"));
    expect(token("bank-card", "6222021234567890123")).not.toBe(
      token("cn-id", "6222021234567890123"),
    );
    expect(pseudonymizer("another key of sixteen bytes")("cn-mobile", "13812345678")).not.toBe(
      token("cn-mobile", "13812345678"),
    );
  });

  it("is an HMAC-SHA256 of label and normalized value under the key", async () => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", key).update("phone\u000013812345678").digest("hex");
    expect(pseudonymizer(key)("cn-mobile", "138 1234 5678")).toBe(
      `<phone:${expected.slice(0, 12)}>`,
    );
  });

  it("still redacts secrets fully", () => {
    expect(pseudonymizer(key)("token", "ghp_x")).toBe("[redacted:token]");
  });

  it("writes tokens that the scanner does not find again", () => {
    const token = pseudonymizer(key);
    const text = ["cn-mobile", "cn-id", "bank-card", "email", "ipv4", "passport"]
      .map((d) => `passport ${token(d as DetectorCode, "13812345678")}`)
      .join("\n");
    expect(scanText(text)).toStrictEqual([]);
  });
});
