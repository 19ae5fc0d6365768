import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { textRange, textView, viewOffset } from "../../../src/core/privacy/text-view.js";

const latin1 = (text: string) => Buffer.from(text, "utf8").toString("latin1");

describe("textView reads a text as the detectors should", () => {
  it.each([
    ["full-width digits", "１３８００１３８０００", "13800138000"],
    ["full-width letters and signs", "ｚｈａｎｇ＠ａｃｍｅ．ｃｎ ＋８６", "zhang@acme.cn +86"],
    ["digits of other scripts", "٠١٢ ۳۴۵ ६७८ 𝟗𝟘𝟙", "012 345 678 901"],
    ["zero-width characters between digits", "138\u200b0013\u200d8000\ufeff", "13800138000"],
    ["bidirectional controls and variation selectors", "1\u202e3\u20668\ufe0f0", "1380"],
    ["tag characters", "13\u{e0031}8", "138"],
    [
      "Unicode spaces and dashes",
      "138\u00a00013\u30008000 138\u20130013\u22128000",
      "138 0013 8000 138-0013-8000",
    ],
    ["a soft hyphen", "138\u00ad0013", "1380013"],
    ["YAML and JSON escapes", "\\u0031\\x33\\U00000038", "138"],
    ["escaped tabs and no-break spaces", "138\\t0013\\_8000&#9;", "138\t0013 8000\t"],
    ["an escaped full-width digit", "\\uff11", "1"],
    ["an escaped keyword", "\\u5361\\u53f7", "卡号"],
    ["HTML character references", "&#49;&#x33;&#X38;", "138"],
    ["percent escapes of letters, digits and @", "a%40b.cn %31%33", "a@b.cn 13"],
    ["a line continuation", '"138\\\n    0013\\\r\n\t8000"', '"13800138000"'],
  ])("decodes %s", (_name, text, view) => {
    expect(textView(text).view).toBe(view);
  });

  it.each([
    ["a plain log line", "2026-11-25 INFO user=u1 took 12ms"],
    ["Chinese text and its punctuation", "客户反映，无法支付：请处理。"],
    ["escapes that stand for controls, quotes and surrogates", String.raw`\n \" \\ \u000a \ud83d`],
    ["percent escapes of spaces and slashes", "a%20b%2Fc"],
  ])("leaves %s as it is", (_name, text) => {
    expect(textView(text).view).toBe(text);
  });

  it("decodes the UTF-8 bytes of a text read as latin1 the same way", () => {
    const text = "卡号：９５５８ ８０１０\u200b 138\u30000013";
    const view = textView(latin1(text), true).view;
    expect(Buffer.from(view, "latin1").toString("utf8")).toBe("卡号：9558 8010 138 0013");
  });

  it("maps view ranges back to the text, leaving invisible neighbours out", () => {
    const text = "a \u200b１３８\u200b０\u200b b";
    const view = textView(text);
    expect(view.view).toBe("a 1380 b");
    const [start, end] = textRange(view, 2, 6);
    expect(text.slice(start, end)).toBe("１３８\u200b０");
    expect(viewOffset(view, text.indexOf("１"))).toBe(2);
    expect(viewOffset(view, text.indexOf("\u200b"))).toBe(2);
  });

  it("maps every view character back to the text it reads", () => {
    const part = fc.constantFrom(
      "1",
      "a",
      " ",
      "１",
      "\u200b",
      "\\u0031",
      "&#49;",
      "\\\n  1",
      "卡",
      "𝟗",
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        const view = textView(text);
        let at = 0;
        for (const part of parts) {
          const read = textView(part).view;
          for (let i = 0; i < read.length; i++) {
            // Each character of the view comes from its own part of the text.
            const [start, end] = textRange(view, at + i, at + i + 1);
            expect(textView(text.slice(start, end)).view).toBe(read.charAt(i));
          }
          at += read.length;
        }
        expect(at).toBe(view.view.length);
        expect(textRange(view, 0, view.view.length)[0]).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
