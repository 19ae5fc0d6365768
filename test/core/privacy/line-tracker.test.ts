import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Cuts, matchAt } from "../../../src/core/privacy/cuts.js";
import { LineTracker } from "../../../src/core/privacy/line-tracker.js";

/** Line and column of `pos`, the slow and obvious way. */
function naive(text: string, pos: number): [number, number] {
  const before = text.slice(0, pos).split("\n");
  return [before.length, (before.at(-1) ?? "").length + 1];
}

describe("LineTracker", () => {
  it("gives the line and column of increasing positions, as counting from the start would", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "\n", "b", "\r"), maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (text, raw) => {
          const positions = raw.map((p) => p % (text.length + 1)).sort((a, b) => a - b);
          const lines = new LineTracker(text);
          for (const pos of positions) {
            lines.advance(pos);
            expect([lines.line, lines.column]).toStrictEqual(naive(text, pos));
          }
        },
      ),
    );
  });

  it("counts UTF-8 characters, not bytes, in a text of bytes", () => {
    const bytes = Buffer.from("手机 x", "utf8").toString("latin1");
    const lines = new LineTracker(bytes, 0, 1, 1, true);
    lines.advance(bytes.indexOf("x"));
    expect(lines.column).toBe(4);
  });
});

describe("Cuts", () => {
  it.each([
    ["the first cut after the start", [5, 9], 3, 10, 5],
    ["no cut within the span", [50], 3, 10, -1],
    ["not a cut at the start itself", [3, 7], 3, 10, 7],
    ["cuts added out of order", [9, 4], 1, 10, 4],
  ])("finds %s", (_name, added, start, span, expected) => {
    const cuts = new Cuts();
    for (const at of added) cuts.add(at);
    expect(cuts.nextAfter(start, span)).toBe(expected);
  });

  it("matches a sticky pattern on the text as it will read when the cut is replaced", () => {
    const cuts = new Cuts();
    cuts.add(14);
    const match = matchAt(/\d+(?! )/y, "abc13800138000999x", 3, 32, cuts);
    expect(match?.[0]).toBe("1380013800");
    expect(matchAt(/\d+/y, "abc13800138000999x", 3, 32, new Cuts())?.[0]).toBe("13800138000999");
  });
});
