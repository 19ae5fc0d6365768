import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/policy/load-config.js";
import { DEFAULT_CONFIG } from "../../../src/core/policy/model.js";

const PATH = ".github/gatehouse.yml";

describe("loadConfig", () => {
  it.each([
    ["no file", undefined, DEFAULT_CONFIG],
    ["an empty file", "", DEFAULT_CONFIG],
    ["a file of comments only", "# policies: policies\n# codeowners: false\n", DEFAULT_CONFIG],
    ["only _extends", "_extends: acme/.github\n", DEFAULT_CONFIG],
    [
      "another policies directory",
      "policies: governance/policies/\n",
      { ...DEFAULT_CONFIG, policies: "governance/policies" },
    ],
    [
      "one record directory",
      "records:\n  ChangeRequest: delivery/changes\n",
      {
        ...DEFAULT_CONFIG,
        records: { ...DEFAULT_CONFIG.records, ChangeRequest: "delivery/changes" },
      },
    ],
    ["codeowners", "codeowners: true\n", { ...DEFAULT_CONFIG, codeowners: true }],
  ])("reads %s", (_name, text, config) => {
    expect(loadConfig(text)).toEqual({ config, findings: [] });
  });

  it.each([
    [
      "an unknown key",
      "policy: governance\n",
      1,
      1,
      `unknown field "policy" in the file; did you mean "policies"? Remove it or correct its name`,
    ],
    [
      "an unknown record kind",
      "records:\n  ChangeRequests: x\n",
      2,
      3,
      `unknown field "ChangeRequests" in records; did you mean "ChangeRequest"? Remove it or correct its name`,
    ],
    ["a wrong type", "codeowners: yes\n", 1, 13, `codeowners must be true or false; found "yes"`],
    [
      "a directory outside the repository",
      "policies: policies/../../elsewhere\n",
      1,
      11,
      `"policies/../../elsewhere" must be a plain path inside the repository, without "." or ".." parts; write it from the repository root, such as policies`,
    ],
    [
      "a YAML error",
      "policies: a\npolicies: b\n",
      2,
      1,
      `the key "policies" appears twice in the same mapping; keep only one of them`,
    ],
  ])("reports %s and falls back to the defaults", (_name, text, line, column, message) => {
    const { config, findings } = loadConfig(text);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(findings).toEqual([expect.objectContaining({ path: PATH, line, column, message })]);
  });

  it("names the file it was given", () => {
    expect(loadConfig("x: 1\n", "acme/.github/gatehouse.yml").findings[0]?.path).toBe(
      "acme/.github/gatehouse.yml",
    );
  });

  it("returns defaults that callers cannot corrupt", () => {
    const first = loadConfig(undefined).config;
    first.records.ChangeRequest = "mutated";
    expect(loadConfig(undefined).config.records.ChangeRequest).toBe("changes");
  });
});
