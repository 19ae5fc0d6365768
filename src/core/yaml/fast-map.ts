/**
 * The quick way to read a record: js-yaml builds plain data about ten times faster than the
 * `yaml` package builds its position-keeping document, and a pull request is mostly records.
 * It answers only for the plain YAML records are written in, and with exactly the values the
 * `yaml` package would give (its YAML 1.2 core schema, copied below); anything else, from an
 * anchor to a syntax error, is left to the full parser, which bounds aliases, refuses tags and
 * says where a mistake is. `test/core/yaml/fast-map.test.ts` holds the two to the same data.
 */
import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { MAX_NESTING } from "./parse-bounded.js";

/**
 * The scalars of the YAML 1.2 core schema, resolved as the `yaml` package resolves them
 * (`yaml/dist/schema/core`): the same patterns, the same conversions. js-yaml keeps one type per
 * tag, so each tag gathers its patterns; no plain scalar matches patterns of two tags.
 */
const CORE_SCALARS = [
  scalar("null", [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
  scalar("bool", [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === "t" || s[0] === "T"]]),
  scalar("int", [
    [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
    [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
    [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  ]),
  scalar("float", [
    [
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      (s) =>
        s.slice(-3).toLowerCase() === "nan"
          ? NaN
          : s[0] === "-"
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    ],
    [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
    [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
  ]),
];

type Spelling = [pattern: RegExp, construct: (text: string) => unknown];

function scalar(name: string, spellings: Spelling[]): Type {
  const spelling = (text: string | null) => spellings.find(([pattern]) => pattern.test(text ?? ""));
  return new Type(`tag:yaml.org,2002:${name}`, {
    kind: "scalar",
    resolve: (text: string | null) => spelling(text) !== undefined,
    construct: (text: string | null) => spelling(text)![1](text ?? ""),
  });
}

const CORE = FAILSAFE_SCHEMA.extend({ implicit: CORE_SCALARS });

// The subset of YAML the quick reader answers for, one line at a time. js-yaml is lenient where
// the `yaml` package is strict (a quoted scalar running on under-indented lines, a comment
// touching a quote, tabs as indentation), so it answers only for lines of a shape on which the
// two are held to agree; a file with any other line goes to the full parser.
/**
 * A key: a word, as record keys are. No quoted, explicit or collection keys, and no null key
 * (`null:`), which js-yaml names "null" and the `yaml` package "".
 */
const KEY = String.raw`(?!(?:null|Null|NULL):)[A-Za-z0-9_][\w.-]{0,127}`;
/**
 * A plain scalar on one line: it starts with no indicator (so no anchor, alias, tag, directive,
 * quote, flow collection or block scalar), holds no tab, no ": " and no " #" (a comment), and
 * ends with a character that is not a space (so that matching it takes linear time).
 */
const PLAIN_CHAR = String.raw`(?:[^\s:#]|:(?=[^\s]))`;
const PLAIN = String.raw`[^\s\-?:,[\]{}#&*!|>'"%@\`](?:${PLAIN_CHAR}|#| +${PLAIN_CHAR})*`;
const DOUBLE_QUOTED = String.raw`"(?:[^"\\\r\n]|\\[^\r\n])*"`;
const SINGLE_QUOTED = String.raw`'(?:[^'\r\n]|'')*'`;
/** A flow list on one line, of words and quoted strings only: `[]`, `[a, "b c"]`. */
const FLOW_ITEM = String.raw`(?:[A-Za-z0-9_][\w.@/+-]*|${DOUBLE_QUOTED}|${SINGLE_QUOTED})`;
const FLOW = String.raw`\[ *(?:${FLOW_ITEM}(?: *, *${FLOW_ITEM})* *)?\]|\{ *\}`;
const VALUE = `(?:${PLAIN}|${DOUBLE_QUOTED}|${SINGLE_QUOTED}|${FLOW})`;
const END = String.raw`(?: +#.*| *)$`;
/**
 * A line of a block map or list: `key: value`, `- value`, `- key: value`, `key:`. Not an empty
 * list item (`-` alone): js-yaml reads a list after one as if it were nested. Not a value on a
 * line of its own: a plain scalar continued on the next line.
 */
const ENTRY_LINE = new RegExp(`^ *(?:(?:- +)*${KEY}:(?: +${VALUE})?|(?:- +)+${VALUE})?${END}`);
/** A block scalar's header (`key: |`, `- >-`), with no indentation indicator. */
const BLOCK_HEADER = new RegExp(`^( *(?:- +)*)(?:${KEY}: +)?[|>][-+]?${END}`);
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;

/**
 * Whether every line of the text is of the subset the quick reader answers for. Lines inside a
 * block scalar are content, whatever they hold, as long as they are indented deeper than the
 * key or dash that opens it.
 */
export function inQuickSubset(text: string): boolean {
  let blockAbove = -1; // inside a block scalar: the indentation its lines must exceed
  let contentIndent = -1; // the block's indentation, once its first line with text sets it
  let leadingSpaces = 0; // the most spaces on a blank line before that first line
  const nesting = new NestingCount();
  for (const line of text.split(/\r?\n/)) {
    if (blockAbove >= 0) {
      const indent = line.search(/[^ ]/);
      // A tab where indentation could go: the two parsers measure such lines differently.
      if (line[indent] === "\t") return false;
      if (indent === -1) {
        if (contentIndent === -1) leadingSpaces = Math.max(leadingSpaces, line.length);
        continue;
      }
      if (indent > blockAbove) {
        if (contentIndent === -1) contentIndent = indent;
        // Less indented than the block's first line, or after blank lines deeper than it.
        if (indent < contentIndent || leadingSpaces > contentIndent) return false;
        continue;
      }
      blockAbove = -1;
    }
    if (BLANK_OR_COMMENT.test(line)) continue;
    // Deep nesting goes to the full parser, which refuses it with its place (js-yaml recurses).
    if (nesting.deeper(line) > MAX_NESTING) return false;
    const header = BLOCK_HEADER.exec(line);
    if (header !== null) {
      // Deeper than the key, or than the last dash when the scalar is a list item.
      const prefix = header[1]!;
      blockAbove =
        line.length > prefix.length && /^[|>]/.test(line.slice(prefix.length))
          ? prefix.trimEnd().length - 1
          : prefix.length;
      contentIndent = -1;
      leadingSpaces = 0;
      continue;
    }
    if (!ENTRY_LINE.test(line)) return false;
  }
  return true;
}

/**
 * An upper bound of how deeply the entry lines read so far nest: one level per indentation
 * still open, and one per dash (`- - a`). Constant work per line, amortised.
 */
class NestingCount {
  private readonly open: number[] = [];
  deeper(line: string): number {
    const indent = line.search(/[^ ]/);
    while (this.open.length > 0 && (this.open[this.open.length - 1] as number) >= indent) {
      this.open.pop();
    }
    this.open.push(indent);
    const dashes = /^ *((?:- +)*)/.exec(line)?.[1]?.replace(/ +/g, "").length ?? 0;
    return this.open.length + dashes;
  }
}

/**
 * The file as a plain map, or undefined when the quick reader does not answer for it: a line is
 * outside {@link inQuickSubset}, js-yaml finds it invalid (a duplicate key, bad indentation), or
 * it is not a map at the top. The caller then parses it in full.
 */
export function fastMap(text: string): Record<string, unknown> | undefined {
  if (!inQuickSubset(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: CORE });
  } catch {
    return undefined;
  }
  return typeof data === "object" && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}
