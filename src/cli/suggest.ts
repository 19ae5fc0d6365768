import { didYouMean } from "../core/policy/did-you-mean.js";

/** "; did you mean 'change'?" when `name` is a likely typo of one of `known`, else "". */
export function suggest(name: string, known: Iterable<string>, prefix = ""): string {
  const guess = didYouMean(name, known);
  return guess === undefined ? "" : `; did you mean '${prefix}${guess}'?`;
}

/** "; did you mean 'change'? The kinds are …", or "; the kinds are …" without a close name. */
export function suggestThen(name: string, known: Iterable<string>, rest: string): string {
  const hint = suggest(name, known);
  return hint === "" ? `; ${rest}` : `${hint} ${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
}
