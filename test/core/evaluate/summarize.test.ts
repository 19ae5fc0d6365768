import { describe, expect, it } from "vitest";
import { summarize } from "../../../src/core/evaluate/summarize.js";
import type { RuleResult, Status } from "../../../src/core/types.js";

const node = (id: string, status: Status, reason: string, children: RuleResult[] = []) =>
  ({ id, status, reason, children }) as RuleResult;

describe("summarize", () => {
  const transition = node("r/transition", "failed", "CHG-1 draft -> closed is not legal; go to x");
  const unsigned = node("signatures/abc", "failed", "abc is not signed");
  const unsigned2 = node("signatures/def", "failed", "def is not signed");
  const waiting = node("r/requires/qa", "pending", "needs an approval from qa");

  it.each<[string, RuleResult, string]>([
    [
      "one failure: its first clause",
      node("root", "failed", "", [node("r", "failed", "", [transition]), waiting]),
      "Blocked: CHG-1 draft -> closed is not legal",
    ],
    [
      "several failures: the first, and how many more",
      node("root", "failed", "", [
        node("r", "failed", "", [transition]),
        node("signatures", "failed", "two commits", [unsigned, unsigned2]),
      ]),
      "Blocked: CHG-1 draft -> closed is not legal (and 2 more failures)",
    ],
    [
      "two failures",
      node("root", "failed", "", [transition, waiting, unsigned]),
      "Blocked: CHG-1 draft -> closed is not legal (and 1 more failure)",
    ],
    ["all clear", node("root", "satisfied", "", []), "All requirements met"],
  ])("%s", (_name, root, expected) => {
    expect(summarize(root)).toBe(expected);
  });

  it("names what a waiting verdict waits for, each once", () => {
    const wants = new Map([["r/requires/qa", "qa"]]);
    const root = node("root", "pending", "", [waiting, node("four-eyes", "pending", "x"), waiting]);
    expect(summarize(root, wants)).toBe("Waiting for qa and a second person's approval");
  });
});
