/**
 * The record files of a head's record folders as a query listed them (three folders deep), for
 * showing that a new record's id is not taken.
 */
import type { Config } from "../core/policy/model.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import type { TreeNode } from "./graphql-types.js";
import { treePaths } from "./snapshot-parts.js";

/** The record files of the head's record folders; throws when a folder lies too deep to list. */
export function recordListing(
  trees: Array<TreeNode | null | undefined>,
  dirs: string[],
  config: Config,
): string[] {
  const paths: string[] = [];
  const deeper = trees.flatMap((tree) => treePaths(tree, paths));
  if (deeper.length > 0) {
    throw new Error(
      `${deeper.slice(0, 3).join(", ")} lies more than three folders deep in a record directory, so gatehouse cannot list the records to show a new id is not taken; keep records at most two folders below ${dirs.join(", ")}`,
    );
  }
  return paths.filter((path) => recordKindForPath(path, config) !== null);
}
