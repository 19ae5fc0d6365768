/**
 * What a YAML file says as YAML reads it: the scalars (keys and values) whose text differs from
 * how they are written. Escapes in double quotes (`"\u0031\u0033…"`), line continuations,
 * folded and literal block scalars and multi-line plain scalars all read otherwise than their
 * lines, and personal data is judged as the reader (or the program that loads the file) sees it.
 *
 * Linear: one bounded parse ({@link parseBounded}, nesting refused beyond its limit before
 * anything recurses) and one walk over the nodes with an explicit stack.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from "yaml";
import { parseBounded } from "../yaml/parse-bounded.js";

/** A scalar that reads otherwise than it is written: where it starts, and what it reads as. */
export interface YamlReading {
  /** Offsets of the scalar (from its indicator or quote) in the text. */
  offset: number;
  end: number;
  /** Its value, with line breaks read as spaces: a value's lines are one value. */
  text: string;
}

export interface YamlReadings {
  readings: YamlReading[];
  /** Where the text nests too deeply to be read; no readings then. */
  tooDeepAt?: number;
}

/** Whether a path names a YAML file (`.yaml` or `.yml`, in any case). */
export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/**
 * The scalars of every document of `source` that read otherwise than their text. A file that
 * is not valid YAML gives what its parse could still read; the plain text is scanned anyway.
 */
export function yamlReadings(source: string): YamlReadings {
  // The failsafe schema keeps every scalar as the string it reads as: `0013` stays `0013`.
  const parsed = parseBounded(source, {
    lineCounter: new LineCounter(),
    schema: "failsafe",
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
  });
  if (parsed.tooDeepAt !== undefined) return { readings: [], tooDeepAt: parsed.tooDeepAt };
  const readings: YamlReading[] = [];
  const stack: unknown[] = parsed.docs.map((doc) => doc.contents).reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (isScalar(node)) {
      const reading = readingOf(source, node);
      if (reading) readings.push(reading);
    } else if (isMap(node) || isSeq(node)) {
      // Pushed in reverse, so that readings come out in text order.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isAlias(node)) {
      continue; // its anchor's node is read where it stands
    }
  }
  return { readings };
}

function readingOf(source: string, node: Node): YamlReading | undefined {
  const range = node.range;
  const value = (node as { value?: unknown }).value;
  if (!range || typeof value !== "string" || value === "") return undefined;
  const written = source.slice(range[0], range[1]);
  if (written === value) return undefined;
  return { offset: range[0], end: range[1], text: value.replace(/\r?\n/g, " ") };
}
