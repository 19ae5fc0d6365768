/**
 * The quick reader of records must give exactly the data the full parser gives, or decline. A
 * difference would mean a record's meaning depends on which reader happened to read it.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import type { ToStringOptions } from "yaml";
import { fastMap, inQuickSubset } from "../../../src/core/yaml/fast-map.js";
import { parseYaml, parseYamlMap } from "../../../src/core/yaml/parse-yaml.js";

/** What the full parser makes of the text: its data, or "invalid" when it reports anything. */
function full(text: string): unknown {
  const docs = Array.from(
    parseAllDocuments(text, {
      uniqueKeys: true,
      prettyErrors: false,
      schema: "core",
      merge: false,
    }),
  );
  const [doc] = docs;
  if (docs.length !== 1 || doc === undefined || doc.errors.length > 0) return "invalid";
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/**
 * The property every test here rests on: the quick reader declines, or the full parser accepts
 * the text and gives the same data. toStrictEqual tells -0 from 0 and takes NaN as NaN.
 */
function agrees(text: string): boolean {
  const quick = fastMap(text);
  if (quick !== undefined) expect({ text, data: quick }).toStrictEqual({ text, data: full(text) });
  return quick !== undefined;
}

describe("fastMap", () => {
  it.each([
    // The core schema's scalars, and the YAML 1.1 spellings that are strings in 1.2.
    ...[
      "~",
      "null",
      "Null",
      "NULL",
      "nUll",
      "true",
      "True",
      "TRUE",
      "tRUE",
      "false",
      "False",
      "FALSE",
      "yes",
      "no",
      "on",
      "off",
      "y",
      "0",
      "+0",
      "007",
      "+12",
      "1_000",
      "0o17",
      "0O17",
      "0o8",
      "0x1F",
      "0X1F",
      "0xg",
      "0b101",
      "12345678901234567890",
      "1.",
      ".5",
      "1.50",
      "4.20",
      "1e3",
      "1E-3",
      "+1.5e+3",
      "1.2.3",
      ".inf",
      "+.INF",
      ".nan",
      ".NaN",
      ".NAN",
      "2026-03-03",
      "2026-03-03T22:40:00+08:00",
      "12:30",
      "1,000",
      "a#b",
      "it's",
      "http://example.test/a?b=c#frag",
      "中文 说明",
      '"1"',
      "'true'",
      "''",
      '""',
      '"null"',
      '"\\u00e9\\t\\x41 \\" \\\\"',
      "'it''s'",
      "plain # comment",
      "[]",
      "{}",
      "[a, 'b c', \"d\"]",
    ].map((value) => [`value: ${value}`, `value: ${value}\n`]),
    ["an empty value", "value:\n"],
    ["a block literal", "text: |\n  line one\n\n  line two\n"],
    ["a kept block", "text: |+\n  kept\n\n\nnext: 1\n"],
    ["a stripped folded block", "text: >-\n  folded\n  into one\n\n  paragraph\n"],
    ["a block of a list item", "steps:\n  - |\n    one\n    two\n  - >\n    three\n"],
    [
      "a block holding what would be syntax",
      "text: |\n  - item\n  key: value # and &more *of !it\n",
    ],
    ["CRLF line ends", "a: 1\r\nb:\r\n  - x\r\n  - y\r\ntext: |\r\n  one\r\n  two\r\n"],
    ["keys that are numbers and booleans", "1: one\ntrue: yes\n0x10: hex\n1.50: f\n"],
    ["a __proto__ key", "__proto__:\n  polluted: true\n"],
    ["nested lists and maps", "steps:\n- name: a\n  run: [x]\n- - b\n  - c\n"],
    ["comments", "# head\na: 1 # after\n  # indented\nb: 2\n"],
  ])("reads %s as the full parser does", (_name, text) => {
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ["a negative number", "value: -1\n"],
    ["a null key", "~: nothing\n"],
    ["a null key spelled null", "null: nothing\n"],
    ["a null key spelled NULL, nested", "a:\n  NULL: 1\n"],
    ["a null key spelled Null, as a block scalar", "Null: |\n  x\n"],
    ["an explicit key", "? a\n: b\n"],
    ["a collection as a key", "[a, b]: c\n"],
    ["a merge key", "<<: {a: 1}\n"],
    ["an anchor and alias", "a: &x 1\nb: *x\n"],
    ["an alias bomb", 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'],
    ["a tag", "a: !!binary aGk=\n"],
    ["a tag in a flow list", "a: [!!str 1]\n"],
    ["a directive", "%YAML 1.1\n---\na: yes\n"],
    ["a document start marker", "---\na: 1\n"],
    ["a byte order mark", "\uFEFFa: 1\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a duplicate key as number and string", "1: a\n'1': b\n"],
    ["two documents", "a: 1\n---\nb: 2\n"],
    ["bad indentation", "a:\n  b: 1\n c: 2\n"],
    ["a quoted scalar over two lines", 'a: "one\n  two"\n'],
    ["a quote touching a comment", 'a: ""#c\n'],
    ["a multi-line plain scalar", "text: one\n  two\n"],
    ["a tab as indentation", "a:\n\tb: 1\n"],
    ["a tab inside a plain scalar", "a: one\ttwo\n"],
    ["a tab line inside a block", "a: |\n  x\n  \t\nb: 1\n"],
    ["blank lines deeper than the block they open", "a: |\n     \n  x\n"],
    ["an empty list item", "a:\n  -\n- b\n"],
    ["a block with an indentation indicator", "text: |2\n    indented\n"],
    ["a list at the top", "- a\n"],
    ["a scalar at the top", "just text\n"],
    ["an empty file", ""],
    ["a syntax error", "a: [1, 2\n"],
    ["a long key", `${"k".repeat(1100)}: v\n`],
  ])("declines %s, for the full parser to read, bound or report", (_name, text) => {
    expect(fastMap(text)).toBeUndefined();
  });

  it("answers for the templates, so that the records people write are read quickly", () => {
    const files = readdirSync("templates").filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBe(3);
    for (const file of files) expect(agrees(readFileSync(`templates/${file}`, "utf8"))).toBe(true);
  });

  const keyArb = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  // Values as records hold them, written out in every style the yaml package can write.
  const scalarArb = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,:/@()'-]{0,20}$/),
    fc.string({ unit: fc.constantFrom(..."ab 1.0-:#'\"\\\n\t{}[],?|>%@`~*&!xe+_中") }),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const valueArb = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      scalarArb,
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(keyArb, tie("value"), { maxKeys: 3 }),
    ),
  })).value;
  const styleArb = fc.record<ToStringOptions>({
    defaultStringType: fc.constantFrom(
      "PLAIN",
      "QUOTE_DOUBLE",
      "QUOTE_SINGLE",
      "BLOCK_LITERAL",
      "BLOCK_FOLDED",
    ),
    defaultKeyType: fc.constantFrom(null, "PLAIN", "QUOTE_DOUBLE"),
    collectionStyle: fc.constantFrom("any", "block", "flow"),
    lineWidth: fc.constantFrom(0, 20, 80),
  });

  it("agrees on any record written by the yaml package, and answers for those in its subset", () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: 5 }),
        styleArb,
        (data, style) => {
          const text = stringify(data, style);
          const quick = agrees(text);
          // js-yaml reads all valid YAML of the subset, so a valid text in it is answered.
          expect(quick).toBe(inQuickSubset(text));
          if (quick) answered++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(50);
  });

  /** Lines of a record with mistakes mixed in: indentation, dashes, keys, odd scalars. */
  const chars = fc.constantFrom(..."ab0.-: #'\"\\\t{}[],|>` x1e~&*!?%@");
  const scalarText = fc.oneof(
    { weight: 1, arbitrary: fc.string({ unit: chars, maxLength: 8 }) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        ...["1", "-1", "0o7", "0x1F", "1.50", ".inf", "null", "~", "true", "yes", "'a''b'"],
        ...['"a\\tb"', '"x"', "[a, b]", "[]", "{}", "|", ">-", "|+", "a #c", "a#c", "12:30"],
        ...["2026-01-01", "", "text", "a b c", "x: y", "'q'  # c"],
      ),
    },
  );
  const lineArb = fc
    .tuple(
      fc.constantFrom("", "", "  ", "  ", "    ", " ", "\t"),
      fc.constantFrom("", "", "- ", "- - ", "-"),
      fc.constantFrom(
        ...["", "k: ", "k:", "key2: ", "a.b: ", "k3: ", "k4:", "k : "],
        ...["null: ", "NULL:", "Null: ", "true: ", "1: ", "1.50: ", "0x1F: ", ".inf: ", "y: "],
      ),
      scalarText,
      fc.constantFrom("", "", "", " # c", "\r", "  "),
    )
    .map((parts) => parts.join(""));
  const documentArb = fc
    .array(lineArb, { minLength: 1, maxLength: 7 })
    .map((lines) => `${lines.join("\n")}\n`);

  it("agrees on hand-written records with mistakes in them", () => {
    let answered = 0;
    fc.assert(
      fc.property(documentArb, (text) => {
        if (agrees(text)) answered++;
      }),
      { numRuns: 20000 },
    );
    expect(answered).toBeGreaterThan(200);
  });

  const blockArb = fc
    .tuple(
      fc.constantFrom(
        "k: |",
        "k: >",
        "k: |-",
        "k: >+",
        "- |",
        "- >-",
        "- k: |",
        "  - k: >",
        "k: | # c",
      ),
      fc.array(
        fc
          .tuple(
            fc.constantFrom("", " ", "  ", "   ", "    ", "     ", "\t", "  \t"),
            fc.constantFrom(
              "",
              "x",
              "a b",
              "# not a comment",
              "- item",
              "k: v",
              "\t tab",
              "'q",
              "---",
            ),
          )
          .map(([indent, text]) => indent + text),
        { maxLength: 5 },
      ),
      fc.constantFrom("", "j: 1", "- z", "  j: 2", "k2: |", "# c"),
    )
    .map(([header, lines, after]) => [header, ...lines, after].join("\n"));

  it("agrees on block scalars, however their lines are indented", () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom("", "a: 1\n", "list:\n", "m:\n"),
        fc.array(blockArb, { minLength: 1, maxLength: 3 }),
        (before, blocks) => {
          if (agrees(`${before}${blocks.join("\n")}\n`)) answered++;
        },
      ),
      { numRuns: 10000 },
    );
    expect(answered).toBeGreaterThan(200);
  });

  it("takes linear time on a long line that almost matches", () => {
    // A plain scalar and the spaces after it could be split many ways; only one is tried.
    expect(inQuickSubset(`a: b${" ".repeat(200_000)}\t`)).toBe(false);
  });
});

describe("parseYamlMap", () => {
  it("finds the places of a quickly read file with the full parser, when asked", () => {
    const text = "a: 1\nsection:\n  field: 4.20\n  list:\n    - x\n";
    const quick = parseYamlMap("r.yaml", text);
    const slow = parseYaml("r.yaml", text);
    expect(quick.data).toStrictEqual(slow.data);
    for (const pointer of ["", "/a", "/section/field", "/section/list/0", "/section/missing"]) {
      expect(quick.locate(pointer)).toEqual(slow.locate(pointer));
      expect(quick.locateKey(pointer)).toEqual(slow.locateKey(pointer));
      expect(quick.sourceOf(pointer)).toEqual(slow.sourceOf(pointer));
    }
    expect(quick.sourceOf("/section/field")).toBe("4.20");
    expect(quick.locate("/section/list/0")).toEqual({ path: "r.yaml", line: 5, column: 7 });
  });

  it("reports what the quick reader declines with the full parser's findings", () => {
    const parse = parseYamlMap("r.yaml", "a: 1\na: 2\n");
    expect(parse.data).toBeUndefined();
    expect(parse.findings).toEqual([
      expect.objectContaining({ code: "yaml/duplicate-key", line: 2, column: 1 }),
    ]);
  });
});
