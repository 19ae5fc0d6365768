import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isAllowed } from "../../../src/core/privacy/allow-list.js";
import { DETECTOR_CODES } from "../../../src/core/privacy/detector.js";
import { parsePrivacyPolicy } from "../../../src/core/privacy/privacy-policy.js";
import { scanText } from "../../../src/core/privacy/scan-text.js";

const PATH = "policies/privacy.yml";

function problems(text: string): string[] {
  return parsePrivacyPolicy(PATH, text).findings.map((f) => `${f.line}:${f.column} ${f.code}`);
}

describe("parsePrivacyPolicy", () => {
  it("reads the finance pack's privacy.yml without findings", () => {
    const text = readFileSync(
      new URL("../../../policies/finance/privacy.yml", import.meta.url),
      "utf8",
    );
    const load = parsePrivacyPolicy(PATH, text);
    expect(load.findings).toStrictEqual([]);
    expect(load.policy).toMatchObject({
      records: true,
      paths: ["incidents/**", "improvements/**"],
      detectors: [...DETECTOR_CODES],
    });
    expect(load.policy?.allow.every((e) => e.reason.length > 0)).toBe(true);
  });

  it("defaults to every record and every detector", () => {
    expect(parsePrivacyPolicy(PATH, "version: 1\n").policy).toStrictEqual({
      records: true,
      paths: [],
      detectors: [...DETECTOR_CODES],
      allow: [],
    });
  });

  it.each<[string, string, string[]]>([
    [
      "an allow entry without a reason",
      "version: 1\nallow:\n  - value: '4111111111111111'\n",
      ["3:5 privacy/allow-reason"],
    ],
    [
      "an allow entry with an empty reason",
      "version: 1\nallow:\n  - value: x\n    reason: ' '\n",
      ["3:5 privacy/allow-reason"],
    ],
    [
      "an allow entry with both value and pattern",
      "version: 1\nallow:\n  - { value: a, pattern: b, reason: r }\n",
      ["3:5 privacy/allow"],
    ],
    [
      "an allow entry with neither value nor pattern",
      "version: 1\nallow:\n  - reason: r\n",
      ["3:5 privacy/allow"],
    ],
    [
      "a pattern that does not compile",
      "version: 1\nallow:\n  - pattern: '(a'\n    reason: r\n",
      ["3:14 privacy/allow"],
    ],
    [
      "a long unquoted number",
      "version: 1\nallow:\n  - value: 6222021234567890123\n    reason: r\n",
      ["3:12 privacy/allow"],
    ],
    [
      "an unknown detector",
      "version: 1\ndetectors: [cn-id, phone]\n",
      ["2:20 privacy/unknown-detector"],
    ],
    ["an unknown top-level key", "version: 1\ndetector: [cn-id]\n", ["2:1 privacy/policy"]],
    ["a missing version", "paths: [a]\n", ["1:1 privacy/policy"]],
    ["paths that are not a list", "version: 1\npaths: incidents/**\n", ["2:8 privacy/policy"]],
    ["a YAML syntax error", "version: 1\npaths: [a\n", ["3:1 yaml/syntax"]],
  ])("reports %s with its place", (_name, text, expected) => {
    const load = parsePrivacyPolicy(PATH, text);
    expect(problems(text)).toStrictEqual(expected);
    expect(load.policy).toBeNull();
  });

  it("says how to fix a missing reason", () => {
    const [finding] = parsePrivacyPolicy(PATH, "version: 1\nallow:\n  - value: x\n").findings;
    expect(finding?.message).toMatch(/add `reason:`/);
  });

  it("suggests the detector meant by a typo", () => {
    const [finding] = parsePrivacyPolicy(PATH, "version: 1\ndetectors: [cn-mobil]\n").findings;
    expect(finding?.message).toContain('did you mean "cn-mobile"?');
  });
});

describe("allow-list", () => {
  const policy = parsePrivacyPolicy(
    PATH,
    [
      "version: 1",
      "allow:",
      "  - value: '4111 1111 1111 1111'",
      "    detectors: [bank-card]",
      "    reason: published test card",
      "  - pattern: '10\\.99\\.\\d+\\.\\d+'",
      "    reason: the lab network of the runbooks",
      "",
    ].join("\n"),
  ).policy;
  const allow = policy?.allow ?? [];

  it.each<[string, string, string[]]>([
    ["an exact value as written", "card 4111 1111 1111 1111", []],
    ["an exact value written without separators", "card 4111111111111111", []],
    ["a pattern matching the whole value", "ip 10.99.1.2", []],
    ["another card", "card 5555555555554444", ["bank-card"]],
    ["an address the pattern only partly matches", "ip 110.99.1.2", ["ipv4"]],
  ])("lets through or stops %s", (_name, text, detectors) => {
    expect(allow).toHaveLength(2);
    expect(scanText(text, { allow }).map((h) => h.detector)).toStrictEqual(detectors);
  });

  it("applies an entry only to its detectors", () => {
    expect(isAllowed(allow, "bank-card", "4111111111111111")).toBe(true);
    expect(isAllowed(allow, "cn-mobile", "4111111111111111")).toBe(false);
  });
});
