/**
 * YAML parsed in two steps, so that hostile nesting is refused before anything recurses: the
 * `yaml` package's parser builds its concrete syntax tree without recursion, but its composer
 * (and `toJS`) recurse once per level, and a few thousand `[` overflow the stack. The tree is
 * measured first, without recursion; only a tree within {@link MAX_NESTING} levels is composed.
 *
 * Linear: the parser, the measuring walk (one visit per token) and the composer each take time
 * linear in the text.
 */
import { Composer, Parser, type CST, type Document, type LineCounter } from "yaml";
import type { DocumentOptions, ParseOptions, SchemaOptions } from "yaml";

/**
 * How deeply collections may nest: far more than any record, policy or context needs (a record
 * nests four levels, a workflow six), far less than what overflows the stack.
 */
export const MAX_NESTING = 64;

export type BoundedOptions = ParseOptions &
  DocumentOptions &
  SchemaOptions & {
    lineCounter: LineCounter;
  };

export interface BoundedParse {
  /** The documents, or none when the text nests too deeply. */
  docs: Document.Parsed[];
  /** Errors of a stream without any document (a stray `]`). */
  streamErrors: Array<{ pos: [number, number]; message: string }>;
  /** Where the first collection deeper than {@link MAX_NESTING} starts, if any. */
  tooDeepAt?: number;
}

/** The message of a text nested too deeply, for a finding at {@link BoundedParse.tooDeepAt}. */
export function tooDeepMessage(): string {
  return `nested too deeply (limit ${MAX_NESTING}); no gatehouse file needs that many levels, write the structure flatter`;
}

/** Parses every document of `text`, refusing nesting beyond {@link MAX_NESTING}. */
export function parseBounded(text: string, options: BoundedOptions): BoundedParse {
  const tokens = Array.from(new Parser(options.lineCounter.addNewLine).parse(text));
  const tooDeepAt = deepestBeyond(tokens, MAX_NESTING);
  if (tooDeepAt !== undefined) return { docs: [], streamErrors: [], tooDeepAt };
  const composer = new Composer(options);
  const docs = Array.from(composer.compose(tokens));
  const streamErrors = docs.length === 0 ? composer.streamInfo().errors : [];
  return { docs: docs as Document.Parsed[], streamErrors };
}

/**
 * The offset of the earliest collection nested deeper than `limit`, walking the syntax tree
 * with an explicit stack (never recursing); undefined when there is none.
 */
export function deepestBeyond(tokens: CST.Token[], limit: number): number | undefined {
  const stack: Array<[CST.Token, number]> = tokens.map((token) => [token, 0]);
  let earliest: number | undefined;
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number];
    let inner = depth;
    if (
      token.type === "block-map" ||
      token.type === "block-seq" ||
      token.type === "flow-collection"
    ) {
      inner = depth + 1;
      if (inner > limit) {
        earliest = Math.min(earliest ?? token.offset, token.offset);
        continue;
      }
      for (const item of token.items) {
        const { key, value } = item as CST.CollectionItem;
        if (key) stack.push([key, inner]);
        if (value) stack.push([value, inner]);
      }
    } else if (token.type === "document" && token.value) {
      stack.push([token.value, depth]);
    }
  }
  return earliest;
}
