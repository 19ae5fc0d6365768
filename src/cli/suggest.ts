import { didYouMean } from "../core/policy/did-you-mean.js";

/** "; did you mean 'change'?" when `name` is a likely typo of one of `known`, else "". */
export function suggest(name: string, known: Iterable<string>, prefix = ""): string {
  const guess = didYouMean(name, known);
  return guess === undefined ? "" : `; did you mean '${prefix}${guess}'?`;
}
