import { describe, expect, it } from "vitest";
import { didYouMean, levenshtein } from "../../../src/core/policy/did-you-mean.js";

describe("levenshtein", () => {
  it.each([
    ["", "", 0],
    ["qa", "qa", 0],
    ["kitten", "sitting", 3],
    ["risc", "risk", 1],
    ["", "abc", 3],
  ])("%j to %j is %i", (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });
});

describe("didYouMean", () => {
  const roles = ["qa", "release-manager", "ops-lead", "dev-lead", "ops-manager"];
  it.each([
    ["qa ", "qa"],
    ["QA", "qa"],
    ["release-manger", "release-manager"],
    ["ops-leed", "ops-lead"],
    ["ops-managr", "ops-manager"],
    ["release", "release-manager"], // a shortened name
    ["auditor", undefined],
    ["x", undefined],
  ])("%j suggests %j", (name, expected) => {
    expect(didYouMean(name, roles)).toBe(expected);
  });

  it("suggests nothing from no names", () => {
    expect(didYouMean("qa", [])).toBeUndefined();
  });
});
