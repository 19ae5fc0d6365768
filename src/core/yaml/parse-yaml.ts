/**
 * YAML with positions, strict enough for policy and record files: one document, the core
 * schema only, no duplicate keys, bounded aliases. Bad input becomes findings, never a throw.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, visit } from "yaml";
import type { Document, Node } from "yaml";
import type { Finding, SourceLocation } from "../types.js";
import { fastMap } from "./fast-map.js";
import { parseBounded, tooDeepMessage } from "./parse-bounded.js";

export interface YamlParse {
  /** The document as plain data; `undefined` when the text holds no usable document. */
  data: unknown;
  findings: Finding[];
  /**
   * Where the value at a JSON pointer ("/window/start") starts. When the pointer is absent,
   * the place of its deepest existing ancestor, so a missing field points at its parent.
   */
  locate(pointer: string): SourceLocation;
  /** Where the key of the member at a JSON pointer starts (the value's place for list items). */
  locateKey(pointer: string): SourceLocation;
  /** The text of the plain value at a JSON pointer as written (`4.20`, not 4.2), if it is one. */
  sourceOf(pointer: string): string | undefined;
}

/** More aliases than this in one document is treated as an alias bomb ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/** Tags of the YAML 1.2 core schema: everything else (`!!binary`, `!foo`) is refused. */
const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Splits a JSON pointer into its unescaped segments ("" is the whole document). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Parses one YAML file of the repository. Every problem is a finding with the file, line and
 * column and a remedy: syntax errors, duplicate keys, tags outside the core schema, more than
 * one document, and alias expansion beyond {@link MAX_ALIAS_COUNT}.
 */
export function parseYaml(path: string, text: string): YamlParse {
  const lineCounter = new LineCounter();
  const findings: Finding[] = [];
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { path, line, column: col };
  };
  const finding = (offset: number, code: string, message: string): void => {
    findings.push({ ...at(offset), code, message });
  };

  let docs: Document.Parsed[];
  try {
    const parsed = parseBounded(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      schema: "core",
      merge: false,
    });
    if (parsed.tooDeepAt !== undefined) {
      finding(parsed.tooDeepAt, "yaml/too-deep", tooDeepMessage());
      return { data: undefined, findings, ...locators(undefined, at) };
    }
    // An empty stream (no document at all) carries its own errors, e.g. a stray `]`.
    for (const error of parsed.streamErrors) {
      finding(error.pos[0], "yaml/syntax", syntaxMessage(error));
    }
    docs = parsed.docs;
  } catch (error) {
    finding(0, "yaml/syntax", `the file cannot be read as YAML (${String(error)}); fix its syntax`);
    docs = [];
  }

  const doc = docs[0];
  for (const extra of docs.slice(1)) {
    finding(
      extra.range[0],
      "yaml/multiple-documents",
      "a second YAML document starts here, but the file must hold exactly one; remove the `---` separator and everything after it, or move it to its own file",
    );
  }
  if (doc === undefined) {
    return { data: undefined, findings, ...locators(undefined, at) };
  }

  // A key indented one space too deep makes the yaml package report two errors at the value
  // above it; both become one finding at the line that is really wrong.
  const overIndented = new Set<number>();
  for (const error of doc.errors) {
    if (error.code === "MULTILINE_IMPLICIT_KEY" && overIndented.has(error.pos[0])) continue;
    const deeper =
      error.code === "BLOCK_AS_IMPLICIT_KEY" ? overIndentedKey(text, error.pos[0]) : null;
    if (deeper !== null) {
      overIndented.add(error.pos[0]);
      finding(deeper.offset, "yaml/indentation", deeper.message);
    } else if (
      error.code === "BLOCK_AS_IMPLICIT_KEY" &&
      /:(?:\s|$)/.test(lineAt(text, error.pos[0]))
    ) {
      finding(
        error.pos[0],
        "yaml/syntax",
        'this value holds ": ", which YAML reads as the start of another key; put the whole value in quotes ("...")',
      );
    } else if (error.code === "DUPLICATE_KEY") {
      finding(error.pos[0], "yaml/duplicate-key", duplicateKeyMessage(text, error.pos));
    } else {
      finding(error.pos[0], "yaml/syntax", syntaxMessage(error));
    }
  }

  let firstAlias: number | undefined;
  // A tag starts with "!" and an alias with "*": without either character in the text there is
  // nothing to look for, and most records and policies have neither.
  const mayHold = text.includes("!") || text.includes("*");
  if (mayHold)
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        firstAlias ??= node.range?.[0];
        return;
      }
      if (!isNode(node)) return;
      const tag = node.tag;
      if (tag !== undefined && !CORE_TAGS.has(tag)) {
        const shown = tag.replace(/^tag:yaml\.org,2002:/, "!!");
        finding(
          node.range?.[0] ?? 0,
          "yaml/tag",
          `the tag ${shown} is not allowed: only plain YAML values (strings, numbers, booleans, null, lists and maps) are; remove the tag`,
        );
      }
    });

  let data: unknown;
  if (findings.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/excessive alias count/i.test(message)) {
        finding(
          firstAlias ?? 0,
          "yaml/alias-bomb",
          `the aliases in this file expand to more than ${MAX_ALIAS_COUNT} copies, which looks like an alias bomb; write the values out instead of repeating *aliases`,
        );
      } else {
        finding(
          firstAlias ?? 0,
          "yaml/alias",
          `${sentence(message)}; define the &anchor before using its *alias`,
        );
      }
      data = undefined;
    }
  }
  return { data, findings, ...locators(doc, at) };
}

/**
 * {@link parseYaml} for a file that must hold a map, as a record does: plain data from the
 * quick reader when it answers, and the full parse only when it does not, or when a place is
 * first asked for (a finding needs one). The data is the same either way.
 */
export function parseYamlMap(path: string, text: string): YamlParse {
  const data = fastMap(text);
  if (data === undefined) return parseYaml(path, text);
  let full: YamlParse | undefined;
  const positions = (): YamlParse => (full ??= parseYaml(path, text));
  return {
    data,
    findings: [],
    locate: (pointer) => positions().locate(pointer),
    locateKey: (pointer) => positions().locateKey(pointer),
    sourceOf: (pointer) => positions().sourceOf(pointer),
  };
}

function locators(
  doc: Document.Parsed | undefined,
  at: (offset: number) => SourceLocation,
): Pick<YamlParse, "locate" | "locateKey" | "sourceOf"> {
  const start = at(doc?.contents?.range?.[0] ?? doc?.range[0] ?? 0);
  /** Walks the pointer; returns the deepest node reached and the key node of the last step. */
  const walk = (pointer: string): { node: Node | null; key: Node | null; complete: boolean } => {
    let node: Node | null = doc?.contents ?? null;
    let key: Node | null = null;
    for (const segment of pointerSegments(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment,
        );
        if (pair === undefined) return { node, key, complete: false };
        key = isNode(pair.key) ? pair.key : null;
        // `key:` with nothing after it still has a place: the key's.
        node =
          isNode(pair.value) && pair.value.range?.[0] !== pair.value.range?.[1] ? pair.value : key;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (!/^\d+$/.test(segment) || !isNode(item)) return { node, key, complete: false };
        node = item;
        key = item;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  };
  const place = (node: Node | null): SourceLocation => (node?.range ? at(node.range[0]) : start);
  return {
    locate: (pointer) => place(walk(pointer).node),
    locateKey: (pointer) => {
      const found = walk(pointer);
      return place(found.complete ? (found.key ?? found.node) : found.node);
    },
    sourceOf: (pointer) => {
      const found = walk(pointer);
      return found.complete && isScalar(found.node) ? found.node.source : undefined;
    },
  };
}

/**
 * When the value at `offset` runs into a next line that holds a key indented deeper than the
 * key of the value's own line (`id: x` then ` title: y`), that next line and what to do about it.
 */
function overIndentedKey(text: string, offset: number): { offset: number; message: string } | null {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  if (lineEnd === -1) return null;
  const own = /^([ -]*)([^\s:#][^:]*?)\s*:(?:\s|$)/.exec(text.slice(lineStart, lineEnd));
  const next = /^(?:[ \t]*(?:#.*)?\r?\n)*( *)([^\s:#][^:\n]*?)\s*:(?:\s|$)/.exec(
    text.slice(lineEnd + 1),
  );
  if (own === null || next === null) return null;
  const column = own[1]!.length;
  if (next[1]!.length <= column) return null;
  const key = (k: string) => k.replace(/^["']|["']$/g, "");
  return {
    offset: lineEnd + 1 + next.index + next[0].indexOf(next[2]!),
    message: `the key "${key(next[2]!)}" is indented deeper than the key "${key(own[2]!)}" above it, so YAML reads it as part of that key's value; indent it to column ${column + 1}, like "${key(own[2]!)}"`,
  };
}

/** The rest of the line from `offset`, without its line break. */
function lineAt(text: string, offset: number): string {
  const end = text.indexOf("\n", offset);
  return text.slice(offset, end === -1 ? undefined : end).replace(/\r$/, "");
}

function duplicateKeyMessage(text: string, pos: [number, number]): string {
  // yaml marks only the key's first character; read the key up to its colon.
  const key = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:\n]*?))\s*:/.exec(text.slice(pos[0]));
  const name = (key?.[1] ?? key?.[2] ?? key?.[3] ?? "").trim();
  return `${name === "" ? "this key" : `the key "${name}"`} appears twice in the same mapping; keep only one of them`;
}

function syntaxMessage(error: { message: string }): string {
  // `members: [@alice]`: YAML reserves @ and ` at the start of a plain value.
  const reserved = /reserved character ([@`])/.exec(error.message)?.[1];
  if (reserved !== undefined) {
    const example = reserved === "@" ? ', as in members: ["@alice"]' : "";
    return `a value cannot start with ${reserved} unless it is quoted; put it in double quotes${example}`;
  }
  return `${sentence(error.message)}; fix the YAML syntax here (check indentation, quotes and brackets)`;
}

function sentence(message: string): string {
  const first = message.split("\n")[0]?.replace(/[.:]\s*$/, "") ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}
