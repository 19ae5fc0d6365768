import { describe, expect, it } from "vitest";
import { MAX_NESTING } from "../../../src/core/yaml/parse-bounded.js";
import { MAX_ALIAS_COUNT, parseYaml, parseYamlMap } from "../../../src/core/yaml/parse-yaml.js";

const PATH = "changes/CHG-2026-0042.yaml";

/** A document whose aliases expand to 10^4 copies, far beyond the bound. */
const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "",
].join("\n");

describe("parseYaml rejects", () => {
  it.each([
    ["a duplicate key", "title: a\nrisk: low\nrisk: high\n", "yaml/duplicate-key", 3, 1],
    ["a custom tag", "title: a\nrisk: !danger low\n", "yaml/tag", 2, 15],
    ["a !!binary value", "title: a\nblob: !!binary aGVsbG8=\n", "yaml/tag", 2, 16],
    ["an alias bomb", ALIAS_BOMB, "yaml/alias-bomb", 2, 8],
    ["an unclosed flow sequence", "title: a\ncovers: [a, b\nrisk: low\n", "yaml/syntax", 3, 1],
    ["a nested compact mapping", "title: a\nrisk: low: high\n", "yaml/syntax", 2, 7],
    ["a tab used for indentation", "window:\n\tstart: x\n", "yaml/syntax", 2, 1],
    ["a key one space too deep", "id: X\n title: a\nstate: draft\n", "yaml/indentation", 2, 2],
    ["a key too deep in a list", "steps:\n  - a: 1\n     b: 2\n", "yaml/indentation", 3, 6],
    ["a second document", "title: a\n---\ntitle: b\n", "yaml/multiple-documents", 2, 1],
    ["an alias to an undefined anchor", "title: *nowhere\n", "yaml/alias", 1, 8],
    // Nesting is refused before anything recurses (a stack overflow said nothing useful).
    [
      "flow lists nested 100 deep",
      `title: a\nx: ${"[".repeat(100)}${"]".repeat(100)}\n`,
      "yaml/too-deep",
      2,
      67,
    ],
    [
      "flow maps nested 10,000 deep",
      `x: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`,
      "yaml/too-deep",
      1,
      256,
    ],
    [
      "block maps nested 100 deep",
      Array.from({ length: 100 }, (_, i) => `${" ".repeat(i)}k:`).join("\n"),
      "yaml/too-deep",
      65,
      65,
    ],
    ["a list of lists 100 deep", `${"- ".repeat(100)}a\n`, "yaml/too-deep", 1, 129],
  ])("%s, at its line and column", (_name, text, code, line, column) => {
    const parse = parseYaml(PATH, text);
    expect(parse.findings).toHaveLength(1);
    expect(parse.findings[0]).toMatchObject({ path: PATH, code, line, column });
    expect(parse.data).toBeUndefined();
  });

  it("bounds alias expansion at MAX_ALIAS_COUNT but allows ordinary reuse", () => {
    const reuse = `base: &base { risk: low }\n${Array.from({ length: 10 }, (_, i) => `k${i}: *base`).join("\n")}\n`;
    expect(MAX_ALIAS_COUNT).toBeLessThan(1000);
    const parse = parseYaml(PATH, reuse);
    expect(parse.findings).toEqual([]);
    expect(parse.data).toMatchObject({ k9: { risk: "low" } });
  });

  it("never throws, whatever the bytes", () => {
    for (const text of [
      "\u0000\u0001",
      "]]]",
      "{",
      "- - - -\n  : :",
      "'unterminated",
      "%YAML 9.9\n---\na",
    ]) {
      expect(() => parseYaml(PATH, text)).not.toThrow();
    }
  });
});

describe("parseYaml nesting", () => {
  it("reads 64 levels and says the limit beyond", () => {
    const nested = (depth: number) => `x: ${"[".repeat(depth - 1)}1${"]".repeat(depth - 1)}\n`;
    expect(parseYaml(PATH, nested(MAX_NESTING)).findings).toStrictEqual([]);
    expect(parseYaml(PATH, nested(MAX_NESTING + 1)).findings[0]?.message).toBe(
      `nested too deeply (limit ${MAX_NESTING}); no gatehouse file needs that many levels, write the structure flatter`,
    );
  });

  it("refuses a deeply nested record through the quick reader too", () => {
    const deep = `apiVersion: gatehouse/v1\n${Array.from({ length: 80 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n")} v\n`;
    const parse = parseYamlMap(PATH, deep);
    expect(parse.findings.map((f) => [f.code, f.line])).toStrictEqual([["yaml/too-deep", 66]]);
  });
});

describe("parseYaml messages", () => {
  it.each([
    [
      "title: a\ntitle: b\n",
      `the key "title" appears twice in the same mapping; keep only one of them`,
    ],
    [
      "risk: !danger low\n",
      "the tag !danger is not allowed: only plain YAML values (strings, numbers, booleans, null, lists and maps) are; remove the tag",
    ],
    [
      "id: X\n\n  title: a\n",
      `the key "title" is indented deeper than the key "id" above it, so YAML reads it as part of that key's value; indent it to column 1, like "id"`,
    ],
    [
      "title: Fix: the gateway\n",
      'this value holds ": ", which YAML reads as the start of another key; put the whole value in quotes ("...")',
    ],
    [
      "a: 1\n---\nb: 2\n",
      "a second YAML document starts here, but the file must hold exactly one; remove the `---` separator and everything after it, or move it to its own file",
    ],
  ])("%j says what is wrong and what to do", (text, message) => {
    expect(parseYaml(PATH, text).findings[0]?.message).toBe(message);
  });

  it("explains an alias bomb", () => {
    expect(parseYaml(PATH, ALIAS_BOMB).findings[0]?.message).toMatchInlineSnapshot(
      `"the aliases in this file expand to more than 100 copies, which looks like an alias bomb; write the values out instead of repeating *aliases"`,
    );
  });

  it("explains a syntax error with a remedy", () => {
    expect(
      parseYaml(PATH, "covers: [a, b\nrisk: low\n").findings[0]?.message,
    ).toMatchInlineSnapshot(
      `"flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML syntax here (check indentation, quotes and brackets)"`,
    );
  });
});

describe("parseYaml data and positions", () => {
  const text = [
    "title: Upgrade", // 1
    "window:", // 2
    "  start: 2026-03-10T22:00:00+08:00", // 3
    "covers:", // 4
    "  - deploy/a/**", // 5
    "  - deploy/b/**", // 6
    "empty:", // 7
    "odd/key~: 1", // 8
    "",
  ].join("\n");
  const parse = parseYaml(PATH, text);

  it("keeps dates as text (core schema: no timestamps)", () => {
    expect(parse.findings).toEqual([]);
    expect(parse.data).toMatchObject({ window: { start: "2026-03-10T22:00:00+08:00" } });
  });

  it.each([
    ["/title", 1, 8],
    ["/window", 3, 3],
    ["/window/start", 3, 10],
    ["/covers/1", 6, 5],
    ["/empty", 7, 1],
    ["/odd~1key~0", 8, 11],
    ["/window/end", 3, 3],
    ["/nowhere/deep", 1, 1],
    ["", 1, 1],
  ])("locates %j at %i:%i", (pointer, line, column) => {
    expect(parse.locate(pointer)).toEqual({ path: PATH, line, column });
  });

  it.each([
    ["/window/start", 3, 3],
    ["/covers/1", 6, 5],
    ["/odd~1key~0", 8, 1],
  ])("locates the key of %j at %i:%i", (pointer, line, column) => {
    expect(parse.locateKey(pointer)).toEqual({ path: PATH, line, column });
  });

  it("reads an empty file as no data without findings", () => {
    const empty = parseYaml(PATH, "# only a comment\n");
    expect(empty.findings).toEqual([]);
    expect(empty.data).toBeUndefined();
    expect(empty.locate("/title")).toEqual({ path: PATH, line: 1, column: 1 });
  });
});
